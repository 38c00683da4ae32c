"""Writes of the 亩均效益 evaluation: schemes (validated by the engine's parser, versioned with
history), runs (snapshot the register, score with the engine, store every result in bulk), and a
run's lifecycle 草稿 → 已签核 → 已发布, after which nothing about it changes.

The snapshot is the engine's table: one row per enterprise with figures for the year (the current
version of each, the land area falling back to the register's 用地面积), the attributes the scheme
tests (规模 at the year's end, 行业代码 such as C34, 投产年份, 注册年份), id = the credit code so
that the engine's messages name an enterprise a person can find."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from yuanqu.core.attachments import check_attachment
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import check_version, update_record

from .models import Enterprise, Indicator, MujunAdjustment, MujunResult, MujunRun, MujunScheme
from .mujun import InputError, Scheme, SchemeError, evaluate
from .mujun.engine import _mask
from .selectors import current_figures

LAND_INDICATOR = "land_area"  # its missing value is the register's Enterprise.land_mu
ATTRIBUTES = {"规模", "行业代码", "行业门类", "投产年份", "注册年份"}
LOCKED = "该评价已发布并锁定，不能再修改。"
EVIDENCE = "_evidence"  # the snapshot's column of frozen evidence; the engine reads only the scheme's columns


def may_run(user) -> bool:
    return user is None or user.can("enterprises.mujun_run")


def may_sign(user) -> bool:
    return user is None or user.can("enterprises.mujun_sign")


def _require_run(actor) -> None:
    if not may_run(actor):
        raise PermissionDeniedError("只有经发局企业管理员或系统管理员可以维护评价方案、运行和发布亩均评价。")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# ---------------------------------------------------------------- schemes


def parse_scheme(definition) -> Scheme:
    """The engine's scheme, or an ApplicationError carrying the parser's message (it names the field)."""
    try:
        return Scheme.from_json(definition) if isinstance(definition, str) else Scheme.from_dict(definition)
    except SchemeError as exc:
        raise ApplicationError(f"方案内容有误：{exc}", field="definition") from None


def figure_indicators(scheme: Scheme, sources: dict) -> dict[str, Indicator]:
    """Each scheme figure's register indicator: named in `sources`, else the indicator of the same
    name or key. A figure without one, or an attribute the register cannot give, is refused by name."""
    indicators = list(Indicator.objects.all())
    by_key = {i.key: i for i in indicators}
    by_name = {i.name: i for i in indicators}
    if not isinstance(sources, dict):
        raise ApplicationError("数据项对应的企业指标应为对象，如 {\"主要污染物排放量\": \"pollutants\"}。",
                               field="sources")
    unknown = sorted(set(sources) - {f.key for f in scheme.figures})
    if unknown:
        raise ApplicationError(f"数据项对应的企业指标：方案中没有数据项“{unknown[0]}”。", field="sources")
    out = {}
    for figure in scheme.figures:
        named = sources.get(figure.key)
        found = by_key.get(named) if named else (by_name.get(figure.key) or by_key.get(figure.key))
        if found is None:
            what = f"指标代码“{named}”不存在" if named else "找不到同名的企业指标，请填写它对应的指标代码"
            raise ApplicationError(f"数据项对应的企业指标：数据项“{figure.key}”{what}。", field="sources")
        out[figure.key] = found
    for attribute in scheme.attributes:
        if attribute.key not in ATTRIBUTES:
            raise ApplicationError(f"方案内容有误：属性“{attribute.key}”不是企业库能提供的属性"
                                   f"（可用：{'、'.join(sorted(ATTRIBUTES))}）。", field="definition")
    return out


def _scheme_values(definition, sources) -> dict:
    parsed = parse_scheme(definition)
    sources = sources or {}
    figure_indicators(parsed, sources)
    # Stored as the parser reads it back: the defaults it filled in are visible on the page.
    return {"year": parsed.year, "jurisdiction": parsed.jurisdiction, "name": parsed.name,
            "definition": parsed.to_dict(), "sources": sources}


def _check_unique(scheme: MujunScheme) -> None:
    twin = MujunScheme.objects.filter(year=scheme.year, jurisdiction=scheme.jurisdiction, name=scheme.name)
    if twin.exclude(pk=scheme.pk).exists():
        raise ApplicationError(f"{scheme.year}年{scheme.jurisdiction}已有名为“{scheme.name}”的方案。",
                               field="definition")


@transaction.atomic
def scheme_create(*, actor, definition, sources: dict | None = None, is_demo: bool = False) -> MujunScheme:
    _require_run(actor)
    scheme = MujunScheme(is_demo=is_demo, **_scheme_values(definition, sources))
    _check_unique(scheme)
    scheme.save()
    record_change(actor=actor, obj=scheme, action=ChangeRecord.Action.CREATE,
                  after=snapshot(scheme, MujunScheme.WRITABLE_FIELDS))
    return scheme


@transaction.atomic
def scheme_update(*, actor, scheme: MujunScheme, definition=None, sources: dict | None = None,
                  expected_version=None) -> MujunScheme:
    """A new version of the scheme (runs keep the one they used)."""
    _require_run(actor)
    scheme = MujunScheme.objects.select_for_update().get(pk=scheme.pk)

    def apply():
        values = _scheme_values(scheme.definition if definition is None else definition,
                                scheme.sources if sources is None else sources)
        for key, value in values.items():
            setattr(scheme, key, value)
        _check_unique(scheme)

    update_record(actor=actor, obj=scheme, fields=MujunScheme.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return scheme


# ---------------------------------------------------------------- the snapshot


def _number(value) -> float | None:
    return None if value is None else float(value)


def build_snapshot(parsed: Scheme, sources: dict, year: int, scheme_id: int | None = None) -> dict[str, list]:
    """The engine's table for `year`: every enterprise with at least one of the scheme's figures
    that year, by credit code; four queries whatever the number of enterprises. With `scheme_id`,
    each bonus or deduction item is a column of counts (the sum of its entries for the enterprise)
    and `_evidence` keeps, per enterprise, the entries behind them."""
    indicators = figure_indicators(parsed, sources)
    values = current_figures({i.pk for i in indicators.values()}, [year])
    wanted = sorted({enterprise_id for enterprise_id, _, _ in values})
    rows = {}
    for start in range(0, len(wanted), 5000):  # within every database's limit on parameters
        rows.update((r[0], r) for r in Enterprise.objects.filter(pk__in=wanted[start:start + 5000]).values_list(
            "pk", "credit_code", "name", "above_scale_since", "industry__section__code", "industry__code",
            "production_on", "registered_on", "land_mu"))
    year_end = dt.date(year, 12, 31)
    table: dict[str, list] = {"id": [], "enterprise": [], "名称": []}
    table.update({f.key: [] for f in parsed.figures})
    table.update({a.key: [] for a in parsed.attributes})
    for enterprise_id in wanted:
        _, code, name, above, section, division, production, registered, land = rows[enterprise_id]
        table["id"].append(code)
        table["enterprise"].append(enterprise_id)
        table["名称"].append(name)
        for figure in parsed.figures:
            indicator = indicators[figure.key]
            value = values.get((enterprise_id, year, indicator.pk))
            if value is None and indicator.key == LAND_INDICATOR:
                value = land
            table[figure.key].append(_number(value))
        attributes = {"规模": "规上" if above and above <= year_end else "规下",
                      "行业代码": f"{section}{division}" if division else "", "行业门类": section or "",
                      "投产年份": production.year if production else None,
                      "注册年份": registered.year if registered else None}
        for attribute in parsed.attributes:
            table[attribute.key].append(attributes[attribute.key])
    if scheme_id is not None and parsed.adjustments:
        _add_adjustments(table, parsed, scheme_id)
    return table


def _add_adjustments(table: dict, parsed: Scheme, scheme_id: int) -> None:
    keys = [a.key for a in parsed.adjustments]
    row_of = {enterprise_id: i for i, enterprise_id in enumerate(table["enterprise"])}
    n = len(row_of)
    counts = {key: [0.0] * n for key in keys}
    evidence: list[dict | None] = [None] * n
    for entry in MujunAdjustment.objects.filter(scheme_id=scheme_id, item__in=keys).order_by("pk"):
        i = row_of.get(entry.enterprise_id)
        if i is None:  # no figures that year: not evaluated, so nothing to adjust
            continue
        counts[entry.item][i] += float(entry.count)
        evidence[i] = evidence[i] or {}
        evidence[i].setdefault(entry.item, []).append(entry.evidence())
    table.update(counts)
    table[EVIDENCE] = evidence


def prior_averages(parsed: Scheme, sources: dict, year: int) -> dict | None:
    """Per pool and indicator, the average value of the pool's enterprises in the year before
    (for benchmarks that are a multiple of it); None when the scheme has none."""
    wanted = [(pool, ind) for pool in parsed.pools for ind in pool.indicators
              if ind.benchmark.mode == "prior_average"]
    if not wanted:
        return None
    table = build_snapshot(parsed, sources, year - 1)
    n = len(table["id"])
    numeric = {f.key for f in parsed.figures} | {a.key for a in parsed.attributes if a.kind == "number"}
    columns = {k: np.asarray([np.nan if x is None else x for x in table[k]], dtype=float) for k in numeric}
    columns.update({a.key: np.asarray(table[a.key], dtype=object) for a in parsed.attributes if a.key not in numeric})
    free = np.ones(n, dtype=bool)
    for ex in parsed.exclusions:
        free &= ~_mask(ex.when, columns, n)
    out: dict[str, dict[str, float]] = {}
    for pool in parsed.pools:
        rows = _mask(pool.when, columns, n) & free
        free &= ~rows
        for p, ind in wanted:
            if p.key != pool.key:
                continue
            formula = parsed.formula(pool.key, ind.key)
            with np.errstate(divide="ignore", invalid="ignore"):
                x = formula.evaluate({k: columns[k][rows] for k in formula.names})
            x = x[np.isfinite(x)]
            if not len(x):
                raise ApplicationError(f"评价组“{pool.label}”指标“{ind.key}”按上年均值定基准，"
                                       f"但{year - 1}年该组没有可用数据。")
            out.setdefault(pool.key, {})[ind.key] = float(x.mean())
    return out


# ---------------------------------------------------------------- runs


def _refuse_input(exc: InputError) -> ApplicationError:
    message = str(exc)
    code = re.search(r"“([0-9A-Z]{18})”", message)
    if code:
        found = Enterprise.objects.filter(credit_code=code.group(1)).values_list("name", flat=True).first()
        if found:
            message = message.replace(code.group(0), f"{code.group(0)}（{found}）", 1)
    return ApplicationError(f"评价数据有误：{message}。")


def _previous_run(run: MujunRun) -> MujunRun | None:
    return (MujunRun.objects.filter(status=MujunRun.Status.PUBLISHED, year__lt=run.year,
                                    scheme__jurisdiction=run.scheme.jurisdiction)
            .exclude(pk=run.pk).order_by("-year", "-published_at", "-pk").first())


def _previous_classes(run: MujunRun) -> dict[int, str]:
    run.previous = _previous_run(run)
    if run.previous is None:
        return {}
    return dict(MujunResult.objects.filter(run=run.previous).values_list("enterprise_id", "class_key"))


def _line(line) -> dict:
    return dict(vars(line))  # flat dataclasses: asdict's deep copy took a quarter of a run


def evidence_text(entries: list[dict]) -> str:
    """“依据：高企证书 GR2025…（附件 证书.pdf）；…” for an item's explanation line."""
    parts = []
    for e in entries:
        text = e["reference"] or ""
        if e["file"]:
            text += f"（附件 {e['file']}）" if text else f"附件 {e['file']}"
        if e["count"] != 1:
            text += f" ×{e['count']:g}"
        parts.append(text)
    return "依据：" + "；".join(parts)


