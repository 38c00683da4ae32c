"""Quantified targets: numbers with units, named projects and checkable end states.

The text is cut into clauses (at ，；。：and line ends).  Three passes fill them, a
clause taken by an earlier pass being skipped by the later ones (its numbers that the
first pass did not use still go through the second):

1. named works reaching a delivery step that ends the clause — "确保超200亿元的A项目、
   B、C等一批重大项目全面开工建设", "确保A工程、B大道年内建成通车", or a list whose step
   comes in the next clause ("加快A中心、B路等项目建设，确保年内竣工") give one project
   target per item; a threshold amount (超/以上) carries over to the items after it;
2. numbers — every number followed by a unit ("150人", "6.5%", "80-90亿元") that is
   not inside quotes, not a year/label/rank, not part of a name ("年产5万吨…项目"), and
   not a qualifier of a later number in the same clause ("4个经济薄弱村经营收入50万元
   以上" → only 50万元);
3. end states without a number — 不发生…, …实现全覆盖, 完成…工程, 建成…（a named work:
   a project), 创建成…, a named thing reaching a step, 达到/实现“3550”目标.

Matching runs on the normalised copy (see _text); spans are sliced from the original.

A clause that reports the past yields nothing: 已完成…, …了, 未开工 (a state), and
everything in a review — from 去年/一年来/2023年 (a year before the plan's) to the end
of its paragraph, or through the preamble to the first forward-looking word or heading.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from ._text import QUOTED_RE, Spans, arabic_number, cn_number, lstrip_pos, rstrip_pos
from .tasks import apply_tasks, attributes

# ---------------------------------------------------------------- numbers ----

# Bounded repeats and the look-behinds keep matching linear on long digit runs:
# a number never starts inside a longer run of digits or numerals.
_AR = r"(?<![\d.])(?:\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,6})?|\d{1,12}(?:\.\d{1,6})?)"  # 150, 6.5, 1,200
_CN_CHARS = "零〇一二两三四五六七八九十百千"
_CN = rf"(?<![{_CN_CHARS}])[{_CN_CHARS}]{{1,10}}(?:点[零〇一二三四五六七八九]{{1,6}})?"  # 一百五十, 三点五
_NUM = rf"(?:{_AR}|{_CN})"

# Units, longest first (the alternation takes the first that fits).  万/亿 stay in the
# unit as written: 3.5万人 → 3.5 万人, 五十万元 → 50 万元.  A look-ahead keeps a
# classifier out of words it starts ("5部门" is not 5 部, "6个月" is not 6 个).
_UNIT_LIST = [
    # money and ratios
    "万亿元", "亿美元", "万美元", "千万元", "亿元", "万元", "美元", "元",
    "个百分点", "百分点", "%", "‰",
    # areas and volumes
    "万平方公里", "平方公里", "平方千米", "万平方米", "平方米", "万亩", "亩", "公顷",
    "亿立方米", "万立方米", "立方米",
    # energy, power, weight, freight
    "万亿斤", "亿吨", "亿千瓦时", "万千瓦时", "千瓦时", "兆瓦时", "万千瓦", "千瓦", "兆瓦", "万千伏安", "千伏安", "千伏",
    "万吨标准煤", "吨标准煤", "万吨", "吨", "亿斤", "万斤", "公斤", "千克", "斤", "万标箱", "标箱",
    "微克/立方米", "毫克/升",
    # lengths
    "公里", "千米", "延米", "米",
    # people, households, events
    "万人次", "人次", "万户次", "户次", "家次", "场次", "批次", "万人", "万名", "万户", "户",
    # durations ("日" only in "3日内"; "6月30日" is a date)
    "个工作日", "工作日", "个月", "小时", "分钟", "天", "日(?=[以之]?内)", "课时", "学时",
    # counts
    "个(?![月年季]|方面)", "万家", "万个", "万件", "万台", "万辆", "万套", "万株", "万棵", "万头", "万只",
    "家", "人", "名", "所", "座", "项", "件", "台", "套", "辆", "部(?![门署分位长委])", "批",
    "间", "床", "艘", "架", "株", "棵", "只", "头", "口", "眼", "盏", "根", "块", "册", "份",
    "例", "篇", "轮", "支(?![持撑付出])", "位(?![数置于])", "门",
    "处", "条", "栋", "幢", "次", "场", "张", "倍", "类", "兆(?![瓦帕])",
    "万", "亿",
]
_UNIT = "(?:" + "|".join(_UNIT_LIST) + ")"

# A number with its unit: plain, a range (80-90亿元, 6%-8%, 3至5家), or 百分之五.
MENTION_RE = re.compile(
    rf"""
      百分之(?P<pct>{_AR}|{_CN})
    | (?P<n1>{_NUM})
      (?:(?P<u1>%|‰)?\s*(?P<sep>-{{1,2}}|~|—{{1,2}}|–|至|到)\s*(?P<n2>{_NUM}))?
      (?P<more>[余多])?
      (?P<unit>{_UNIT})
    | (?P<bare>{_AR})(?=\s*(?:以下|以上|以内|左右))
    """,
    re.X,
)
# A rate given as a bare number ("死亡率控制在0.02以下"): no unit, but a rate before it.
_RATE_BEFORE_RE = re.compile(
    r"(?:率|系数|指数|密度|强度)(?:控制在|降至|降到|低于|不超过|不高于|保持在|稳定在|达到|达|"
    r"提高到|提升到|不低于|不少于|为)?$")

RATIO_UNITS = frozenset({"%", "‰", "个百分点", "百分点"})
MONEY_UNITS = frozenset({"万亿元", "亿美元", "万美元", "千万元", "亿元", "万元", "美元", "元"})
# Units that count things (entities, people, events): a bare count, a qualifier, "…数".
COUNT_UNITS = frozenset(
    list("个家人名所座项件台套辆处条栋幢次场张户部批间床艘架株棵只头口眼盏根块册份例篇轮支位门类")
    + ["人次", "户次", "家次", "场次", "批次"])
# Units of time: "24小时内" / "3个工作日以内" is an upper bound.
TIME_UNITS = frozenset({"个工作日", "工作日", "个月", "小时", "分钟", "天", "日"})
# A rank, not an amount: "后10名", "前三位".
RANK_UNITS = frozenset({"名", "位"})

# A number right after one of these is not a target value (第3, 前10, G40, 1+4, 每3个月 …);
# "前" only counts as a rank ("全省前10名"), not after a time word ("年底前20个项目");
# "后" only before a rank unit ("倒数后10名"), not in "受理后24小时内".
_BAD_BEFORE = set("第前每/#+-.·×*") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_TIME_BEFORE_QIAN = set("底末内日月年")
# … nor after a step ("上线前15项业务编码贯标" counts what must be done before going live).
_STEP_BEFORE_QIAN = frozenset({"上线", "开工", "竣工", "投产", "验收", "运行", "启动", "开业", "交付"})
# A rank reached: "考评进入前五位", "跻身全省前10名".
_RANK_BEFORE_RE = re.compile(r"(?:进入|跻身|位居|位列|保持|稳居|排名|排在|列入|进)[^,。;]{0,8}前$")
_CN_DIGIT_CHARS = set("零〇一二两三四五六七八九")
# A count of things in a present state ("未开工的17个项目", "已竣工的5个") is not a target.
_STATE_BEFORE_RE = re.compile(r"[未已](?:开工|完成|竣工|投产|建成|达标|落地|到位|验收|签约)的?$")
# A capacity before the name of a work is part of that name ("年产5万吨再生铝项目",
# "日处理3万吨污水处理厂") …
_CAPACITY_RE = re.compile(r"(?:年产|日产|月产|年处理|日处理|年加工|年出栏|年屠宰|年吞吐|年产能|装机)$")
_NAMED_WORK_AHEAD_RE = re.compile(
    r"[^,、。;:!?\n]{0,16}?(?:项目|工程|生产线|厂|基地|电站)")
# … and what a work will yield once running is an effect, not a commitment of the plan:
# "项目投产后可实现年产值10亿元" (a time limit is still one: "竣工后3个月内完成验收").
_EFFECT_RE = re.compile(r"(?:建成|投产|达产|竣工|投运|运营)后")
# A small Chinese count ("两个", "三项") is a set phrase ("落实两个责任") unless a
# delivery verb or comparator stands right before it ("建成两家", "新增三个").
# … or when the clause creates the things it then counts ("全年新开工亿元以上项目十个").
_CREATE_IN_CLAUSE_RE = re.compile(r"新开工|新建|新增|引进|招引|培育|创建|建成|完成")
_CLAUSE_ENDS_RE = re.compile(r"\s*(?:以上|左右)?\s*(?:[,;。!?\n]|$)")
_CREATE_BEFORE_RE = re.compile(
    r"(?:建成|新建|建设|新增|打造|培育|创建|实施|完成|引进|招引|办好|举办|开工|改造|认定|"
    r"争创|创成|组建|成立|推出|新开工|不少于|不低于|至少|超过|超|突破|达到|达)\s*$"
)

# Comparator word right before the number (searched in the few characters before it).
_PREFIX_RE = re.compile(
    r"(?P<w>不少于|不低于|不小于|至少|不超过|不高于|不大于|超过|超出|突破|高于|大于|多于|"
    r"低于|少于|小于|控制在|控制到|控制为|压缩至|压缩到|压减至|缩短至|缩短到|降至|降到|"
    r"降低至|降低到|下降至|下降到|减少至|减少到|约为|约|达到|达|实现|完成|建成|"
    r"提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|增至|保持在|稳定在|超)"
    r"(?:在|到|至|为)?\s*$"
)
_STRONG = {
    "不少于": ">=", "不低于": ">=", "不小于": ">=", "至少": ">=",
    "不超过": "<=", "不高于": "<=", "不大于": "<=",
    "超过": ">", "超出": ">", "突破": ">", "高于": ">", "大于": ">", "多于": ">", "超": ">",
    "低于": "<", "少于": "<", "小于": "<",
    "控制在": "<=", "控制到": "<=", "控制为": "<=", "压缩至": "<=", "压缩到": "<=",
    "压减至": "<=", "缩短至": "<=", "缩短到": "<=", "降至": "<=", "降到": "<=",
    "降低至": "<=", "降低到": "<=", "下降至": "<=", "下降到": "<=", "减少至": "<=",
    "减少到": "<=",
    "约": "approx", "约为": "approx",
}
# Comparator word right after the number and unit; a bare "内" only after a time unit
# ("24小时内" → <=, but "10家内资企业" has no comparator).
_SUFFIX_RE = re.compile(r"\s*(?P<w>以上|以下|以内|之内|左右|上下(?!游)|内)")
_SUFFIX = {"以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
           "左右": "approx", "上下": "approx"}

# ------------------------------------------------- qualifiers and kinds -----

# Qualifiers (see _qualifies): a conjunction between two figures makes them two targets;
# an amount qualifies the entities named right after it.
_QUAL_JOIN_RE = re.compile(r"[、和及与或并]|同时|其中")
# Where a clause holding two figures is cut between them (the first join after the first).
_LIST_JOIN_RE = re.compile(r"、|以及|和|及|与")
_NEW_PREDICATE_RE = re.compile(r"(?:实现|完成|确保|力争|争取|新增|引进)")
_QUAL_ENTITY_RE = re.compile(
    r"^的?[^\d,]{0,8}?(?:项目|企业|公司|集团|村|社区|园区|基地|平台|楼宇|主体|商户|户|单位|工厂)"
    r"(?:数量|数)?(?:达到|达|为)?$"
)

# "亿元项目", "亿元以上项目": a class of projects of at least 1 亿元 each.
_HUNDRED_MILLION_CLASS_RE = re.compile(r"(?<![\d.零〇一二两三四五六七八九十百千万])亿元(?:以上|级)?的?(?:项目|工程)")
# An amount word in a class of projects ("亿元以上项目", "超10亿元的项目").
_AMOUNT_IN_CLASS_RE = re.compile(r"亿元|万元|亿美元|万美元")
# An investment figure standing alone in its clause ("总投资12亿元", "计划投资3.5亿元") is
# the amount of the work named in the clause before it (see _investment_of_named_work).
_INVESTMENT_ONLY_RE = re.compile(
    r"^(?:其中)?(?:计划|总|估算|概算|预计)?投资(?:额)?(?:约为|约|达到|达|为)?$")
_NAMES_WORK_RE = re.compile(r"项目|工程")

# ------------------------------------------------------------- clauses -------

# Clause ends; a comma between digits groups thousands (1,200) and is not one.
_CLAUSE_SEP_RE = re.compile(r"[。!?;\n\r:]|(?<!\d),|,(?!\d{3}(?!\d))")

# ------------------------------------------------------------ past tense -----
#
# A review ("2023年，街道…取得新成效。全年完成投资12亿元；新增企业8家。") is read as
# one block: the past context opened by a time word lasts to the end of the paragraph
# (across 。 and ；), and in the preamble before the first section across paragraphs,
# until a forward-looking word (今年, 力争, 主要目标, 重点任务 …) or a year not before
# the plan year opens the plan itself.  Section and measure headings end it too.

# Time words that open the past ("比去年"/"较上年"/"超过去年" compare, they do not).
# A review opener (去年, 一年来 …) governs its block; a status or background phrase
# (截至目前, 今年以来, 近年来 — group "weak") only its own sentence.
_PAST_TIME_RE = re.compile(
    r"(?<![比较与同于过])(?:去年|上年度|上一年|上年(?!同期)|过去一年|过去的一年|过去五年|一年来|"
    r"十三五以来|十三五期间|“十三五”以来|“十三五”期间|"
    r"(?P<weak>本次|今年以来|截至目前|截止目前|截至\d{4}年|截止\d{4}年|近年来|近几年来?|多年来|"
    r"长期以来))"
)
# Verbs in the past: 已完成, 建成了, 未发生 …  ("已有成果" is a noun phrase, not a claim.)
# Existing state is not a target either: "尚有3个项目未开工", "仍未完成".
_PAST_VERB_RE = re.compile(
    r"已经|已(?=[完建实达开投竣引增落签创获新全基顺成累通形培招举])|未发生|尚未|仍未|还未|"
    r"未(?:开工|完成|竣工|投产|建成|达标|落地|到位|验收)(?![的项])|"
    r"(?:完成|建成|实现|达到|开工|投产|竣工|引进|新增|落户|签约|创成|获批|增长|下降|提高|"
    r"提升|突破|超过|培育|招引|举办|成功|创建)了"
)
# Words that make a clause forward-looking again after a past one.  Bare 目标/计划 are
# left out: a review says "圆满完成年度目标任务" and "完成计划的112%".
_FORWARD_RE = re.compile(
    r"今年(?!以来)|明年|本年度|新的一年|新一年|力争|确保|预计|争取|下一步|下阶段|预期|"
    r"(?:主要|总体|发展|工作)目标|目标(?:是|为|任务是)|总体要求|重点任务|主要任务|重点工作|"
    r"工作安排|工作思路|工作打算|工作计划|计划(?=[新完实开建引投])"
)
# A year as written: 2024年 or 二〇二四年 / 二零二四年 (see _year).
_YEAR = r"(20\d\d|二[〇零][〇零一二三四五六七八九]{2})年"
_LEADING_YEAR_RE = re.compile(r"\s*(?:在|到)?" + _YEAR)
# The plan year: a year naming the plan ("2024年工作计划", "2025年实施方案") — in the title
# line if there is one, else the latest such year in the opening (not "到2025年", a horizon,
# nor "2023年工作回顾", a review).
_PLAN_YEAR_RE = re.compile(
    r"(?<![到至止])" + _YEAR + r"(?![^。\n]{0,6}?(?:回顾|总结|情况|成效|以来))[^。\n]{0,20}?"
    r"(?:计划|要点|安排|工作|目标|打算|方案|意见|措施|任务|办法|清单|分工|报告)"
)
_PLAN_YEAR_SCAN = 1000
# A section whose title reviews the past ("一、2020年工作回顾") holds no targets.
_PAST_SECTION_RE = re.compile(
    r"回顾|主要成绩|取得的成绩|工作总结|完成情况|进展情况|工作成效|主要成效|发展成就|基本情况"
)
# … unless the title also looks ahead ("一、2023年工作总结和2024年工作安排").
_FORWARD_TITLE_RE = re.compile(r"计划|打算|安排|思路|目标|任务|举措|措施|要点|展望")

_LINE_END_RE = re.compile(r"[\n\r]+")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _year(s: str) -> int:
    """"2024" or "二〇二四" → 2024."""
    return int(s.translate(_CN_YEAR_DIGITS))


def plan_year(norm: str) -> int | None:
    """The year the plan is for (see _PLAN_YEAR_RE), or None."""
    head = norm[:_PLAN_YEAR_SCAN]
    line_end = _LINE_END_RE.search(head)
    title = head[:line_end.start()] if line_end else head
    if len(title) <= 60 and "。" not in title:
        y = _PLAN_YEAR_RE.search(title)
        if y:
            return _year(y.group(1))
    years = [_year(y.group(1)) for y in _PLAN_YEAR_RE.finditer(head)]
    return max(years) if years else None


# ------------------------------------------------------------ projects -------

# Delivery steps: the checkable end state a named work reaches ("A项目年内开工",
# "B大桥建成通车", "C医院大楼竣工投用", "D中心挂牌运营").
_STEP_WORDS = (r"投入使用|投入运营|投入运行|开工|复工|竣工|完工|封顶|投产|达产|开业|投运|投用|通车|"
               r"交付|挂牌|验收|并网|落地|签约|落户|建成")
# A step only counts when it ends its clause (modulo the words that complete it, see
# _STEP_RUN_RE): "开工率达到90%", "新开工项目20个", "开工时限", "验收管理" use the step
# word as a modifier, and "未开工"/"已竣工" state a fact.
_PROJECT_DELIVERY_RE = re.compile(rf"(?<![未尚已再])(?:{_STEP_WORDS})")
# The rest of a run of steps: "开工建设", "建成通车", "竣工并投入使用", "挂牌运营".
_STEP_RUN_RE = re.compile(
    rf"(?:(?:并|和|及|、)?(?:实现|正式|全面|按期|顺利|同步)?"
    rf"(?:{_STEP_WORDS}|建设|使用|运营|运行|营业|发电|见效|达效|增效|成立|运转|到位))*"
)
_STEP_ONLY_RE = re.compile(rf"(?:{_STEP_WORDS})")
# … or when a new predicate follows it ("A项目年内开工建设并完成投资2亿元").
_NEXT_PREDICATE_RE = re.compile(r"并(?!网)|同时|确保|力争|争取")
# Any project step, to name the milestone of a project with an amount (招引50亿元…项目).
_PROJECT_STEP_RE = re.compile(
    r"招引|引进|开工|竣工|投产|达产|签约|落户|开业|完工|投运|投用|通车|落地|建成")
# Commitment words opening a clause, dropped from item names and indicators.
_LEAD_RE = re.compile(  # used with match(pos): no "^", which would not anchor at pos
    r"(?:确保|力争|争取|推动|推进|加快|加速|促进|全力|全面|努力|实现|抓好|做好|支持|"
    r"重点(?=[推抓实建打培发做加])|"  # "重点推进…" — but "重点工程" is a class
    r"保障|督促|力促|积极|大力|扎实|着力|强力|有序|稳步|抓紧|要|并|同时|全年|今年|年内|"
    r"服务好?(?=(?:一批|重大|重点|在建|项目))|"  # "全力服务重大项目落地" — not "服务外包产业园"
    r"进一步|持续|继续)+"
)
# Nouns that end the name of a piece of work ("…项目", "…工程", "…大道", "…医院", "…二期").
_WORKS_NOUN_RE = re.compile(
    r"(?:项目|工程|中心|大道|大街|路|街|桥|隧道|医院|学校|中学|小学|幼儿园|馆|院|园|站|厂|楼|"
    r"院区|校区|厂区|综合体|基地|广场|公园|小区|线|段|管网|码头|港|场|[一二三四五六七八九]期)$"
)
# A list closed by its class: "A、B、C等一批重大项目", "A、B等42个项目", "…等工程".
_LIST_CLOSURE_RE = re.compile(r"等[^、等]{0,12}?(?:项目|工程)$")
# What a list clause ends with when its step comes in the next clause:
# "加快A中心、B大道等项目建设，确保年内竣工".
_WORK_TAIL_RE = re.compile(r"(?:的)?(?:建设进度|建设|前期工作|推进)$")
# "一批重大项目" is a class, not a name; such a lone subject is too vague to check.
_GENERIC_PROJECT_RE = re.compile(
    r"^(?:一批|各类|所有|全部|更多|一些|重点|重大|重特大|在建|新建|续建|产业|工业|招商|建设|"
    r"外资|内资|标志性|引领性|示范性|龙头|优质|"
    r"市级|省级|县级|区级|的|和|及|、|项目)*$"
)
# Subjects too general to check ("一批工程", "重点项目") and trailing time words.
# ("新建…", "新上…" is a class; "新能源…", "新城…" begin a name.)
_GENERIC_THING_RE = re.compile(
    r"^(?:一批|各类|所有|全部|更多|一些|重点|重大|新建|新上|新增)|^(?:工程|项目|企业|设施)$")
_DEADLINE_TAIL_RE = re.compile(
    r"(?:20\d\d年)?(?:\d{1,2}月(?:底|末|份)?|年底|年末|年内|上半年|下半年|[一二三四1-4]季度末?)"
    r"(?:前|内)?$|(?:今年|当年|20\d\d年(?:底|末|内)?前?)$"
)
_AMOUNT_WORDS_RE = re.compile(r"(?:计划|总)?投资(?:额)?$|的$")
# Longest name of one item in a list of works.
_NAME_MAX = 40

# ---------------------------------------------------------- milestones -------

_NOT_HAPPEN_RE = re.compile(r"(?:不发生|零发生|杜绝|防止(?:出现|形成|发生))")
_FULL_COVER_RE = re.compile(r"(?:实现)?(?:全覆盖|全市通办|全省通办|全区通办|全县通办|全程网办|全在线|全贯通)")
# Everything of a kind reaching a state: "各级政务服务事项全部开通全程网办", "全面实现…证照电子化",
# "所有牧户实现按需接入宽带网络", "现行标准下贫困人口全部脱贫".
_ALL_DONE_RE = re.compile(
    r"(?:全部|全面|所有[^,。;:、]{1,8}?)(?P<w>实现|开通|纳入|兼容|接入|脱贫|达标|清零|销号|摘帽|迁移|入驻|办结|"
    r"整改到位|落地)(?!率)")
# Going live: "上线运行“创业包头云”服务平台", "智慧园区平台年内上线运行".
_GO_LIVE_RE = re.compile(r"(?<![未尚已再线])(?:正式)?上线(?:试运行|运行)?(?![前后率])")
_DEADLINE_STRIP_RE = re.compile(r"(?:20\d\d年)?(?:\d{1,2}月(?:底|末)?|年底|年内)前?$|(?:按时|如期|全面|正式|并)$")
# Vague words that only describe how far a task goes ("…的目标任务" names the task).
_VAGUE_WORD_RE = re.compile(r"更加|更高|一流|基础上|上级下达")
_COMPLETE_RE = re.compile(r"完成(?![率值了])")
_BUILT_RE = re.compile(r"建成(?![率区后了为])")
_CREATE_RE = re.compile(r"(?:成功)?(?:创建成|创成|创建为(?!契机)|争创成)(?!果)")
# A named thing (not caught as a work by the project pass) reaching a delivery step:
# "智慧园区平台年内建成投用" — a milestone.
_DELIVERED_RE = re.compile(
    r"(?<![未尚已再])(?:开工|竣工|投产|完工|封顶|投用|投运|投入使用|通车|开业|交付|挂牌|验收)")
# Adverbs between the thing and its step ("…全面开工建设", "…按期竣工").
_DELIVERED_ADVERBS = tuple(sorted(
    "全面 按期 如期 按时 顺利 年内 年底前 年底 上半年 下半年 建成 实现 确保 力争 争取 基本 全部 "
    "前 底 内 完成 率先 尽快 早日 正式 同步 陆续 相继 分别 通过 将 要 并 均 全力 主体".split(),
    key=len, reverse=True))
# 达到/实现 + a quoted code that names a goal ("达到省改目标“3550”").
_LABEL_RE = re.compile(r"(?P<verb>达到|实现)(?P<mid>[^,。;!?“”\n]{0,16}?)(?P<q>“[^”\"\n]{1,20}[”\"])")
_LABEL_NUMERAL_RE = re.compile(r"[\d一二三四五六七八九十百千]")
_LABEL_LEFT_RE = re.compile(r"(?:加快|力争|努力|全面|尽快|在)+$")
_LABEL_RIGHT_RE = re.compile(r"的[^,。;!?“”\n]{0,8}?(?:目标|基础上|标准|要求)")

# The object of 完成 must name a concrete piece of work …
_COMPLETE_OBJECT_RE = re.compile(
    r"(?:工程|工作|项目|建设|改造|整治|治理|搬迁|验收|编制|修编|拆除|安置|申报|换届|选举|普查|"
    r"试点|清理|收储|迁建|新建|扩建|立项|挂牌|上市|认证|评估|备案|建档|规划)$"
)
# … and of 建成 a concrete thing (or a named list "A、B等…").
_BUILT_OBJECT_RE = re.compile(
    r"(?:党组织|中心|工程|项目|基地|平台|园|站|室|馆|场|路|桥|线|厂|楼|学校|医院|幼儿园|小区|"
    r"公园|设施|示范村|示范点|示范区|村|社区|街区|管网|网络|系统|园区|载体|工厂|车间|[一二三四五六七八九]期)$"
)
# Aims that cannot be checked as written.
_VAGUE_RE = re.compile(
    r"各项|各类|目标任务|全年任务|年度任务|任务目标|上级下达|体系|格局|机制|环境|水平|氛围|局面|"
    r"态势|模式|高地|优势|强区|强镇|强县|名城|城市|品牌|基础上|一流|更加|更高"
)

# ------------------------------------------------------------- deadlines -----

# "5年内" / "三年内" is a duration, not the plan year's end.
_DEADLINE_RE = re.compile(
    r"(?:20\d\d年)?(?:\d{1,2}月(?:底|末|份)?前?|年底前?|年末|(?<![\d一二三四五六七八九十两])年内|上半年|下半年|"
    r"[一二三四1-4]季度末?)"
    r"|20\d\d年(?:底|末|内)?前?|全年|今年|明年|当年"
)

# ------------------------------------------------------------- indicators ----

_IND_LEAD_RE = re.compile(
    r"^(?:确保|力争|争取|努力|全年|今年|年内|年底前|年底|上半年|下半年|20\d\d年|"
    r"二〇[〇一二三四五六七八九]{2}年|全区|全镇|全县|全市|全乡|重点|同时|并且|并|"
    r"进一步|持续|继续|全力|力求|要|将|其中|主要预期目标|预期目标|主要目标|目标|在|计划|完成|实现)+"
)
_IND_TRAIL_WORDS = tuple(sorted(
    "不少于 不低于 不小于 至少 不超过 不高于 不大于 超过 超出 突破 高于 大于 多于 低于 少于 "
    "小于 控制在 控制到 压缩至 压缩到 缩短至 缩短到 降至 降到 约为 约 达到 达 实现 完成 "
    "保持在 稳定在 提高到 提高至 提升到 提升至 增加到 增长到 增至 动态 超 为 在 到 至 的".split(),
    key=len, reverse=True))
_IND_VERB_ONLY_RE = re.compile(r"^(?:建成|新建|建设|新增|打造|培育|创建|实施|完成|引进|招引|办好|"
                               r"举办|开工|新开工|改造|认定|组建|成立|推出|实现|累计|推动|推进|"
                               r"支持|帮助|带动|扶持|组织|开展|建立|发放|培训|服务|剩余|新认定)?$")
_IND_GROWTH_RE = re.compile(r"(?:增长|提升|提高|增加)$")
_IND_DROP_RE = re.compile(r"(?:下降|降低|减少)$")
_IND_POST_CUT_RE = re.compile(r"全部|全面|创建|实现|实施|达到|达标|完成|建成|开工|[,、]")
_IND_COUNTED_VERB_RE = re.compile(r"(建成|新建|新增|培育|引进|招引|创建)$")
_IND_POST_VERB_RE = re.compile(r"创建|创成|建成")


# Longest span kept around a number or a milestone word in a run-on clause.
_REACH = 150


def _strip_tail(s: str, words: tuple[str, ...]) -> str:
    """Drop trailing words one at a time (a regex "(?:a|b)+$" can backtrack badly)."""
    while s:
        for w in words:
            if s.endswith(w):
                s = s[:-len(w)]
                break
        else:
            return s
    return s


def _clean(s: str) -> str:
    return s.strip(" \t\r\n、,，")


class _Mention:
    __slots__ = ("s", "e", "e2", "pstart", "value", "vmax", "unit", "comp", "strong",
                 "suffix", "explicit", "clause")

    def __init__(self, s, e, e2, pstart, value, vmax, unit, comp, strong, suffix, explicit, clause):
        self.s, self.e, self.e2, self.pstart = s, e, e2, pstart
        self.value, self.vmax, self.unit, self.comp = value, vmax, unit, comp
        self.strong, self.suffix, self.explicit, self.clause = strong, suffix, explicit, clause


class _Doc:
    """One plan being read: boundaries, quotes, structure and the past-tense cache."""

    def __init__(self, text, norm, sections, measures, marker_ends, year=None, cuts=()):
        self.text, self.norm, self.n = text, norm, len(text)
        # `cuts`: more clause ends (a task's attribute brackets end what stands before them)
        self.cb = sorted({*(m.start() for m in _CLAUSE_SEP_RE.finditer(norm)), *cuts})
        self.quotes = Spans([m.span() for m in QUOTED_RE.finditer(norm)])
        self.marker_ends = marker_ends  # marker start -> marker end (all heading candidates)
        self.sections, self.measures = sections, measures
        self.sec_starts = [s.start for s in sections]
        self.mea_starts = [m.start for m in measures]
        self.plan_year = year or plan_year(norm)
        self.past_sections = {i for i, s in enumerate(sections) if self._past_title(s.title)}
        # Where a past context ends: paragraph starts inside the body, every section and
        # measure start (the preamble before the first section is one block).
        body = sections[0].start if sections else self.n
        self.block_starts = sorted({0, *self.sec_starts, *self.mea_starts,
                                    *(m.end() for m in _LINE_END_RE.finditer(norm, body))})
        self.by_clause: dict[int, list[_Mention]] = {}  # filled by find_targets
        self._past: dict[int, bool] = {}
        self._bounds: dict[int, tuple[int, int]] = {}

    # -- clauses ----------------------------------------------------------
    def clause_of(self, pos: int) -> int:
        return bisect_right(self.cb, pos - 1) if pos else 0

    def raw_bounds(self, k: int) -> tuple[int, int]:
        return (self.cb[k - 1] + 1 if k > 0 else 0), (self.cb[k] if k < len(self.cb) else self.n)

    def clause_bounds(self, k: int) -> tuple[int, int]:
        """Clause k without surrounding blanks and without an opening heading marker."""
        got = self._bounds.get(k)
        if got is not None:
            return got
        cs, ce = self.raw_bounds(k)
        cs = lstrip_pos(self.norm, cs, ce)
        for _ in range(2):  # a clause may open with a heading marker: skip it
            end = self.marker_ends.get(cs)
            if end is None or end > ce:
                break
            cs = lstrip_pos(self.norm, end, ce)
        got = self._bounds[k] = (cs, rstrip_pos(self.norm, cs, ce))
        return got

    # -- past tense -------------------------------------------------------
    def _past_title(self, title: str) -> bool:
        if _FORWARD_TITLE_RE.search(title):
            return False
        if _PAST_SECTION_RE.search(title):
            return True
        y = _LEADING_YEAR_RE.match(title)  # "一、2023年主要工作" in a 2024 plan
        return bool(y and self.plan_year and _year(y.group(1)) < self.plan_year)

    def is_past(self, k: int) -> bool:
        """Whether clause k reports the past.  Its block (see above) is read once, clause
        by clause, because a time word (去年，… / 2023年，…) governs what follows it."""
        if k in self._past:
            return self._past[k]
        a, _ = self.raw_bounds(k)
        i = bisect_right(self.block_starts, a) - 1
        bs = self.block_starts[i]
        be = self.block_starts[i + 1] if i + 1 < len(self.block_starts) else self.n
        first = self.clause_of(bs)
        norm = self.norm
        ctx = weak = False
        for j in range(first, len(self.cb) + 1):
            a, b = self.raw_bounds(j)
            if j > k and a >= be:
                break
            if weak and a and norm[a - 1] in "。!?\n\r":
                ctx = weak = False  # "近年来…" sets the scene for one sentence only
            chunk = norm[max(a, bs):b]
            own = bool(_PAST_VERB_RE.search(chunk))
            t = _PAST_TIME_RE.search(chunk)
            if _FORWARD_RE.search(chunk) and not own:
                ctx = weak = False
            elif t:
                ctx, weak = True, t.group("weak") is not None
            elif self.plan_year:
                y = _LEADING_YEAR_RE.match(chunk)
                if y:
                    ctx, weak = _year(y.group(1)) < self.plan_year, False
            self._past[j] = ctx or own
        return self._past[k]

    def section_index(self, pos: int) -> int:
        i = bisect_right(self.sec_starts, pos) - 1
        if i >= 0 and pos < self.sections[i].end:
            return i
        return -1

    def blocked(self, k: int, pos: int) -> bool:
        """True when clause k is in the past or pos lies in a retrospective section."""
        si = self.section_index(pos)
        return (si >= 0 and si in self.past_sections) or self.is_past(k)

    # -- numbers ----------------------------------------------------------
    def mention(self, m: re.Match) -> _Mention | None:
        norm = self.norm
        s, e = m.start(), m.end()
        if self.quotes.containing(s) >= 0:
            return None
        rank = False
        if s and norm[s - 1] in _BAD_BEFORE:
            if norm[s - 1] != "前":
                return None
            if _RANK_BEFORE_RE.search(norm, max(0, s - 12), s):
                rank = True  # "考评进入前五位": at most 5th
            elif not (norm[s - 2:s - 1] in _TIME_BEFORE_QIAN or norm[max(0, s - 3):s - 1] in _STEP_BEFORE_QIAN):
                return None
        nxt = norm[e:e + 1]
        if nxt and (nxt.isascii() and nxt.isalnum() or nxt == "级"):
            return None  # 4A级, 百亿级, 3个G … are labels
        if m.group("pct") is not None:
            raw, unit, raw2, more = m.group("pct"), "%", None, None
            rank = False
        elif m.group("bare") is not None:
            if not _RATE_BEFORE_RE.search(norm, max(0, s - 8), s):
                return None
            raw, unit, raw2, more = m.group("bare"), None, None, None
        else:
            raw, unit, raw2, more = m.group("n1"), m.group("unit"), m.group("n2"), m.group("more")
            if m.group("u1") and m.group("u1") != unit:
                return None
        if s and norm[s - 1] == "后" and unit in RANK_UNITS:
            return None  # "排名后10名" is a rank
        if rank and unit not in RANK_UNITS:
            return None
        value = self._value(raw)
        if value is None:
            return None
        vmax = None
        if raw2 is not None:
            vmax = self._value(raw2)
            if vmax is None or vmax <= value:
                return None
        k = self.clause_of(s)
        cs, _ = self.clause_bounds(k)
        if s < cs:
            return None  # part of a heading marker
        ce = self.clause_bounds(k)[1]
        if "=" in norm[cs:ce]:
            return None  # the weights of a scoring formula ("分值=日常监测（60%）+…")
        if norm.startswith("在", cs) and "基础上" in norm[e:ce]:
            return None  # "在现有62项服务的基础上": a baseline
        before = norm[max(cs, s - 8):s]
        if before.endswith(("从", "由")):
            return None  # baseline of "从X提高到Y"
        if _STATE_BEFORE_RE.search(before):
            return None  # "对未开工的17个项目实行清单管理" counts what exists, not a target
        if _CAPACITY_RE.search(before) and _NAMED_WORK_AHEAD_RE.match(norm, e):
            return None  # "年产5万吨再生铝项目": the capacity is part of the project's name
        if unit not in TIME_UNITS and _EFFECT_RE.search(norm, max(cs, s - 30), s):
            return None  # "项目投产后可实现年产值10亿元": a projected effect, not a commitment
        is_cn = not raw[0].isdigit()
        if (is_cn and unit in COUNT_UNITS and value <= 10 and not rank
                and not _CREATE_BEFORE_RE.search(before)
                and not (_CREATE_IN_CLAUSE_RE.search(norm, cs, s) and _CLAUSE_ENDS_RE.match(norm, e))):
            return None
        p = _PREFIX_RE.search(before)
        word = p.group("w") if p else None
        pstart = s - (len(before) - p.start()) if p else s
        sm = _SUFFIX_RE.match(norm, e)
        if sm and sm.group("w") == "内" and unit not in TIME_UNITS:
            sm = None
        suffix = _SUFFIX[sm.group("w")] if sm else None
        e2 = sm.end() if sm else e
        strong = _STRONG.get(word) if word else None
        if unit == "个月" and not (strong or suffix):
            return None  # "用3个月时间开展整治" is how long a campaign runs, not a target
        if vmax is not None:
            comp = "range"
        elif rank:
            comp = "<="
        elif strong and not (strong == "approx" and suffix):
            comp = strong
        elif suffix:
            comp = suffix
        elif more:
            comp = ">"
        else:
            comp = ">="
        explicit = bool(word or suffix or more or rank or vmax is not None)
        return _Mention(s, e, e2, pstart, value, vmax, unit, comp, strong, suffix, explicit, k)

    @staticmethod
    def _value(raw: str):
        if raw[0].isdigit():
            return arabic_number(raw)
        if not (_CN_DIGIT_CHARS & set(raw)) and raw != "十":
            return None  # 百亿, 千万 … are orders of magnitude, not amounts
        if raw == "一":
            return None  # 一个/一家/一批 are figures of speech
        return cn_number(raw)

    # -- output -----------------------------------------------------------
    def target(self, start, end, *, value, vmax, unit, comp, kind, milestone, indicator):
        text = self.text
        start = lstrip_pos(text, start, end)
        end = rstrip_pos(text, start, end)
        span = text[start:end]
        d = _DEADLINE_RE.search(self.norm, start, end)
        return {
            "section": None, "measure": None, "text": span,
            "indicator": indicator or None, "comparator": comp, "value": value,
            "value_max": vmax, "unit": unit,
            "deadline_text": text[d.start():d.end()] if d else None,
            "kind": kind, "milestone": milestone, "start": start, "end": end,
        }


# =================================================================== passes ==

def _step_milestone(norm: str, v: re.Match, ce: int) -> str | None:
    """The end state named by step v when its run ends the clause (else None).

    "开工建设" → 开工, "竣工投产" → 竣工; "建成" yields to a more specific step after it
    ("建成通车" → 通车, "建成投用" → 投用), which names the state to check."""
    run = _STEP_RUN_RE.match(norm, v.end(), ce)
    if run.end() != ce and not _NEXT_PREDICATE_RE.match(norm, run.end(), ce):
        return None
    steps = [v.group(), *_STEP_ONLY_RE.findall(norm, v.end(), run.end())]
    return steps[1] if steps[0] == "建成" and len(steps) > 1 else steps[0]


def _subject_end(norm: str, a: int, b: int) -> int:
    """b moved left past the adverbs and time words before a step ("…6月底前全面" → "…")."""
    while b > a:
        s = norm[max(a, b - 16):b]  # the longest adverb or time word is shorter
        for w in _DELIVERED_ADVERBS:
            if s.endswith(w):
                b -= len(w)
                break
        else:
            t = _DEADLINE_TAIL_RE.search(s)
            if t is None:
                return b
            b -= len(s) - t.start()
    return b


def _item_end(norm: str, a: int, b: int) -> tuple[int, str | None]:
    """End of one item's name, and the item's own step if it has one:
    "B项目9月开工" (in "B项目9月开工、C项目年底竣工") → ("B项目", 开工)."""
    b = _subject_end(norm, a, b)
    for st in _STEP_ONLY_RE.finditer(norm, a, b):
        own = _step_milestone(norm, st, b)
        if own:
            return _subject_end(norm, a, st.start()), own
    return b, None


def _generic_item(name: str) -> bool:
    """A class, not a name: "一批重大项目", "重点工程", "学校" (a bare noun)."""
    stem = _WORKS_NOUN_RE.sub("", name)
    return (len(stem) < 2 or bool(_GENERIC_PROJECT_RE.match(stem))
            or bool(_GENERIC_THING_RE.search(stem)))


def _named_works(obj: str) -> list[str] | None:
    """The items of "A中心、B大道" when each names a work (see _WORKS_NOUN_RE), else None."""
    if "等" in obj:
        return None
    items = [_clean(x) for x in obj.split("、")]
    if all(_WORKS_NOUN_RE.search(x) and len(x) <= _NAME_MAX and not _generic_item(x)
           for x in items):
        return items
    return None


def _project_rule(doc: _Doc, k: int, by_clause: dict, taken: set[int]):
    """Named works reaching a delivery step: one target per item of "A、B、C等…项目开工".

    The step must end clause k (see _STEP_RUN_RE).  The works are named before it in the
    same clause, or — when the clause is only the step ("确保年内竣工") — in the clause
    before ("加快A中心、B大道等项目建设，").  They are a list closed by its class
    ("…等一批重大项目", "…等42个项目": the count is a target of its own) or a list whose
    last item ends with a works noun (项目, 工程, 大道, 医院 …, see _WORKS_NOUN_RE).

    An amount inside an item ("总投资20亿元的A项目") is that item's.  It carries over to
    the items after it that have none only when it is a threshold (超/以上/不低于 …):
    "超10亿元的B、C、D等一批项目" describes a class each member is in, whereas a plain
    figure ("总投资65亿元的A项目、B项目") is one project's amount (or the list's total) and
    would be wrong for every other item.

    Returns (targets, clauses taken, mentions of those clauses not used here) or None.
    """
    norm = doc.norm
    cs, ce = doc.clause_bounds(k)
    for v in _PROJECT_DELIVERY_RE.finditer(norm, cs, ce):
        if doc.quotes.containing(v.start()) < 0:
            milestone = _step_milestone(norm, v, ce)
            if milestone:
                break
    else:
        return None
    lead = _LEAD_RE.match(norm, cs, v.start())
    ss = lead.end() if lead else cs
    se = _subject_end(norm, ss, v.start())
    clauses, span_start = [k], cs
    if se - ss < 2:  # the clause is only the step: the works are in the clause before
        j = k - 1
        if j < 0 or j in taken or norm[doc.cb[j]] != ",":
            return None
        ps, pe = doc.clause_bounds(j)
        if pe - ps < 2 or doc.blocked(j, ps):
            return None
        lead = _LEAD_RE.match(norm, ps, pe)
        ss = lead.end() if lead else ps
        tail = _WORK_TAIL_RE.search(norm, ss, pe)
        se = tail.start() if tail else pe
        clauses, span_start = [j, k], ps
    if se - ss < 2:
        return None
    if se - ss > _REACH:  # a run-on list: keep the items near the step
        cut = norm.find("、", se - _REACH, se)
        ss = cut + 1 if cut != -1 else se - _REACH
    mentions = [m for c in clauses for m in by_clause.get(c, ())]
    closure = _LIST_CLOSURE_RE.search(norm, ss, se)
    counted = None
    if closure:
        items_end = closure.start()
        counted = next((m for m in mentions
                        if items_end < m.s < se and m.unit in COUNT_UNITS), None)
    elif _WORKS_NOUN_RE.search(norm[ss:se]):
        items_end = se
    else:
        return None  # not works: left to the milestone pass
    if any(m.unit in COUNT_UNITS and ss <= m.s < items_end for m in mentions):
        return None  # "20个项目…开工" counts a class of projects: a number target

    items = []
    a = ss
    while a < items_end:
        b = norm.find("、", a, items_end)
        b = items_end if b == -1 else b
        items.append((lstrip_pos(norm, a, b), *_item_end(norm, a, b)))
        a = b + 1
    money = [m for m in mentions if m.unit in MONEY_UNITS and ss <= m.s < items_end]
    start = span_start if ss - span_start <= _REACH else ss
    out = []
    # (value, unit, comparator, value_max) shared with the items that follow; a class named by
    # its size without a figure ("等一批亿元项目") is one of at least 1 亿元
    carry = (1, "亿元", ">=", None) if closure and _HUNDRED_MILLION_CLASS_RE.search(closure.group()) else None
    for a, b, own_step in items:
        m = next((m for m in money if a <= m.s < b), None)
        if m is not None:
            own = (m.value, m.unit, m.comp, m.vmax)
            threshold = m.vmax is None and (m.strong in (">", ">=") or m.suffix == ">=")
            carry = own if threshold else None
            name = _clean(norm[m.e2:b]).lstrip("的")
            if len(name) < 2:
                name = _AMOUNT_WORDS_RE.sub("", _clean(norm[a:m.pstart]))
        else:
            own = carry
            name = _clean(norm[a:b])
        name = _clean(name)
        if len(name) < 2 or len(name) > _NAME_MAX or (own is None and _generic_item(name)):
            continue
        value, unit, comp, vmax = own if own else (None, None, "=", None)
        end = norm.rfind(name, a, b + 1)
        label = doc.text[end:end + len(name)] if end != -1 else name
        noun = "" if _WORKS_NOUN_RE.search(label) else "项目"
        out.append(doc.target(start, ce, value=value, vmax=vmax, unit=unit, comp=comp,
                              kind="project", milestone=own_step or milestone,
                              indicator=label + noun + ("投资额" if value is not None else "")))
    if not out:
        return None
    if counted is not None:
        out.append(doc.target(start, ce, value=counted.value, vmax=counted.vmax,
                              unit=counted.unit, comp=counted.comp, kind="project",
                              milestone=milestone, indicator=f"{milestone}项目数"))
    used = {id(m) for m in mentions if ss <= m.s < se}
    return out, clauses, [m for m in mentions if id(m) not in used]


def _numeric_rule(doc: _Doc, k: int, mentions: list[_Mention]) -> list[dict]:
    norm = doc.norm
    cs, ce = doc.clause_bounds(k)
    # Group list members: "50亿元、100亿元以上" share their comparator.
    groups: list[list[_Mention]] = []
    for m in mentions:
        prev = groups[-1][-1] if groups else None
        if (prev is not None and prev.unit == m.unit
                and norm[prev.e2:m.pstart].strip() in ("、", "和", "及", "或")):
            groups[-1].append(m)
        else:
            groups.append([m])
    for g in groups:
        if len(g) > 1:
            last, first = g[-1], g[0]
            for m in g[:-1]:
                if last.suffix and not m.strong and not m.suffix and m.vmax is None:
                    m.comp = last.suffix
            for m in g[1:]:
                if first.strong and not m.strong and not m.suffix and m.vmax is None:
                    m.comp = first.strong

    # A number that describes the subject of a later number in the same stretch is
    # not a target (see _qualifies): "4个经济薄弱村经营收入50万元以上" → 50万元;
    # "10亿元以上项目不少于2个" → 2个.  Joined figures are two targets:
    # "新建幼儿园3所和卫生服务站5个" → 3所, 5个.
    kept: list[list[_Mention]] = []
    qualifier_end: dict[int, int] = {}
    for i, g in enumerate(groups):
        if len(g) == 1 and i + 1 < len(groups):
            nxt = groups[i + 1][0]
            shape = _qualifies(g[0], nxt, norm[g[0].e2:nxt.pstart])
            if shape:
                # the indicator keeps a money qualifier ("10亿元以上项目数"), not a count
                if shape == "count":
                    qualifier_end[id(groups[i + 1])] = g[0].e2
                continue
        kept.append(g)

    out = []
    for i, g in enumerate(kept):
        seg_start, seg_end = cs, ce
        # two figures joined by 、/和/及 each keep their own part of the clause
        if i > 0:
            j = _LIST_JOIN_RE.search(norm, kept[i - 1][-1].e2, g[0].pstart)
            if j:
                seg_start = j.end()
        if i + 1 < len(kept):
            j = _LIST_JOIN_RE.search(norm, g[-1].e2, kept[i + 1][0].pstart)
            if j:
                seg_end = j.start()
        # a run-on clause: keep the span near the numbers
        seg_start = max(seg_start, g[0].pstart - _REACH)
        seg_end = min(seg_end, g[-1].e2 + _REACH)
        pre_start = max(seg_start, qualifier_end.get(id(g), seg_start))
        seg = norm[seg_start:seg_end]
        step = (_PROJECT_STEP_RE.search(seg)
                or _PROJECT_STEP_RE.search(norm, max(cs, seg_start - _REACH),
                                           min(ce, seg_end + _REACH)))
        # LABELS: a class of projects is a `project` target when it has an amount or a
        # delivery step ("招引超亿元项目15个", "新开工项目20个"); a bare count of projects
        # ("实施城中村改造项目3个") is a quantity like any other count.
        project_class = "项目" in seg and bool(_PROJECT_STEP_RE.search(seg)
                                              or _AMOUNT_IN_CLASS_RE.search(seg))
        for m in g:
            is_money = m.unit in MONEY_UNITS
            if m.unit in RATIO_UNITS:
                kind = "ratio"
            elif is_money and ("项目" in seg or _investment_of_named_work(doc, k, seg_start, m)):
                kind = "project"
            elif m.unit in COUNT_UNITS and project_class:
                kind = "project"
            else:
                kind = "quantity"
            indicator = _numeric_indicator(doc, pre_start, g[0].pstart, g[-1].e2, seg_end, m, kind)
            out.append(doc.target(
                seg_start, seg_end, value=m.value, vmax=m.vmax, unit=m.unit, comp=m.comp,
                kind=kind, milestone=(step.group() if kind == "project" and step else None),
                indicator=indicator,
            ))
    return out


def _investment_of_named_work(doc: _Doc, k: int, seg_start: int, m: _Mention) -> bool:
    """"实施A工程，总投资12亿元，…": an investment figure standing alone in the clause
    after one that names a work is that work's amount."""
    if not _INVESTMENT_ONLY_RE.match(doc.norm[seg_start:m.pstart].strip()):
        return False
    if k == 0 or doc.norm[doc.cb[k - 1]] != ",":
        return False
    if any(x.unit in COUNT_UNITS for x in doc.by_clause.get(k - 1, ())):
        return False  # "安排重大项目120个，总投资860亿元": the total of a counted class
    ps, pe = doc.clause_bounds(k - 1)
    return _NAMES_WORK_RE.search(doc.norm, ps, pe) is not None


