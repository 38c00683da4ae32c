"""亩均 runs: a scheme refused by field, a run scored from the register and explained as the
engine says, the lifecycle 草稿 → 已签核 → 已发布 and the lock after, class movement."""

from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.enterprises import mujun_services as ms
from yuanqu.enterprises import services
from yuanqu.enterprises.models import FigureSource, Indicator, MujunResult, MujunRun, MujunScheme
from yuanqu.enterprises.mujun import Scheme, evaluate
from yuanqu.enterprises.mujun_selectors import movement_matrix

from .mujun_zone import SOURCES, build_zone, huangyan, make_scheme


@pytest.fixture
def zone(make_enterprise):
    return build_zone(make_enterprise)


def test_the_shipped_huangyan_scheme_parses_and_finds_every_figure(db):
    shipped = MujunScheme.objects.get(year=2022, jurisdiction="台州市黄岩区")
    parsed = shipped.parsed()
    found = ms.figure_indicators(parsed, shipped.sources)
    assert found["主要污染物排放量"].key == "pollutants" and found["用地面积"].key == "land_area"
    assert parsed.pool("规上").indicators[0].benchmark.value == 24.097


def test_a_bad_scheme_is_refused_naming_the_field_and_nothing_is_written(db):
    bad = huangyan()
    bad["pools"][0]["indicators"][0]["weight"] = 35  # 规上 weights now add up to 105
    with pytest.raises(ApplicationError) as exc:
        ms.scheme_create(actor=None, definition=bad, sources=SOURCES)
    assert exc.value.field == "definition"
    assert "规上企业" in exc.value.message and "权重合计为 105" in exc.value.message
    zero = huangyan()
    zero["pools"][1]["indicators"][0]["benchmark"]["value"] = 0
    with pytest.raises(ApplicationError, match="亩均税收.*基准值不能为零"):
        ms.scheme_create(actor=None, definition=zero, sources=SOURCES)
    with pytest.raises(ApplicationError, match="数据项“R&D经费支出”找不到同名的企业指标"):
        ms.scheme_create(actor=None, definition=huangyan(), sources={"主要污染物排放量": "pollutants"})
    with pytest.raises(ApplicationError, match="指标代码“nope”不存在"):
        ms.scheme_create(actor=None, definition=huangyan(), sources={**SOURCES, "用电量": "nope"})
    assert not MujunScheme.objects.filter(year=2025).exists()


def test_a_scheme_edit_is_a_new_version_with_history_and_a_stale_one_is_refused(db, users):
    scheme = make_scheme()
    changed = huangyan()
    changed["classification"]["classes"][0]["label"] = "优先支持"
    ms.scheme_update(actor=users["admin"], scheme=scheme, definition=changed, expected_version=1)
    scheme.refresh_from_db()
    assert scheme.version == 2 and scheme.definition["classification"]["classes"][0]["label"] == "优先支持"
    assert ChangeRecord.objects.filter(object_id=scheme.pk, action="update").count() == 1
    with pytest.raises(ApplicationError, match="已被他人修改"):
        ms.scheme_update(actor=users["admin"], scheme=scheme, definition=huangyan(), expected_version=1)
    with pytest.raises(PermissionDeniedError):
        ms.scheme_update(actor=users["supervisor"], scheme=scheme, definition=huangyan())