def _explained(r, evidence: dict | None, decimals: int) -> tuple[list[dict], list[str]]:
    """The result's adjustment lines with their evidence, and the explanation naming it line by line."""
    texts = r.explanation(decimals)
    lines = []
    for k, adj in enumerate(r.adjustments):
        entries = (evidence or {}).get(adj.key, [])
        lines.append({**_line(adj), "evidence": entries})
        if entries:
            texts[len(r.lines) + k] += "；" + evidence_text(entries)
    return lines, texts


def _score(run: MujunRun, parsed: Scheme) -> None:
    """Score the run's snapshot and store every result (bulk); replaces earlier results."""
    table = run.snapshot
    try:
        result = evaluate(parsed, table, prior_averages=prior_averages(parsed, run.scheme.sources, run.year))
    except InputError as exc:
        raise _refuse_input(exc) from None
    run.counts = result.counts()
    run.scored_at = timezone.now()
    before = _previous_classes(run)
    run.save()
    MujunResult.objects.filter(run=run).delete()
    rows = []
    evidence = table.get(EVIDENCE) or [None] * len(table["id"])
    for code, enterprise_id, found in zip(table["id"], table["enterprise"], evidence, strict=True):
        r = result.enterprise(code)
        adjustments, explanation = _explained(r, found, parsed.decimals)
        rows.append(MujunResult(
            run=run, enterprise_id=enterprise_id, status=r.status, pool=r.pool or "",
            total=None if r.total is None else Decimal(repr(r.total)), class_key=r.class_key,
            class_label=r.class_label, place=r.place, reason=r.reason or "",
            lines=[_line(line) for line in r.lines], adjustments=adjustments,
            explanation=explanation, previous_class=before.get(enterprise_id, "")))
    MujunResult.objects.bulk_create(rows, batch_size=2000)