def _qualifies(m: _Mention, nxt: _Mention, between: str) -> str | None:
    """Whether figure m only describes what the next figure nxt measures or counts.

    "count": a bare count of entities followed, with no conjunction, by an attribute of
    those entities given with a comparator ("4个经济薄弱村经营收入50万元以上").
    "class": an amount right before the entities that a count then counts ("营业收入超
    10亿元企业达到8家", "10亿元以上的项目不少于2个")."""
    if _QUAL_JOIN_RE.search(between) or between.startswith("("):
        return None  # joined figures, or a figure restated in an aside ("新增2400户（累计约3600户）")
    if (m.unit in COUNT_UNITS and not m.explicit and nxt.explicit
            and between[:1] not in ("", " ")):
        return "count"
    if (m.unit not in COUNT_UNITS and m.unit not in RATIO_UNITS and nxt.unit in COUNT_UNITS
            and _QUAL_ENTITY_RE.match(between) and not _NEW_PREDICATE_RE.match(between)):
        return "class"
    return None


def _numeric_indicator(doc: _Doc, a: int, b: int, c: int, d: int, m: _Mention, kind: str) -> str:
    """Best-effort short name: the words before the number, else the noun after it."""
    text = doc.text
    pre_raw = doc.norm[a:b]
    pre = _IND_LEAD_RE.sub("", _clean(pre_raw))
    pre = _strip_tail(pre, _IND_TRAIL_WORDS)
    post = _clean(doc.norm[c:d])
    if kind == "project":
        what = "投资额" if m.unit in MONEY_UNITS else "数"
        p = post.find("项目")
        if p != -1:
            return post[:p + 2].lstrip("的") + what
        return _AMOUNT_WORDS_RE.sub("", pre) + what
    if len(pre) >= 2 and not _IND_VERB_ONLY_RE.match(pre):
        if m.unit in RATIO_UNITS:
            if _IND_GROWTH_RE.search(pre):
                pre = _IND_GROWTH_RE.sub("增幅", pre)
            elif _IND_DROP_RE.search(pre):
                pre = _IND_DROP_RE.sub("降幅", pre)
        elif m.unit in ("人", "名", "万人", "万名"):
            pre += "人数"
        elif m.unit in COUNT_UNITS:
            pre += "数"
        # keep the original spelling when the cleaned words are a verbatim piece
        i = pre_raw.find(pre)
        return text[a + i:a + i + len(pre)] if i != -1 else pre
    cut = _IND_POST_CUT_RE.search(post)
    noun = post[:cut.start()] if cut else post
    noun = noun[:20]
    if not noun:
        return pre
    if "达标" in post:
        return noun + "达标数"
    made = _IND_POST_VERB_RE.search(post)  # "7个基层党组织创建示范党组织" → 示范党组织创建数
    if made and made.end() < len(post):
        return _clean(post[made.end():])[:20] + made.group() + "数"
    verb = _IND_COUNTED_VERB_RE.search(pre)
    return noun + (verb.group(1) if verb else "") + "数"