def test_a_run_scores_the_register_and_its_explanations_are_the_engines(zone):
    run = ms.run_create(actor=None, scheme=make_scheme())
    results = {r.enterprise_id: r for r in MujunResult.objects.filter(run=run)}
    assert len(results) == 12 and run.status == MujunRun.Status.DRAFT
    assert sum(sum(c.values()) if isinstance(c, dict) else c for c in run.counts.values()) == 12
    # The engine on the frozen snapshot gives the same numbers, line by line.
    engine = evaluate(Scheme.from_dict(run.frozen_scheme), run.snapshot)
    for code, enterprise_id in zip(run.snapshot["id"], run.snapshot["enterprise"], strict=True):
        expected, stored = engine.enterprise(code), results[enterprise_id]
        assert stored.total == Decimal(repr(expected.total)) and stored.class_key == expected.class_key
        assert [line["points"] for line in stored.lines] == [line.points for line in expected.lines]
        assert [line["value"] for line in stored.lines] == [line.value for line in expected.lines]
        assert stored.explanation == expected.explanation(4)
    # The land area comes from the record when no figure gives it; the missing emissions use the pool's average.
    firm = zone[4]
    assert run.snapshot["用地面积"][run.snapshot["enterprise"].index(firm.pk)] == float(firm.land_mu)
    emissions = next(line for line in results[firm.pk].lines if line["indicator"] == "单位排放增加值")
    assert emissions["value"] is None and "取组内平均得分" in emissions["missing"]
    # 规上 and 规下 are apart, as the scheme says.
    assert {r.pool for r in results.values()} == {"规上", "规下"}


def test_lifecycle_draft_rerun_sign_publish_and_locked_after(zone, users, economy):
    run = ms.run_create(actor=economy, scheme=make_scheme())
    firm = zone[0]
    old = MujunResult.objects.get(run=run, enterprise=firm).total
    # A corrected figure, then a rerun while a draft: the new value counts.
    services.figures_record(actor=None, enterprise=firm, year=2025, source=FigureSource.objects.get(name="税务"),
                            values={Indicator.objects.get(key="tax_paid"): Decimal("99999")})
    run = ms.run_rerun(actor=economy, run=run)
    assert MujunResult.objects.get(run=run, enterprise=firm).total > old
    assert MujunResult.objects.filter(run=run).count() == 12 and run.version == 2
    with pytest.raises(PermissionDeniedError):
        ms.run_sign_off(actor=economy, run=run)
    with pytest.raises(ApplicationError, match="须经督查室或领导签核"):
        ms.run_publish(actor=economy, run=run)
    ms.run_sign_off(actor=users["supervisor"], run=run)
    with pytest.raises(ApplicationError, match="只有草稿状态"):
        ms.run_rerun(actor=economy, run=run)
    with pytest.raises(PermissionDeniedError):
        ms.run_publish(actor=users["leader"], run=run)
    ms.run_publish(actor=economy, run=run)
    run.refresh_from_db()
    assert run.status == "published" and run.published_by == economy and run.signed_by == users["supervisor"]
    for action in (ms.run_rerun, ms.run_sign_off, ms.run_return, ms.run_publish):
        with pytest.raises(ApplicationError, match="已发布并锁定"):
            action(actor=users["admin"], run=run)
    assert [c.note for c in ChangeRecord.objects.filter(object_id=run.pk).order_by("id")
            if c.content_type.model == "mujunrun"] == ["", "重新计算", "签核", "发布"]


def test_a_signed_run_returns_to_draft_and_a_stale_action_is_refused(zone, users, economy):
    run = ms.run_create(actor=economy, scheme=make_scheme())
    ms.run_sign_off(actor=users["leader"], run=run, expected_version=1)
    with pytest.raises(ApplicationError, match="已被他人修改"):
        ms.run_return(actor=economy, run=run, expected_version=1)
    ms.run_return(actor=economy, run=run, expected_version=2)
    run.refresh_from_db()
    assert run.status == "draft" and run.signed_by is None
    ms.run_rerun(actor=economy, run=run)