def _run_snapshot(run: MujunRun) -> dict:
    return {"version": run.version, "scheme": run.scheme_id, "scheme_version": run.scheme_version, "year": run.year,
            "status": run.status, "enterprises": len(run.snapshot["id"]), "counts": run.counts}


@transaction.atomic
def run_create(*, actor, scheme: MujunScheme, is_demo: bool = False) -> MujunRun:
    """A draft run of `scheme` over the register as it stands."""
    _require_run(actor)
    parsed = parse_scheme(scheme.definition)
    table = build_snapshot(parsed, scheme.sources, scheme.year, scheme.pk)
    if not table["id"]:
        raise ApplicationError(f"{scheme.year}年没有企业的年度数据，无法评价。")
    run = MujunRun(scheme=scheme, year=scheme.year, scheme_version=scheme.version,
                   frozen_scheme=scheme.definition, snapshot=table, created_by=_actor(actor), is_demo=is_demo)
    _score(run, parsed)
    record_change(actor=actor, obj=run, action=ChangeRecord.Action.CREATE, after=_run_snapshot(run))
    return run


def _locked_run(run: MujunRun, expected_version=None) -> MujunRun:
    run = MujunRun.objects.select_for_update().select_related("scheme").get(pk=run.pk)
    if run.status == MujunRun.Status.PUBLISHED:
        raise ApplicationError(LOCKED)
    check_version(run, expected_version)
    return run