def _milestone_hits(doc: _Doc, skip: set[int]) -> list[tuple[int, int, dict]]:
    """(clause, position, target) for end states without a number."""
    norm, text = doc.norm, doc.text
    hits = []

    def clause(pos):
        k = doc.clause_of(pos)
        if k in skip or doc.quotes.containing(pos) >= 0:
            return None
        return k

    def near(k, m, before=_REACH, after=_REACH):
        """Clause bounds, or None when the clause runs on too far around the word."""
        cs, ce = doc.clause_bounds(k)
        if m.start() - cs > before or ce - m.end() > after:
            return None
        return cs, ce

    def in_reach(regex, **reach):
        """(match, clause, clause start, clause end) of each word in a clause near enough."""
        for m in regex.finditer(norm):
            k = clause(m.start())
            bounds = None if k is None else near(k, m, **reach)
            if bounds is not None:
                yield m, k, *bounds

    def add(k, pos, start, end, *, indicator, milestone, value=None, kind="milestone"):
        hits.append((k, pos, doc.target(start, end, value=value, vmax=None, unit=None, comp="=",
                                         kind=kind, milestone=milestone, indicator=indicator)))

    for m, k, cs, ce in in_reach(_NOT_HAPPEN_RE):
        obj = _clean(norm[m.end():ce])
        if len(obj) < 2 and m.group() == "零发生":  # "实现安全生产事故零发生"
            obj = _IND_LEAD_RE.sub("", _clean(norm[cs:m.start()]))
            if obj.startswith("实现"):
                obj = obj[2:]
            if len(obj) >= 2:
                add(k, m.start(), cs, ce, indicator=obj + "发生数", milestone="不发生", value=0)
        elif len(obj) >= 2:
            add(k, m.start(), cs, ce, indicator=text[ce - len(obj):ce] + "发生数",
                milestone="不发生", value=0)

    for m, k, cs, ce in in_reach(_DELIVERED_RE, before=50, after=12):
        step = _step_milestone(norm, m, ce)  # "验收管理", "开工时限" name no end state
        if step is None:
            continue
        lead = _LEAD_RE.match(norm, cs, m.start())
        a = lead.end() if lead else cs
        # "…年内建成" / "…6月底前全面": drop the adverbs and time words before the step
        subj = _clean(norm[a:_subject_end(norm, a, m.start())])
        if (len(subj) < 2 or _VAGUE_RE.search(subj) or _GENERIC_PROJECT_RE.match(subj)
                or _GENERIC_THING_RE.search(subj)):
            continue
        add(k, m.start(), cs, ce, indicator=subj + step, milestone=step)

    for m, k, cs, ce in in_reach(_ALL_DONE_RE, before=60, after=70):
        whole = _clean(norm[cs:ce])
        lead = _LEAD_RE.match(norm, cs, ce)
        a = lead.end() if lead else cs
        # what reaches the state must be named: not "年底前全部办结"
        named = _clean(norm[a:_subject_end(norm, a, m.start())]) + _clean(norm[m.end():ce])
        if len(named) < 4 or _ABSTRACT_END_RE.search(whole) or _VAGUE_WORD_RE.search(whole):
            continue
        add(k, m.start(), cs, ce, indicator=text[a:ce].strip(), milestone=m.group("w"))

    for m, k, cs, ce in in_reach(_GO_LIVE_RE, before=60, after=60):
        obj = _clean(norm[m.end():ce])
        subj = _clean(norm[cs:m.start()])
        thing = obj if _BUILT_OBJECT_RE.search(obj) else subj
        if thing and _BUILT_OBJECT_RE.search(_DEADLINE_STRIP_RE.sub("", thing)) and not _VAGUE_RE.search(thing):
            add(k, m.start(), cs, ce, indicator=thing + "上线运行", milestone=m.group())

    for m, k, cs, ce in in_reach(_FULL_COVER_RE, before=60):
        word = m.group().removeprefix("实现")
        if word != "全覆盖" and norm[m.end():ce].strip():
            continue  # "优化全市通办事项目录": the words name a kind of service, not a state reached
        subj = _IND_LEAD_RE.sub("", _clean(norm[cs:m.start()]))
        if len(subj) >= 2 and not _VAGUE_RE.search(subj):
            add(k, m.start(), cs, ce, indicator=subj + ("覆盖" if word == "全覆盖" else word), milestone=word)

    for regex, word, obj_re in ((_COMPLETE_RE, "完成", _COMPLETE_OBJECT_RE),
                                (_BUILT_RE, "建成", _BUILT_OBJECT_RE)):
        for m, k, cs, ce in in_reach(regex, after=70):
            obj = _clean(norm[m.end():ce])
            if not (2 <= len(obj) <= 60):
                continue
            if _SLOGAN_RE.search(obj):
                continue  # "建成“品质、友好、智慧、活力”万里"
            if _VAGUE_RE.search(obj):
                if _plain_end_state(obj, word):
                    add(k, m.start(), cs, ce, indicator=text[ce - len(obj):ce], milestone=word)
                continue
            if _after_investment(doc, k):
                continue  # "计划投入2000万元，完成…工程": the amount's target
            named_list = "、" in obj or "等" in obj
            works = _named_works(obj) if word == "建成" else None
            if works:
                # "建成A中心、B大道": named works reaching a step are projects, one each
                # (all kept: position -1); "完成…工程" stays a milestone (LABELS)
                for name in works:
                    add(k, -1, cs, ce, indicator=name + "建成", milestone=word, kind="project")
            elif obj_re.search(obj) or (word == "建成" and named_list) or _plain_end_state(obj, word):
                add(k, m.start(), cs, ce, indicator=text[ce - len(obj):ce], milestone=word)

    for m, k, cs, ce in in_reach(_CREATE_RE, before=60, after=50):
        obj = _clean(norm[m.end():ce])
        if 2 <= len(obj) <= 40 and not _VAGUE_RE.search(obj):
            subj = _IND_LEAD_RE.sub("", _clean(norm[cs:m.start()]))
            add(k, m.start(), cs, ce, indicator=subj + obj + "创建",
                milestone=text[m.start():m.end()] + text[ce - len(obj):ce])

    for m in _LABEL_RE.finditer(norm):
        if not (_LABEL_NUMERAL_RE.search(m.group("q")) or norm.startswith("目标", m.end())):
            continue  # a quoted code, or a quote that names a goal: 实现“一站即达”目标
        k = doc.clause_of(m.start())
        if k in skip:
            continue
        cs, ce = doc.clause_bounds(k)
        start = m.start()
        left = _LABEL_LEFT_RE.search(norm, max(cs, start - 6), start)
        if left and left.end() == start:
            start = left.start()
        end = m.end()
        right = _LABEL_RIGHT_RE.match(norm, end, ce)
        if right:
            end = right.end()
        elif norm.startswith("目标", end):
            end += 2
        if "目标" not in norm[m.start():end]:
            continue
        mid = m.group("mid")
        indicator = text[m.start("mid"):m.end("q")] + ("" if "目标" in mid else "目标")
        hits.append((k, -1, doc.target(start, end, value=None, vmax=None, unit=None, comp="=",
                                       kind="milestone", milestone=m.group("verb"),
                                       indicator=indicator)))
    return hits