def test_class_movement_against_the_previous_published_run(zone, users, client):
    with pytest.raises(ApplicationError, match="2024年没有企业的年度数据"):
        ms.run_create(actor=None, scheme=make_scheme(2024))
    source, indicators = FigureSource.objects.get(name="统计"), {i.key: i for i in Indicator.objects.all()}
    for n, firm in enumerate(zone):  # 2024: the order of the tax reversed
        services.figures_record(actor=None, enterprise=firm, year=2024, source=source, values={
            indicators["tax_paid"]: Decimal(100 + 50 * (12 - n)), indicators["value_added"]: Decimal(500),
            indicators["revenue"]: Decimal(5000), indicators["electricity"]: Decimal(100)})
    earlier = ms.run_create(actor=None, scheme=MujunScheme.objects.get(year=2024))
    later = ms.run_create(actor=None, scheme=make_scheme(2025))
    assert later.previous is None  # nothing published yet
    ms.run_sign_off(actor=None, run=earlier)
    ms.run_publish(actor=None, run=earlier)
    assert MujunResult.objects.filter(run=later).exclude(previous_class="").count() == 0
    ms.run_sign_off(actor=None, run=later)
    ms.run_publish(actor=None, run=later)  # the movement is taken at publication
    later.refresh_from_db()
    assert later.previous == earlier
    before = dict(MujunResult.objects.filter(run=earlier).values_list("enterprise", "class_key"))
    for r in MujunResult.objects.filter(run=later):
        assert r.previous_class == before[r.enterprise_id]
    matrix = dict(movement_matrix(later))
    assert sum(map(sum, matrix.values())) == 12
    assert matrix["A"][later.class_keys.index("A")] == MujunResult.objects.filter(
        run=later, previous_class="A", class_key="A").count()
    client.force_login(users["leader"])
    page = client.get(f"/enterprises/mujun/runs/{later.pk}/").content.decode()
    assert "与2024年发布评价相比的类别变动" in page and 'data-testid="movement"' in page


def test_the_demo_publishes_the_last_two_years_with_movement_and_clears_them(users, clock):
    from yuanqu.enterprises import demo
    from yuanqu.enterprises.models import MujunPolicy

    demo.build_demo(today=clock.today(), count=120)
    runs = list(MujunRun.objects.order_by("year"))
    assert [(r.year, r.status, r.is_demo) for r in runs] == [(2024, "published", True), (2025, "published", True)]
    assert runs[1].previous == runs[0]
    moved = MujunResult.objects.filter(run=runs[1]).exclude(previous_class="")
    assert moved.exists() and MujunPolicy.objects.filter(class_key="D").count() == 6
    demo.clear_demo()
    assert not (MujunRun.objects.exists() or MujunPolicy.objects.exists()
                or MujunScheme.objects.filter(is_demo=True).exists())


def test_a_prior_average_benchmark_is_the_pools_average_of_the_year_before(zone):
    source, indicators = FigureSource.objects.get(name="统计"), {i.key: i for i in Indicator.objects.all()}
    taxes = {}
    for n, firm in enumerate(zone):
        taxes[firm.pk] = Decimal(100 + 10 * n)
        services.figures_record(actor=None, enterprise=firm, year=2024, source=source,
                                values={indicators["tax_paid"]: taxes[firm.pk]})
    definition = huangyan()
    definition["pools"][1]["indicators"][0]["benchmark"] = {"mode": "prior_average", "multiple": 2}
    run = ms.run_create(actor=None, scheme=ms.scheme_create(actor=None, definition=definition, sources=SOURCES))
    below = [f for f in zone if f.above_scale_since is None]  # the 规下 pool
    average = sum(float(taxes[f.pk]) / float(f.land_mu) for f in below) / len(below)
    line = MujunResult.objects.get(run=run, enterprise=below[0]).lines[0]
    assert line["indicator"] == "亩均税收" and f"{average:g} × 2 = {2 * average:g}" in line["benchmark"]
    assert line["ratio"] == pytest.approx(line["value"] / (2 * average))


def test_an_attribute_the_register_cannot_give_is_refused_by_name(db):
    definition = huangyan()
    definition["attributes"] = [*definition["attributes"], {"key": "信用等级", "kind": "text"}]
    with pytest.raises(ApplicationError, match="属性“信用等级”不是企业库能提供的属性"):
        ms.scheme_create(actor=None, definition=definition, sources=SOURCES)
