"""Quantified targets: numbers with units, named projects and checkable end states.

The text is cut into clauses (at ，；。：and line ends).  Three passes fill them, a
clause taken by an earlier pass being skipped by the later ones:

1. project lists — "确保超200亿元的A项目、B、C等一批重大项目全面开工建设" gives one
   project target per named item; an amount carries over to the items after it;
2. numbers — every number followed by a unit ("150人", "6.5%", "80-90亿元") that is
   not inside quotes, not a year/label, and not a qualifier of a later number in the
   same clause ("4个经济薄弱村经营收入50万元以上" → only 50万元);
3. milestones without a number — 不发生…, …实现全覆盖, 完成…工程, 建成…, 创建成…,
   …年内建成通车, 达到/实现“3550”目标.

Matching runs on the normalised copy (see _text); spans are sliced from the original.

A clause that reports the past (去年…, 已完成…, …了, a year before the plan year)
yields nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from ._text import QUOTED_RE, Spans, arabic_number, cn_number, lstrip_pos, rstrip_pos

# ---------------------------------------------------------------- numbers ----

# Bounded repeats and the look-behinds keep matching linear on long digit runs:
# a number never starts inside a longer run of digits or numerals.
_AR = r"(?<![\d.])(?:\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,6})?|\d{1,12}(?:\.\d{1,6})?)"  # 150, 6.5, 1,200
_CN_CHARS = "零〇一二两三四五六七八九十百千"
_CN = rf"(?<![{_CN_CHARS}])[{_CN_CHARS}]{{1,10}}(?:点[零〇一二三四五六七八九]{{1,6}})?"  # 一百五十, 三点五
_NUM = rf"(?:{_AR}|{_CN})"

# Units, longest first (the alternation takes the first that fits).  万/亿 stay in the
# unit as written: 3.5万人 → 3.5 万人, 五十万元 → 50 万元.
_UNIT_LIST = [
    "万亿元", "亿美元", "万美元", "千万元", "亿元", "万元", "美元", "元",
    "个百分点", "百分点", "%", "‰",
    "万平方米", "平方米", "平方公里", "平方千米", "万亩", "亩", "公顷",
    "万千瓦时", "千瓦时", "万千瓦", "千瓦", "兆瓦", "万吨", "吨", "亿斤", "万斤", "公斤", "斤",
    "微克/立方米", "毫克/升",
    "公里", "千米", "米",
    "万人次", "人次", "场次", "批次", "万人", "万户", "户", "个工作日", "工作日", "小时", "分钟", "天",
    "个(?![月年季])", "家", "人", "名", "所", "座", "项", "件", "台", "套", "辆",
    "处", "条", "栋", "幢", "次", "场", "张", "倍",
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
    """,
    re.X,
)

RATIO_UNITS = frozenset({"%", "‰", "个百分点", "百分点"})
MONEY_UNITS = frozenset({"万亿元", "亿美元", "万美元", "千万元", "亿元", "万元", "美元", "元"})
COUNT_UNITS = frozenset("个家人名所座项件台套辆处条栋幢次场张户")