_IND_SUFFIXES = ("增幅", "降幅", "人数", "投资额", "数")
_SENTENCE_END_RE = re.compile(r"[。!?\n\r]")


# The object of 完成/建成 read as a plain end state (beyond _COMPLETE_OBJECT_RE): an action
# named by its noun ("完成目录数据挂载", "完成平台搭建、功能研发…等", "重点完成对接…体系"), an
# assigned task or quota with its subject ("完成节能减排年度目标任务", "完成…等限制性指标"), or for
# 建成 any named thing ("建成包头市财政业务底座和信息枢纽").
_ACTION_NOUN_RE = re.compile(
    r"(?:挂载|扩展|贯标|迁移|升级|对接|部署|接入|整合|开发|研发|搭建|上线|安装|调试|测试|铺设|配置|"
    r"填充|营销|手续|登记|入库|招标|采购|发布|制定|修订|梳理|设计|建设|改造|任务|指标)(?:等[^,;。]{0,6})?$")
_ACTION_FIRST_RE = re.compile(r"^(?:对接|搭建|部署|接入|迁移|升级|编制|制定|修订|整合|建设|改造)")
# … but not an unnamed quota ("完成全年目标任务", "完成各项任务", "完成上级下达的指标").
_UNNAMED_QUOTA_RE = re.compile(
    r"^(?:[^,、]{0,6}下达的|的|全年|年度|今年|本年度|各项|全部|上级|目标|主要|既定|工作|20\d\d年)*"
    r"(?:目标任务|任务目标|任务|指标|目标)$")