def _transition(actor, run: MujunRun, action, note: str, **fields) -> MujunRun:
    before = _run_snapshot(run)
    for key, value in fields.items():
        setattr(run, key, value)
    run.version += 1
    run.save()
    record_change(actor=actor, obj=run, action=action, before=before, after=_run_snapshot(run), note=note)
    return run


@transaction.atomic
def run_rerun(*, actor, run: MujunRun, expected_version=None) -> MujunRun:
    """Score a draft again, from the register as it stands now and the scheme's current version."""
    _require_run(actor)
    run = _locked_run(run, expected_version)
    if run.status != MujunRun.Status.DRAFT:
        raise ApplicationError("只有草稿状态的评价可以重新计算；已签核的评价请先退回。")
    before = _run_snapshot(run)
    scheme = run.scheme
    parsed = parse_scheme(scheme.definition)
    run.snapshot = build_snapshot(parsed, scheme.sources, run.year, scheme.pk)
    run.frozen_scheme, run.scheme_version = scheme.definition, scheme.version
    run.version += 1
    _score(run, parsed)
    record_change(actor=actor, obj=run, action=ChangeRecord.Action.UPDATE, before=before,
                  after=_run_snapshot(run), note="重新计算")
    return run


@transaction.atomic
def run_sign_off(*, actor, run: MujunRun, expected_version=None) -> MujunRun:
    if not may_sign(actor):
        raise PermissionDeniedError("只有督查室、领导或系统管理员可以签核亩均评价。")
    run = _locked_run(run, expected_version)
    if run.status != MujunRun.Status.DRAFT:
        raise ApplicationError("该评价已签核。")
    return _transition(actor, run, ChangeRecord.Action.ACCEPT, "签核", status=MujunRun.Status.SIGNED,
                       signed_by=_actor(actor), signed_at=timezone.now())


@transaction.atomic
def run_return(*, actor, run: MujunRun, expected_version=None) -> MujunRun:
    """A signed run back to draft (to correct figures and rerun)."""
    if not (may_sign(actor) or may_run(actor)):
        raise PermissionDeniedError("只有经发局、督查室、领导或系统管理员可以退回亩均评价。")
    run = _locked_run(run, expected_version)
    if run.status != MujunRun.Status.SIGNED:
        raise ApplicationError("只有已签核的评价可以退回。")
    return _transition(actor, run, ChangeRecord.Action.RETURN, "退回草稿", status=MujunRun.Status.DRAFT,
                       signed_by=None, signed_at=None)


