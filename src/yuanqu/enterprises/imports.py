"""Spreadsheet import of enterprises, upserted by 统一社会信用代码."""

from __future__ import annotations

from yuanqu.core.imports import CellError, Importer, TextColumn, register

from . import services
from .credit_code import credit_code_problem, normalise
from .models import Enterprise


class CreditCodeColumn(TextColumn):
    def parse(self, raw, ctx):
        code = normalise(super().parse(raw, ctx))
        problem = credit_code_problem(code)
        if problem:
            raise CellError(problem)
        return code


@register
class EnterpriseImporter(Importer):
    key = "enterprises.enterprises"
    title = "企业"
    model = Enterprise
    natural_key = "credit_code"
    columns = [
        CreditCodeColumn("统一社会信用代码", "credit_code", required=True, digits=True,
                         sample="91320684MA1MXXXXXX", help="18位，末位为校验位"),
        TextColumn("企业名称", "name", required=True, max_length=200, sample="某某船舶配套有限公司"),
    ]

    def create(self, *, actor, values):
        return services.enterprise_create(actor=actor, **values)

    def update(self, *, actor, obj, values):
        return services.enterprise_update(actor=actor, enterprise=obj, data=values)

    def undo_create(self, *, actor, obj):
        services.enterprise_delete(actor=actor, enterprise=obj)