# Abstract nouns and slogans that no end state can check.
_ABSTRACT_END_RE = re.compile(
    r"(?:体系|格局|机制|环境|水平|氛围|局面|态势|模式|高地|优势|强区|强镇|强县|名城|城市|品牌|一流|社会|之年|"
    r"振兴|小康|现代化|发展|提升|突破)$")
# A slogan in quotes listing qualities: "建成“品质、友好、智慧、活力”万里".
_SLOGAN_RE = re.compile(r"“[^”\"]*、[^”\"]*[”\"]")


def _plain_end_state(obj: str, word: str) -> bool:
    body = obj.removesuffix("等")
    if _UNNAMED_QUOTA_RE.match(body):
        return False  # a quota with no subject
    if re.search(r"各项|各类|更加|更高|基础上|上级下达的?[^,]{0,4}(?:任务|指标)$", body) and not _NAMED_BEFORE_QUOTA_RE.search(body):
        return False
    if word == "建成":
        return 2 <= len(body) <= 40 and not _ABSTRACT_END_RE.search(body)
    if _ACTION_FIRST_RE.match(body):
        return True
    return bool(_ACTION_NOUN_RE.search(body)) and not _ABSTRACT_END_RE.search(
        re.sub(r"(?:建设|改造)$", "", body))


