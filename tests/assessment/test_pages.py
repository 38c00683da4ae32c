"""Assessment pages: who sees and does what, the editor's messages, and query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import add_units_with_targets
from yuanqu.assessment import services
from yuanqu.assessment.models import BonusItem, CommonScore, Run, Scheme, SchemeGroup, Veto
from yuanqu.core.models import ChangeRecord

from ..access import queries

ROLES = ["admin", "supervisor", "leader", "agri", "nounit"]


@pytest.fixture
def run(scheme, compute):
    return compute(scheme)


def publish(run, users) -> Run:
    services.run_sign_off(actor=users["supervisor"], run=run)
    return services.run_publish(actor=users["supervisor"], run=run)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("index", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 200, "nounit": 200}),
        ("scheme_create", {"admin": 200, "supervisor": 200, "leader": 403, "agri": 403, "nounit": 403}),
        ("scheme_detail", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 403, "nounit": 404}),
        ("scheme_edit", {"admin": 200, "supervisor": 200, "leader": 403, "agri": 403, "nounit": 404}),
        ("common_scores", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 403, "nounit": 404}),
        ("group_targets", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 403, "nounit": 404}),
        ("bonus_list", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 200, "nounit": 404}),
        ("veto_list", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 403, "nounit": 404}),
        ("run_detail", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 404, "nounit": 404}),
        ("run_unit", {"admin": 200, "supervisor": 200, "leader": 200, "agri": 404, "nounit": 404}),
    ],
)
def test_role_matrix_for_pages(client, users, units, scheme, run, page, expected):
    urls = {
        "index": reverse("assessment:index"),
        "scheme_create": reverse("assessment:scheme_create"),
        "scheme_detail": reverse("assessment:scheme_detail", args=[scheme.pk]),
        "scheme_edit": reverse("assessment:scheme_edit", args=[scheme.pk]),
        "common_scores": reverse("assessment:common_scores", args=[scheme.pk]),
        "group_targets": reverse("assessment:group_targets", args=[scheme.pk, scheme.groups.first().pk]),
        "bonus_list": reverse("assessment:bonus_list", args=[scheme.pk]),
        "veto_list": reverse("assessment:veto_list", args=[scheme.pk]),
        "run_detail": reverse("assessment:run_detail", args=[run.pk]),
        "run_unit": reverse("assessment:run_unit", args=[run.pk, units["agri"].pk]),
    }
    for role in ROLES:
        client.force_login(users[role])
        assert client.get(urls[page]).status_code == expected[role], role
    client.logout()
    assert client.get(urls[page]).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("action", "allowed"),
    [("run_sign_off", {"admin", "supervisor"}), ("run_recompute", {"admin", "supervisor"})],
)
@pytest.mark.parametrize("role", ["admin", "supervisor", "leader", "agri"])
def test_only_the_office_signs_off_and_recomputes(client, users, run, action, allowed, role):
    client.force_login(users[role])
    response = client.post(reverse(f"assessment:{action}", args=[run.pk]))
    run.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert run.status == (Run.Status.SIGNED_OFF if action == "run_sign_off" else Run.Status.COMPUTED)
    else:
        assert response.status_code in {403, 404}
        assert run.status == Run.Status.COMPUTED


def test_a_reporter_sees_only_their_units_results_and_only_after_publication(client, users, units, run):
    client.force_login(users["agri"])
    assert client.get(reverse("assessment:index")).context["runs"] == []
    publish(run, users)
    page = client.get(reverse("assessment:run_detail", args=[run.pk]))
    assert page.status_code == 200
    shown = {r.unit_id for r in page.context["results"]}
    # The agri reporter's scope is their unit and the units under it (the village).
    assert shown == {units["agri"].pk, units["village"].pk}
    assert "招商局" not in page.content.decode()
    assert client.get(reverse("assessment:run_unit", args=[run.pk, units["agri"].pk])).status_code == 200
    assert client.get(reverse("assessment:run_unit", args=[run.pk, units["invest"].pk])).status_code == 404
    client.force_login(users["invest"])
    mine = client.get(reverse("assessment:index")).context["my_results"]
    assert [r.unit_id for r in mine] == [units["invest"].pk]


def test_publish_button_locks_and_a_later_recompute_is_refused_with_a_message(client, users, run):
    client.force_login(users["supervisor"])
    client.post(reverse("assessment:run_sign_off", args=[run.pk]))
    client.post(reverse("assessment:run_publish", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Run.Status.PUBLISHED
    response = client.post(reverse("assessment:run_recompute", args=[run.pk]), follow=True)
    assert "已公示，结果已锁定" in response.content.decode()
    response = client.post(reverse("assessment:run_compute", args=[run.scheme_id]), {"on": "2026-06-30"},
                           follow=True)
    assert "已公示" in response.content.decode()
    assert Run.objects.count() == 1


def _editor_post(scheme: Scheme, **weights) -> dict:
    groups = list(scheme.groups.all())
    data = {
        "year": scheme.year, "name": scheme.name, "full_marks": "100", "excellent_quota": "20", "bonus_cap": "5",
        "completion_cap": "100", "completion_floor": "0", "milestone_mode": "binary", "report_grace_days": "10",
        "band-count": "4", "group-count": str(len(groups)), "expected_version": scheme.version,
    }
    for i, (name, low) in enumerate([("优秀", 90), ("良好", 80), ("合格", 70), ("不合格", 0)]):
        data[f"band-{i}-name"], data[f"band-{i}-min"] = name, low
    for i, g in enumerate(groups):
        data.update({f"group-{i}-id": g.pk, f"group-{i}-name": g.name, f"group-{i}-kind": g.kind,
                     f"group-{i}-weight": weights.get(g.kind, g.weight)})
    data["rule-urge-points"], data["rule-urge-cap"] = "1", "4"
    return data


def test_the_scheme_editor_shows_the_weight_message_and_saves_nothing(client, users, scheme):
    client.force_login(users["supervisor"])
    url = reverse("assessment:scheme_edit", args=[scheme.pk])
    response = client.post(url, _editor_post(scheme, common="25"))
    assert response.status_code == 400
    assert f"考核方案“{scheme.name}”的各组权重合计为105，应为100。" in response.content.decode()
    assert sorted(SchemeGroup.objects.values_list("weight", flat=True)) == [20, 80]
    response = client.post(url, _editor_post(scheme, common="30", specific="70"))
    assert response.status_code == 302
    assert sorted(SchemeGroup.objects.values_list("weight", flat=True)) == [30, 70]
    # Rules left blank are dropped; the one filled in is kept.
    assert list(scheme.rules.values_list("kind", "points", "cap")) == [("urge", 1, 4)]


def test_new_scheme_page_prefills_the_default_scheme_and_creates_it(client, users, plan):
    client.force_login(users["admin"])
    page = client.get(reverse("assessment:scheme_create") + f"?year={plan.year}")
    assert page.context["data"]["groups"][0]["weight"] == "20"
    data = page.context["data"]
    post = {k: data[k] for k in ("year", "name", "full_marks", "excellent_quota", "bonus_cap", "completion_cap",
                                 "completion_floor", "milestone_mode", "report_grace_days")}
    post.update({"band-count": 4, "group-count": 2})
    for i, b in enumerate(data["bands"]):
        post[f"band-{i}-name"], post[f"band-{i}-min"] = b["name"], b["min"]
    for i, g in enumerate(data["groups"]):
        post.update({f"group-{i}-name": g["name"], f"group-{i}-kind": g["kind"], f"group-{i}-weight": g["weight"]})
    for r in data["rules"]:
        post[f"rule-{r['kind']}-points"], post[f"rule-{r['kind']}-cap"] = r["points"], r["cap"]
    response = client.post(reverse("assessment:scheme_create"), post)
    scheme = Scheme.objects.get()
    assert response.url == reverse("assessment:scheme_detail", args=[scheme.pk])
    assert scheme.rules.count() == 5 and scheme.groups.count() == 2


def test_bonus_and_veto_entry_through_the_pages(client, users, units, scheme):
    client.force_login(users["agri"])
    url = reverse("assessment:bonus_list", args=[scheme.pk])
    response = client.post(url, {"unit": units["agri"].pk, "points": "1", "reason": "表彰", "evidence": ""},
                           follow=True)
    assert "请填写佐证材料说明" in response.content.decode() and not BonusItem.objects.exists()
    client.post(url, {"unit": units["agri"].pk, "points": "1", "reason": "表彰", "evidence": "文件"})
    bonus = BonusItem.objects.get()
    assert client.post(reverse("assessment:bonus_decide", args=[bonus.pk]), {"decision": "approve"}
                       ).status_code == 403
    assert client.post(reverse("assessment:veto_list", args=[scheme.pk]),
                       {"unit": units["invest"].pk, "reason": "事故"}).status_code == 403
    client.force_login(users["supervisor"])
    client.post(reverse("assessment:bonus_decide", args=[bonus.pk]), {"decision": "approve"})
    bonus.refresh_from_db()
    assert bonus.status == BonusItem.Status.APPROVED
    client.post(reverse("assessment:veto_list", args=[scheme.pk]), {"unit": units["invest"].pk, "reason": "事故"})
    assert Veto.objects.get().set_by == users["supervisor"]


@pytest.mark.parametrize("page", ["run_detail", "run_unit", "index", "scheme_detail"])
def test_query_counts_do_not_grow_with_units(client, users, units, plan, scheme, compute, page):
    client.force_login(users["supervisor"])

    def url_for(run):
        return {
            "run_detail": reverse("assessment:run_detail", args=[run.pk]),
            "run_unit": reverse("assessment:run_unit", args=[run.pk, units["agri"].pk]),
            "index": reverse("assessment:index"),
            "scheme_detail": reverse("assessment:scheme_detail", args=[scheme.pk]),
        }[page]

    add_units_with_targets(plan, 2)
    small_run = compute(scheme)
    small = queries(client, url_for(small_run))
    add_units_with_targets(plan, 8)
    large_run = compute(scheme, when=dt.date(plan.year, 7, 31))
    assert large_run.unit_count == small_run.unit_count + 8
    large = queries(client, url_for(large_run))
    assert small == large


def test_evidence_files_are_scoped_like_their_bonus(client, users, units, scheme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["invest"])
    upload = SimpleUploadedFile("表彰文件.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(reverse("assessment:bonus_list", args=[scheme.pk]),
                {"unit": units["invest"].pk, "points": "1", "reason": "表彰", "evidence": "文号", "file": upload})
    bonus = BonusItem.objects.get()
    url = reverse("assessment:bonus_file", args=[bonus.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    client.force_login(users["agri"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("assessment:bonus_list", args=[scheme.pk])).context["bonuses"] == []
    client.force_login(users["leader"])
    assert client.get(url).status_code == 200


HUGE = "99999999999999999999999"  # more than a 64-bit key holds (OverflowError on SQLite)


@pytest.mark.parametrize(
    ("page", "data", "outcome"),
    [
        ("bonus_list", {"unit": "abc"}, "申报单位“abc”不存在"),
        ("bonus_list", {"unit": HUGE}, f"申报单位“{HUGE}”不存在"),
        ("scheme_edit", {"expected_version": "abc"}, "版本号“abc”无效"),
        ("common_scores", {"unit": "abc"}, "被考核单位“abc”不存在"),
        ("common_scores", {"unit": HUGE}, f"被考核单位“{HUGE}”不存在"),
        ("common_scores", {"score": "1e999999"}, "得分数值过大"),
        ("common_scores", {"delete": "abc"}, 404),
        ("common_scores", {"delete": HUGE}, 404),
        ("veto_list", {"unit": "abc"}, "被否决单位“abc”不存在"),
        ("veto_list", {"unit": HUGE}, f"被否决单位“{HUGE}”不存在"),
        ("group_targets", {"targets": HUGE}, "目标编号无效"),
        ("group_targets", {"targets": "abc"}, "目标编号无效"),
        ("run_compute", {"on": "9999-12-31"}, "晚于"),
        ("run_compute", {"on": "0001-01-01"}, "早于"),
        ("run_compute", {"on": "2026-02-30"}, "考核截止日“2026-02-30”不是有效日期"),
        ("run_unit", None, 404),
        ("run_detail_huge", None, 404),
        ("scheme_huge", None, 404),
        ("bonus_file_huge", None, 404),
    ],
)
def test_malformed_input_gets_a_chinese_message_or_404_and_writes_nothing(client, users, units, scheme, run,
                                                                          page, data, outcome):
    common = scheme.groups.get(kind="common")
    score = services.common_score_save(actor=users["supervisor"], group=common, unit=units["agri"], name="热线",
                                       score="90")
    specific = scheme.groups.get(kind="specific")
    valid = {
        "bonus_list": {"unit": units["agri"].pk, "points": "1", "reason": "表彰", "evidence": "文件"},
        "scheme_edit": _editor_post(scheme),
        "common_scores": {"group": common.pk, "unit": units["agri"].pk, "name": "信访", "score": "80"},
        "veto_list": {"unit": units["agri"].pk, "reason": "事故"},
        "group_targets": {"targets": []},
        "run_compute": {},
    }
    urls = {
        "bonus_list": reverse("assessment:bonus_list", args=[scheme.pk]),
        "scheme_edit": reverse("assessment:scheme_edit", args=[scheme.pk]),
        "common_scores": reverse("assessment:common_scores", args=[scheme.pk]),
        "veto_list": reverse("assessment:veto_list", args=[scheme.pk]),
        "group_targets": reverse("assessment:group_targets", args=[scheme.pk, specific.pk]),
        "run_compute": reverse("assessment:run_compute", args=[scheme.pk]),
        "run_unit": f"/assessment/runs/{run.pk}/units/{HUGE}/",
        "run_detail_huge": f"/assessment/runs/{HUGE}/",
        "scheme_huge": f"/assessment/schemes/{HUGE}/",
        "bonus_file_huge": f"/assessment/bonuses/{HUGE}/file/",
    }
    before = {model: model.objects.count() for model in (BonusItem, CommonScore, Veto, Run, ChangeRecord)}
    version = scheme.version
    client.force_login(users["supervisor"])
    if data is None:
        response = client.get(urls[page])
    else:
        response = client.post(urls[page], {**valid[page], **data}, follow=True)
    if outcome == 404:
        assert response.status_code == 404
    else:
        assert response.status_code in {200, 400}
        assert outcome in response.content.decode()
    assert {model: model.objects.count() for model in before} == before
    scheme.refresh_from_db()
    assert scheme.version == version and not specific.targets.exists()
    assert CommonScore.objects.get(pk=score.pk).score == 90


def test_a_reporter_uploading_an_html_page_as_evidence_gets_a_message_and_nothing_is_stored(client, users, units,
                                                                                          scheme, settings):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["invest"])
    upload = SimpleUploadedFile("表彰.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(reverse("assessment:bonus_list", args=[scheme.pk]),
                           {"unit": units["invest"].pk, "points": "1", "reason": "表彰", "evidence": "文号",
                            "file": upload}, follow=True)
    assert "佐证附件“表彰.html”的类型不支持" in response.content.decode()
    assert not BonusItem.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_scheme_editor_offers_and_saves_the_progress_basis(client, users, scheme):
    client.force_login(users["supervisor"])
    url = reverse("assessment:scheme_edit", args=[scheme.pk])
    page = client.get(url).content.decode()
    assert 'name="progress_basis"' in page and "对照序时进度" in page
    response = client.post(url, {**_editor_post(scheme), "progress_basis": "schedule"})
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.progress_basis == Scheme.ProgressBasis.SCHEDULE
    detail = client.get(reverse("assessment:scheme_detail", args=[scheme.pk])).content.decode()
    assert "完成率计分口径：对照序时进度" in detail
    response = client.post(url, {**_editor_post(scheme), "progress_basis": "weekly"})
    assert response.status_code == 400 and "完成率计分口径“weekly”无效" in response.content.decode()