# A number right after one of these is not a target value (第3, 前10, G40, 1+4 …);
# "前" only counts as a rank ("全省前10名"), not after a time word ("年底前20个项目").
_BAD_BEFORE = set("第前后/#+-.·") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_TIME_BEFORE_QIAN = set("底末内日月年")
_CN_DIGIT_CHARS = set("零〇一二两三四五六七八九")
# A small Chinese count ("两个", "三项") is a set phrase ("落实两个责任") unless a
# delivery verb or comparator stands right before it ("建成两家", "新增三个").
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
# Comparator word right after the number and unit.
_SUFFIX_RE = re.compile(r"\s*(?P<w>以上|以下|以内|之内|左右|上下(?!游))")
_SUFFIX = {"以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "approx", "上下": "approx"}

# ------------------------------------------------------------- clauses -------

# Clause ends; a comma between digits groups thousands (1,200) and is not one.
_CLAUSE_SEP_RE = re.compile(r"[。!?;\n\r:]|(?<!\d),|,(?!\d{3}(?!\d))")
_SENTENCE_SEP_RE = re.compile(r"[。!?;\n\r]")

# ------------------------------------------------------------ past tense -----

# Time words that put a sentence in the past ("比去年"/"较上年" compare, they do not).
_PAST_TIME_RE = re.compile(
    r"(?<![比较与同于])(?:去年|上年度|上一年|上年(?!同期)|过去一年|过去的一年|过去五年|一年来|"
    r"今年以来|近年来|截至目前|截止目前|截至\d{4}年|截止\d{4}年|十三五以来|十三五期间|"
    r"“十三五”以来|“十三五”期间)"
)
# Verbs in the past: 已完成, 建成了, 未发生 …  ("已有成果" is a noun phrase, not a claim.)
_PAST_VERB_RE = re.compile(
    r"已经|已(?=[完建实达开投竣引增落签创获新全基顺成累通形培招举])|未发生|"
    r"(?:完成|建成|实现|达到|开工|投产|竣工|引进|新增|落户|签约|创成|获批|增长|下降|提高|"
    r"提升|突破|超过|培育|招引|举办|成功|创建)了"
)
# Words that make a clause forward-looking again after a past one.
_FORWARD_RE = re.compile(r"今年|明年|力争|确保|计划|预计|争取|下一步|下阶段|预期|目标")
_LEADING_YEAR_RE = re.compile(r"\s*(?:在|到)?(20\d\d)年")
_PLAN_YEAR_RE = re.compile(r"(20\d\d)年[^。\n]{0,20}?(?:计划|要点|安排|工作|目标|打算)")
# A section whose title reviews the past ("一、2020年工作回顾") holds no targets.
_PAST_SECTION_RE = re.compile(r"回顾|主要成绩|取得的成绩|工作总结|完成情况|进展情况")

# ------------------------------------------------------------ projects -------

# Delivery steps that make a (named) project a target.
_PROJECT_DELIVERY_RE = re.compile(r"开工|竣工|投产|达产|开业|完工|投运|投用|落地|签约|落户|建成")
# Any project step, to name the milestone of a project with an amount (招引50亿元…项目).
_PROJECT_STEP_RE = re.compile(r"招引|引进|开工|竣工|投产|达产|签约|落户|开业|完工|投运|投用|落地|建成")
# Commitment words opening a clause, dropped from item names and indicators.
_LEAD_RE = re.compile(  # used with match(pos): no "^", which would not anchor at pos
    r"(?:确保|力争|争取|推动|推进|加快|加速|促进|全力|全面|努力|实现|抓好|做好|重点|支持|"
    r"保障|督促|力促|要|并|同时|全年|今年|年内|进一步|持续|继续)+"
)
# "一批重大项目" is a class, not a name; such a lone subject is too vague to check.
_GENERIC_PROJECT_RE = re.compile(
    r"^(?:一批|各类|所有|全部|更多|一些|重点|重大|重特大|在建|新建|续建|产业|工业|招商|建设|"
    r"市级|省级|县级|区级|的|和|及|、|项目)*$"
)
# Subjects too general to check ("一批工程", "重点项目") and trailing time words.
_GENERIC_THING_RE = re.compile(r"^(?:一批|各类|所有|全部|更多|一些|重点|重大|新)|^(?:工程|项目|企业|设施)$")
_DEADLINE_TAIL_RE = re.compile(r"(?:20\d\d年)?(?:\d{1,2}月(?:底|末)?前?|年底前?|年内|上半年|下半年)$")
_AMOUNT_WORDS_RE = re.compile(r"(?:计划|总)?投资(?:额)?$|的$")

# ---------------------------------------------------------- milestones -------

_NOT_HAPPEN_RE = re.compile(r"(?:不发生|零发生|杜绝)")
_FULL_COVER_RE = re.compile(r"(?:实现)?全覆盖")
_COMPLETE_RE = re.compile(r"完成(?![率值了])")
_BUILT_RE = re.compile(r"建成(?![率区后了为])")
_CREATE_RE = re.compile(r"(?:成功)?(?:创建成|创成|创建为(?!契机)|争创成)(?!果)")
# A named thing reaching a delivery step: "滨江大桥年内建成通车", "二期工程6月底前开工".
_DELIVERED_RE = re.compile(r"开工|竣工|投产|完工|投用|通车|开业|交付使用")
# Adverbs between the thing and its step ("…全面开工建设", "…按期竣工").
_DELIVERED_ADVERBS = tuple(sorted(
    "全面 按期 如期 按时 顺利 年内 年底前 年底 上半年 下半年 建成 实现 确保 力争 争取 基本 全部 "
    "前 底 内 完成".split(), key=len, reverse=True))
# 达到/实现 + a quoted code that names a goal ("达到省改目标“3550”").
_LABEL_RE = re.compile(r"(?P<verb>达到|实现)(?P<mid>[^,。;!?“”\n]{0,8}?)(?P<q>“[^”\n]{1,20}”)")
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

_DEADLINE_RE = re.compile(
    r"(?:20\d\d年)?(?:\d{1,2}月(?:底|末|份)?前?|年底前?|年末|年内|上半年|下半年|[一二三四1-4]季度末?)"
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

    def __init__(self, text, norm, sections, measures, marker_ends):
        self.text, self.norm, self.n = text, norm, len(text)
        self.cb = [m.start() for m in _CLAUSE_SEP_RE.finditer(norm)]
        self.sb = [m.start() for m in _SENTENCE_SEP_RE.finditer(norm)]
        self.quotes = Spans([m.span() for m in QUOTED_RE.finditer(norm)])
        self.marker_ends = marker_ends  # marker start -> marker end (all heading candidates)
        self.sections, self.measures = sections, measures
        self.sec_starts = [s.start for s in sections]
        self.mea_starts = [m.start for m in measures]
        self.past_sections = {i for i, s in enumerate(sections) if _PAST_SECTION_RE.search(s.title)}
        head = norm[:300]
        y = _PLAN_YEAR_RE.search(head)
        self.plan_year = int(y.group(1)) if y else None
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
    def is_past(self, k: int) -> bool:
        """Whether clause k reports the past; a sentence is read once, clause by clause,
        because a time word at its start (去年，…) governs the clauses after it."""
        if k in self._past:
            return self._past[k]
        a, _ = self.raw_bounds(k)
        i = bisect_right(self.sb, a - 1) - 1  # sentence separator before this clause
        ss = self.sb[i] + 1 if i >= 0 else 0
        se = self.sb[i + 1] if i + 1 < len(self.sb) else self.n
        first = self.clause_of(ss)
        last = self.clause_of(se) if se < self.n else len(self.cb)
        ctx = False
        for j in range(first, max(k, last) + 1):
            a, b = self.raw_bounds(j)
            if a > se:
                break
            chunk = self.norm[a:b]
            own = bool(_PAST_VERB_RE.search(chunk))
            if _FORWARD_RE.search(chunk) and not own:
                ctx = False
            elif _PAST_TIME_RE.search(chunk):
                ctx = True
            elif self.plan_year:
                y = _LEADING_YEAR_RE.match(chunk)
                if y:
                    ctx = int(y.group(1)) < self.plan_year
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
        if s and norm[s - 1] in _BAD_BEFORE:
            if not (norm[s - 1] == "前" and s > 1 and norm[s - 2] in _TIME_BEFORE_QIAN):
                return None
        nxt = norm[e:e + 1]
        if nxt and (nxt.isascii() and nxt.isalnum() or nxt == "级"):
            return None  # 4A级, 百亿级, 3个G … are labels
        if m.group("pct") is not None:
            raw, unit, raw2, more = m.group("pct"), "%", None, None
        else:
            raw, unit, raw2, more = m.group("n1"), m.group("unit"), m.group("n2"), m.group("more")
            if m.group("u1") and m.group("u1") != unit:
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
        before = norm[max(cs, s - 8):s]
        if before.endswith(("从", "由")):
            return None  # baseline of "从X提高到Y"
        is_cn = not raw[0].isdigit()
        if is_cn and unit in COUNT_UNITS and value <= 10 and not _CREATE_BEFORE_RE.search(before):
            return None
        p = _PREFIX_RE.search(before)
        word = p.group("w") if p else None
        pstart = s - (len(before) - p.start()) if p else s
        sm = _SUFFIX_RE.match(norm, e)
        suffix = _SUFFIX[sm.group("w")] if sm else None
        e2 = sm.end() if sm else e
        strong = _STRONG.get(word) if word else None
        if vmax is not None:
            comp = "range"
        elif strong and not (strong == "approx" and suffix):
            comp = strong
        elif suffix:
            comp = suffix
        elif more:
            comp = ">"
        else:
            comp = ">="
        explicit = bool(word or suffix or more or vmax is not None)
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
            "deadline": text[d.start():d.end()] if d else None,
            "kind": kind, "milestone": milestone, "start": start, "end": end,
        }


# =================================================================== passes ==

def _project_rule(doc: _Doc, k: int, mentions: list[_Mention]) -> list[dict] | None:
    """Named projects with a delivery step: one target per item of "A、B、C等…项目开工"."""
    norm = doc.norm
    cs, ce = doc.clause_bounds(k)
    for v in _PROJECT_DELIVERY_RE.finditer(norm, cs, ce):
        p = norm.rfind("项目", max(cs, v.start() - 14), v.start())
        if p != -1:
            break
    else:
        return None
    if doc.quotes.containing(v.start()) >= 0:
        return None
    if p - cs > _REACH:  # a run-on clause: keep the span near the projects
        cs = lstrip_pos(norm, p - _REACH, p)
    ce = min(ce, v.end() + _REACH)
    eq = norm.rfind("等", max(cs, p - 12), p)
    counted = None  # "A、B等42个项目竣工投产": the count is a target of its own
    if eq != -1 and "、" not in norm[eq:p]:
        region_end = eq
        counted = next((m for m in mentions if eq < m.s < p and m.unit in COUNT_UNITS), None)
    else:
        region_end = p + 2
    lead = _LEAD_RE.match(norm, cs, region_end)
    region_start = lead.end() if lead else cs

    # Split the region at 、 into items.
    items = []
    a = region_start
    while a < region_end:
        b = norm.find("、", a, region_end)
        if b == -1:
            b = region_end
        items.append((a, b))
        a = b + 1
    verb = v.group()
    out = []
    if any(m.unit in COUNT_UNITS and region_start <= m.s < region_end for m in mentions):
        return None  # "20个项目…开工" counts a class of projects: a number target
    carry = None  # (value, unit, comparator) shared with the items that follow
    money = [m for m in mentions if m.unit in MONEY_UNITS and m.s >= region_start]
    mi = 0
    for a, b in items:
        while mi < len(money) and money[mi].s < a:
            mi += 1
        inside = mi < len(money) and money[mi].s < b
        if inside:
            m = money[mi]
            carry = (m.value, m.unit, m.comp, m.vmax)
            name = _clean(norm[m.e2:b]).lstrip("的")
            if len(name) < 2:
                name = _AMOUNT_WORDS_RE.sub("", _clean(norm[a:m.pstart]))
        else:
            name = _clean(norm[a:b])
        name = _clean(name)
        if len(name) < 2:
            continue
        if len(items) == 1 and not inside and _GENERIC_PROJECT_RE.match(name):
            return None
        value, unit, comp, vmax = carry if carry else (None, None, "=", None)
        label = doc.text[b - len(name):b] if norm[b - len(name):b] == name else name
        indicator = label + ("" if label.endswith("项目") else "项目") + ("投资额" if value is not None else "")
        out.append(doc.target(cs, ce, value=value, vmax=vmax, unit=unit, comp=comp,
                              kind="project", milestone=verb, indicator=indicator))
    if out and counted is not None:
        out.append(doc.target(cs, ce, value=counted.value, vmax=counted.vmax, unit=counted.unit,
                              comp=counted.comp, kind="project", milestone=verb,
                              indicator=f"{verb}项目数"))
    return out or None


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
    # not a target: "4个经济薄弱村经营收入50万元以上" → 50万元; "10亿元以上项目不少于2个" → 2个.
    kept: list[list[_Mention]] = []
    qualifier_end: dict[int, int] = {}
    for i, g in enumerate(groups):
        if len(g) == 1 and i + 1 < len(groups):
            nxt = groups[i + 1][0]
            between = norm[g[0].e2:nxt.pstart]
            if "、" not in between and (
                (not g[0].explicit and g[0].unit in COUNT_UNITS)
                or (g[0].unit in MONEY_UNITS and nxt.unit in COUNT_UNITS and "项目" in between)
            ):
                # the indicator keeps a money qualifier ("10亿元以上项目数"), not a count
                if g[0].unit in COUNT_UNITS:
                    qualifier_end[id(groups[i + 1])] = g[0].e2
                continue
        kept.append(g)

    out = []
    for i, g in enumerate(kept):
        seg_start, seg_end = cs, ce
        if i > 0:
            r = norm.rfind("、", kept[i - 1][-1].e2, g[0].pstart)
            if r != -1:
                seg_start = r + 1
        if i + 1 < len(kept):
            f = norm.find("、", g[-1].e2, kept[i + 1][0].pstart)
            if f != -1:
                seg_end = f
        # a run-on clause: keep the span near the numbers
        seg_start = max(seg_start, g[0].pstart - _REACH)
        seg_end = min(seg_end, g[-1].e2 + _REACH)
        pre_start = max(seg_start, qualifier_end.get(id(g), seg_start))
        seg = norm[seg_start:seg_end]
        step = (_PROJECT_STEP_RE.search(seg)
                or _PROJECT_STEP_RE.search(norm, max(cs, seg_start - _REACH),
                                           min(ce, seg_end + _REACH)))
        for m in g:
            is_money = m.unit in MONEY_UNITS
            if m.unit in RATIO_UNITS:
                kind = "ratio"
            elif "项目" in seg and (is_money or m.unit in COUNT_UNITS):
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
        elif m.unit in ("人", "名", "万人"):
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

    def add(k, pos, start, end, *, indicator, milestone, value=None):
        hits.append((k, pos, doc.target(start, end, value=value, vmax=None, unit=None, comp="=",
                                         kind="milestone", milestone=milestone, indicator=indicator)))

    for m in _NOT_HAPPEN_RE.finditer(norm):
        k = clause(m.start())
        bounds = None if k is None else near(k, m)
        if bounds is None:
            continue
        cs, ce = bounds
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

    for m in _DELIVERED_RE.finditer(norm):
        k = clause(m.start())
        bounds = None if k is None else near(k, m, before=50, after=12)
        if bounds is None:
            continue
        cs, ce = bounds
        subj = _clean(norm[cs:m.start()])
        lead = _LEAD_RE.match(subj)
        if lead:
            subj = subj[lead.end():]
        # "…年内建成" / "…6月底前全面": drop the adverbs and time words before the step
        subj = _DEADLINE_TAIL_RE.sub("", _strip_tail(subj, _DELIVERED_ADVERBS))
        if (len(subj) < 2 or _VAGUE_RE.search(subj) or _GENERIC_PROJECT_RE.match(subj)
                or _GENERIC_THING_RE.search(subj)):
            continue
        add(k, m.start(), cs, ce, indicator=subj + m.group(), milestone=m.group())

    for m in _FULL_COVER_RE.finditer(norm):
        k = clause(m.start())
        bounds = None if k is None else near(k, m, before=60)
        if bounds is None:
            continue
        cs, ce = bounds
        subj = _IND_LEAD_RE.sub("", _clean(norm[cs:m.start()]))
        if len(subj) >= 2 and not _VAGUE_RE.search(subj):
            add(k, m.start(), cs, ce, indicator=subj + "覆盖", milestone="全覆盖")

    for regex, word, obj_re in ((_COMPLETE_RE, "完成", _COMPLETE_OBJECT_RE),
                                (_BUILT_RE, "建成", _BUILT_OBJECT_RE)):
        for m in regex.finditer(norm):
            k = clause(m.start())
            bounds = None if k is None else near(k, m, after=70)
            if bounds is None:
                continue
            cs, ce = bounds
            obj = _clean(norm[m.end():ce])
            if not (2 <= len(obj) <= 60) or _VAGUE_RE.search(obj):
                continue
            named_list = "、" in obj or "等" in obj
            if obj_re.search(obj) or (word == "建成" and named_list):
                add(k, m.start(), cs, ce, indicator=text[ce - len(obj):ce], milestone=word)

    for m in _CREATE_RE.finditer(norm):
        k = clause(m.start())
        bounds = None if k is None else near(k, m, before=60, after=50)
        if bounds is None:
            continue
        cs, ce = bounds
        obj = _clean(norm[m.end():ce])
        if 2 <= len(obj) <= 40 and not _VAGUE_RE.search(obj):
            subj = _IND_LEAD_RE.sub("", _clean(norm[cs:m.start()]))
            add(k, m.start(), cs, ce, indicator=subj + obj + "创建",
                milestone=text[m.start():m.end()] + text[ce - len(obj):ce])

    for m in _LABEL_RE.finditer(norm):
        if not _LABEL_NUMERAL_RE.search(m.group("q")):
            continue
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


# ================================================================== driver ==

def find_targets(text, norm, sections, measures, marker_ends) -> list[dict]:
    doc = _Doc(text, norm, sections, measures, marker_ends)

    by_clause: dict[int, list[_Mention]] = defaultdict(list)
    for m in MENTION_RE.finditer(norm):
        mention = doc.mention(m)
        if mention is not None:
            by_clause[mention.clause].append(mention)

    found: list[dict] = []
    handled: set[int] = set()

    # 1. project lists with a delivery step
    tried: set[int] = set()
    for v in _PROJECT_DELIVERY_RE.finditer(norm):
        k = doc.clause_of(v.start())
        if k in tried:
            continue
        tried.add(k)  # the rule looks at every delivery word of the clause itself
        if doc.blocked(k, v.start()):
            continue
        res = _project_rule(doc, k, by_clause.get(k, []))
        if res:
            found.extend(res)
            handled.add(k)
    project_clauses = set(handled)

    # 2. numbers
    for k, ms in by_clause.items():
        if k in project_clauses:
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
        labels = [t for pos, t in hits if pos == -1]
        if labels:
            found.extend(labels)
        else:
            found.append(min(hits, key=lambda h: h[0])[1])

    found.sort(key=lambda t: (t["start"], t["end"]))
    _inherit_indicators(found, norm)

    # Attach section / measure and order by position.
    for t in found:
        si = doc.section_index(t["start"])
        if si >= 0:
            t["section"] = sections[si].no
            j = bisect_right(doc.mea_starts, t["start"]) - 1
            if j >= 0 and t["start"] < measures[j].end and measures[j].start >= sections[si].start:
                t["measure"] = measures[j].no
    found.sort(key=lambda t: (t["start"], t["end"]))
    return found