# "市政府下达的节能降耗等限制性指标": a quota named by its subject.
_NAMED_BEFORE_QUOTA_RE = re.compile(r"下达的(?!(?:年度|全年)?目标)[^,]{2,}(?:任务|指标)$")
_INVESTMENT_CLAUSE_RE = re.compile(r"^(?:计划|拟)?(?:投入|投资)(?:资金)?(?:约|达)?\d[\d.]*(?:万元|亿元)$")


def _after_investment(doc: _Doc, k: int) -> bool:
    """Whether clause k follows "计划投入2000万元，" — the work the amount pays for."""
    if k == 0 or doc.norm[doc.cb[k - 1]] != ",":
        return False
    ps, pe = doc.clause_bounds(k - 1)
    return _INVESTMENT_CLAUSE_RE.match(doc.norm[ps:pe]) is not None


def _inherit_indicators(found: list[dict], norm: str) -> None:
    """"一般公共预算收入达到35亿元，增长8%" → the second target is 一般公共预算收入增幅:
    a clause without its own subject borrows the previous one's in the same sentence."""
    prev = None
    for t in found:
        own = t["indicator"]
        if t["kind"] in ("ratio", "quantity") and (not own or own in ("增幅", "降幅")):
            if (prev is not None and prev["kind"] in ("ratio", "quantity") and prev["indicator"]
                    and t["start"] - prev["end"] <= 4
                    and not _SENTENCE_END_RE.search(norm, prev["end"], t["start"])):
                base = prev["indicator"]
                for suffix in _IND_SUFFIXES:
                    if base.endswith(suffix) and len(base) > len(suffix):
                        base = base[:-len(suffix)]
                        break
                t["indicator"] = base + (own or "")
        prev = t