@transaction.atomic
def run_publish(*, actor, run: MujunRun, expected_version=None) -> MujunRun:
    """Publish a signed run: the class movement is taken against the latest published run now,
    then the run is locked."""
    _require_run(actor)
    run = _locked_run(run, expected_version)
    if run.status != MujunRun.Status.SIGNED:
        raise ApplicationError("评价须经督查室或领导签核后才能发布。")
    before = _previous_classes(run)
    results = list(MujunResult.objects.filter(run=run).only("pk", "enterprise_id", "previous_class"))
    for r in results:
        r.previous_class = before.get(r.enterprise_id, "")
    MujunResult.objects.bulk_update(results, ["previous_class"], batch_size=2000)
    return _transition(actor, run, ChangeRecord.Action.ACTIVATE, "发布", status=MujunRun.Status.PUBLISHED,
                       published_by=_actor(actor), published_at=timezone.now())


# ---------------------------------------------------------------- bonus and deduction entries


@transaction.atomic
def adjustment_create(*, actor, scheme: MujunScheme, credit_code: str, item: str, count=1,
                      reference: str = "", file=None, is_demo: bool = False) -> MujunAdjustment:
    """Apply one of the scheme's bonus or deduction items to an enterprise, with its evidence (a
    reference, a file, or both). It counts from the next run or rerun of the scheme."""
    _require_run(actor)
    items = {a.key: a for a in parse_scheme(scheme.definition).adjustments}
    if not items:
        raise ApplicationError("该方案没有加减分项，请先在方案内容的 adjustments 中定义。", field="item")
    if item not in items:
        raise ApplicationError(f"加减分项“{item}”不是该方案的项目（可选：{'、'.join(items)}）。", field="item")
    code = (credit_code or "").strip().upper()
    enterprise = Enterprise.objects.filter(credit_code=code).first()
    if enterprise is None:
        raise ApplicationError(f"统一社会信用代码“{code}”不在企业库中。", field="credit_code")
    try:
        count = Decimal(str(count))
    except ArithmeticError:
        raise ApplicationError(f"次数“{count}”不是数字。", field="count") from None
    if not count.is_finite() or count <= 0:
        raise ApplicationError("次数应大于零。", field="count")
    reference = (reference or "").strip()
    if not reference and not file:
        raise ApplicationError("请填写依据（文号或说明）或上传佐证附件，加减分须有佐证。", field="reference")
    if file:
        check_attachment(file, field="file", what="佐证附件")
    entry = MujunAdjustment(scheme=scheme, enterprise=enterprise, item=item, count=count, reference=reference,
                            file_name=(getattr(file, "name", "") or "")[:200] if file else "", created_by=_actor(actor),
                            is_demo=is_demo)
    if file:
        entry.file.save(entry.file_name, file, save=False)
    entry.save()
    record_change(actor=actor, obj=entry, action=ChangeRecord.Action.CREATE,
                  after=snapshot(entry, MujunAdjustment.FIELDS, with_m2m=False))
    return entry


def _frozen_in_locked_run(entry: MujunAdjustment) -> bool:
    results = MujunResult.objects.filter(
        run__scheme_id=entry.scheme_id, enterprise_id=entry.enterprise_id,
        run__status__in=[MujunRun.Status.SIGNED, MujunRun.Status.PUBLISHED]).values_list("adjustments", flat=True)
    return any(e.get("id") == entry.pk for lines in results for line in lines for e in line.get("evidence", []))


@transaction.atomic
def adjustment_delete(*, actor, entry: MujunAdjustment) -> None:
    """Withdraw an entry (a draft's next rerun drops it); one a signed or published run was scored
    on stays, so that run's evidence can still be opened."""
    _require_run(actor)
    if _frozen_in_locked_run(entry):
        raise ApplicationError("该加减分记录已用于已签核或已发布的评价，不能删除；如需更正，请退回评价后再删除。")
    before = snapshot(entry, MujunAdjustment.FIELDS, with_m2m=False)
    record_change(actor=actor, obj=entry, action=ChangeRecord.Action.DELETE, before=before)
    entry.delete()  # the file stays in storage: the change record may be audited against it
