"""How task_plan.doc was made (once; the tests only read it): a Word file written with python-docx,
then saved as Word 97 by LibreOffice:

    python tests/plans/files/make_task_plan_doc.py /tmp/task_plan.docx
    soffice --headless --convert-to 'doc:MS Word 97' --outdir tests/plans/files /tmp/task_plan.docx
"""

import sys

from docx import Document
from docx.shared import Cm

document = Document()
document.add_paragraph("三和片区2027年重点工作安排")
document.add_paragraph("为推进片区高质量发展，制定本安排。")
table = document.add_table(rows=5, cols=4)
table.style = "Table Grid"
for c, header in enumerate(["序号", "工作任务", "完成时限", "牵头单位"]):
    table.cell(0, c).text = header
rows = [
    ("1", "全面推行一网通办，实现登记业务全市通办，确保全年办件量达到10万件以上，群众满意率达到98%以上", "6月底", "政务服务局"),
    ("2", "新开工亿元以上项目10个", "9月底", "招商局"),
    ("3", "完成道路改造3公里", "年底前", None),  # 牵头单位 merged with the row above
    ("4", "新增就业岗位2000个", "12月底", "社会事业局"),
]
for r, row in enumerate(rows, start=1):
    for c, value in enumerate(row):
        if value is not None:
            table.cell(r, c).text = value
table.cell(2, 3).merge(table.cell(3, 3))
for row in table.rows:
    for cell, width in zip(row.cells, [1.5, 9, 2.5, 3], strict=True):
        cell.width = Cm(width)
document.add_paragraph("各牵头单位每月底前报送进展。")
document.save(sys.argv[1])