# "固定资产投资、工业投资、服务业投资均增长12%左右": one figure shared by each indicator listed
# before 均/都 — one target per indicator (人均, 平均 are words, not "each").
_SHARED_FIGURE_RE = re.compile(
    r"(?<![人平])(?:均|都)(?=(?:要)?(?:增长|增加|达到|达|提高|提升|保持|超过|突破|不低于|不少于|不超过|"
    r"控制在|下降|降低|实现|在|为)[^,;。]{0,6}$)")
_SHARED_SPLIT_RE = re.compile(r"、|和|及|与")


def _each_sharing(found: list[dict], norm: str) -> list[dict]:
    out = []
    for i, t in enumerate(found):
        out.append(t)
        if t["kind"] not in ("ratio", "quantity") or any(
                o is not t and o["start"] == t["start"] and o["end"] == t["end"] for o in found[max(0, i - 3):i + 4]):
            continue
        span = norm[t["start"]:t["end"]]
        num = MENTION_RE.search(span)
        shared = num and _SHARED_FIGURE_RE.search(span, 0, num.start())
        if not shared:
            continue
        subject = _IND_LEAD_RE.sub("", span[:shared.start()])
        names = [n.strip() for n in _SHARED_SPLIT_RE.split(subject)]
        if len(names) < 2 or any(not 2 <= len(n) <= 20 for n in names):
            continue
        tail = next((w for w in ("增幅", "降幅") if (t["indicator"] or "").endswith(w)), "")
        t["indicator"] = names[0] + tail
        out.extend({**t, "indicator": n + tail} for n in names[1:])
    return out


# ================================================================== driver ==

def find_targets(text, norm, sections, measures, marker_ends, *, year=None, tasks=(),
                 task_targets=True) -> list[dict]:
    # "…（牵头单位：A）（2分）6月底前完成…": the brackets part the wording before and after them.
    cuts = [p for t in tasks for a, b in t.attr_spans
            for p in (a, b - 1) if norm[p] in "()"]
    doc = _Doc(text, norm, sections, measures, marker_ends, year, cuts)

    by_clause: dict[int, list[_Mention]] = defaultdict(list)
    for m in MENTION_RE.finditer(norm):
        mention = doc.mention(m)
        if mention is not None:
            by_clause[mention.clause].append(mention)
    doc.by_clause = by_clause

    found: list[dict] = []
    handled: set[int] = set()

    # 1. named works reaching a delivery step
    leftovers: dict[int, list[_Mention]] = {}
    tried: set[int] = set()
    for v in _PROJECT_DELIVERY_RE.finditer(norm):
        k = doc.clause_of(v.start())
        if k in tried:
            continue
        tried.add(k)  # the rule looks at every delivery word of the clause itself
        if doc.blocked(k, v.start()):
            continue
        res = _project_rule(doc, k, by_clause, handled)
        if res:
            targets, clauses, rest = res
            found.extend(targets)
            handled.update(clauses)
            for c in clauses:
                leftovers[c] = [m for m in rest if m.clause == c]
    project_clauses = set(handled)

    # 2. numbers (in a project clause, those the project pass did not use)
    for k, ms in by_clause.items():
        if k in project_clauses:
            ms = leftovers.get(k)
            if not ms:
                continue
        handled.add(k)
        if doc.blocked(k, ms[0].s):
            continue
        found.extend(_numeric_rule(doc, k, ms))

    # 3. milestones, in clauses without a number target
    per_clause: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for k, pos, t in _milestone_hits(doc, handled):
        per_clause[k].append((pos, t))
    for k, hits in per_clause.items():
        if doc.blocked(k, hits[0][1]["start"]):
            continue
        keep_all = [t for pos, t in hits if pos == -1]  # quoted goals, lists of works
        if keep_all:
            found.extend(keep_all)
        else:
            found.append(min(hits, key=lambda h: h[0])[1])

    found.sort(key=lambda t: (t["start"], t["end"]))
    found = _each_sharing(found, norm)
    _inherit_indicators(found, norm)
    found = apply_tasks(found, list(tasks), text, norm, task_targets)

    # Attach section / measure and order by position.
    for t in found:
        si = doc.section_index(t["start"])
        if si >= 0:
            t["section"] = sections[si].no
            j = bisect_right(doc.mea_starts, t["start"]) - 1
            if j >= 0 and t["start"] < measures[j].end and measures[j].start >= sections[si].start:
                t["measure"] = measures[j].no
    found.sort(key=lambda t: (t["start"], t["end"]))
    for t in found:
        t.update(attributes(t, doc.plan_year))
    return found
