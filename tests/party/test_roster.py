"""The member roster: once an organisation keeps one, its counts (and so its form warnings) are the
roster's; the 党建办 and the host unit keep it, readers of the organisation read it; bad input
writes nothing; a removal keeps its history."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from python_calamine import CalamineWorkbook

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.party import services
from yuanqu.party.models import Member, PartyOrganisation

from .test_access import READS

# Who keeps which roster: the 党建办 (and the administrator) all; a unit's reporter its own unit's
# (农业农村局 is the 片区's parent in the tests' tree: it holds the ability for the village too).
KEEPS = {"admin": {"village", "dept"}, "office": {"village", "dept"}, "supervisor": set(), "leader": set(),
         "village": {"village"}, "invest": {"dept"}, "agri": {"village"}, "invest_village": {"village", "dept"},
         "nounit": set()}


def _add(actor, org, name, status="full", joined="2020-07-01", **extra):
    return services.member_add(actor=actor, organisation=org, data={"name": name, "status": status,
                                                                     "joined_on": joined, **extra})


def _codes(org) -> set[str]:
    org.refresh_from_db()
    return {w.code for w in org.warnings(clock.today())}


def test_the_roster_replaces_the_typed_counts_and_the_form_warnings_follow_it(zone, orgs):
    office, dept = zone["office"], orgs["dept"]
    assert dept.full_members == 9 and "too_few" not in _codes(dept)
    _add(office, dept, "张一")
    _add(office, dept, "张二")
    dept.refresh_from_db()
    assert (dept.has_roster, dept.full_members, dept.probationary_members) == (True, 2, 0)
    assert "too_few" in _codes(dept)  # 2 full members: below the 3 a branch needs
    third = _add(office, dept, "张三", status="probationary")
    assert "too_few" in _codes(dept)  # a probationary member does not count towards the 3
    services.member_update(actor=office, member=third, data={"status": "full"}, expected_version=1)
    assert "too_few" not in _codes(dept)
    assert (dept.full_members, dept.probationary_members) == (3, 0)
    # 7 full members with a committee of 3 is fine; a committee of 2 at 7 is not
    for n in range(4):
        _add(office, dept, f"李{n}")
    services.organisation_update(actor=office, organisation=dept, data={"committee": "甲、乙"})
    assert "needs_committee" in _codes(dept) and dept.full_members == 7


def test_typed_counts_are_refused_while_a_roster_is_kept_and_return_when_it_is_emptied(zone, orgs):
    office, dept = zone["office"], orgs["dept"]
    member = _add(office, dept, "王五")
    with pytest.raises(ApplicationError) as exc:
        services.organisation_update(actor=office, organisation=dept, data={"full_members": 12})
    assert exc.value.field == "full_members" and "名册" in exc.value.message
    dept.refresh_from_db()
    assert dept.full_members == 1
    services.member_remove(actor=office, member=member, reason="组织关系转出")
    dept.refresh_from_db()
    assert (dept.has_roster, dept.full_members) == (False, 0)
    services.organisation_update(actor=office, organisation=dept, data={"full_members": 12})
    dept.refresh_from_db()
    assert dept.full_members == 12


def test_a_removal_keeps_the_members_and_the_organisations_history(zone, orgs):
    office, dept = zone["office"], orgs["dept"]
    member = _add(office, dept, "赵六", phone="13800000000", position="组织委员")
    pk = member.pk
    services.member_remove(actor=office, member=member, reason="去世")
    assert not Member.objects.filter(pk=pk).exists()
    gone = ChangeRecord.objects.get(content_type=ContentType.objects.get_for_model(Member), object_id=pk,
                                    action=ChangeRecord.Action.DELETE)
    assert gone.before["name"] == "赵六" and gone.before["phone"] == "13800000000" and gone.note == "去世"
    notes = list(ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(PartyOrganisation),
                                             object_id=dept.pk).values_list("note", flat=True))
    assert "党员名册：新增赵六（正式党员）" in notes and "党员名册：移出赵六（去世）" in notes


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"name": " ", "status": "full", "joined_on": "2020-01-01"}, "name", "姓名"),
    ({"name": "甲", "status": "member", "joined_on": "2020-01-01"}, "status", "党员类别"),
    ({"name": "甲", "status": "full", "joined_on": "2020-13-01"}, "joined_on", "入党日期"),
    ({"name": "甲", "status": "full", "joined_on": "2099-01-01"}, "joined_on", "晚于今天"),
    ({"name": "甲", "status": "full", "joined_on": "2020-01-01", "phone": "一三八"}, "phone", "联系电话"),
])
def test_bad_member_input_names_the_field_and_writes_nothing(zone, orgs, data, field, words):
    dept = orgs["dept"]
    records = ChangeRecord.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.member_add(actor=zone["office"], organisation=dept, data=data)
    assert exc.value.field == field and words in exc.value.message
    dept.refresh_from_db()
    assert (Member.objects.count(), ChangeRecord.objects.count()) == (0, records)
    assert (dept.has_roster, dept.full_members) == (False, 9)


def test_a_reader_who_does_not_keep_the_roster_is_refused_by_the_service(zone, orgs):
    with pytest.raises(PermissionDeniedError):
        _add(zone["leader"], orgs["dept"], "甲")
    assert not Member.objects.exists()


@pytest.fixture
def rosters(zone, orgs):
    return {key: _add(zone["office"], org, f"{key}党员") for key, org in orgs.items()}


@pytest.mark.parametrize("role", list(READS))
def test_roster_pages_export_and_api_by_role(client, client_as, zone, orgs, rosters, role):
    client.force_login(zone[role])
    api = client_as(role)
    listed = {r["name"] for r in api.get("/api/party/members/").json()["results"]}
    assert listed == {f"{k}党员" for k in READS[role]}
    for key, org in orgs.items():
        reads, keeps = key in READS[role], key in KEEPS[role]
        page = client.get(f"/party/{org.pk}/members/")
        assert page.status_code == (403 if role == "nounit" else 200 if reads else 404)
        if reads:
            assert f"{key}党员" in page.content.decode()
            assert ("添加党员" in page.content.decode()) == keeps
            book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(f"/party/{org.pk}/members/?export=1").content))
            assert f"{key}党员" in {str(c) for row in book.get_sheet_by_index(0).to_python() for c in row}
        denied = 403 if reads or role == "nounit" else 404
        r = client.post(f"/party/{org.pk}/members/new/", {"name": "页面党员", "status": "probationary",
                                                          "joined_on": "2025-06-01"})
        assert r.status_code == (302 if keeps else denied), (key, r.status_code)
        r = api.post("/api/party/members/", {"organisation": org.pk, "name": "接口党员", "status": "full",
                                             "joined_on": "2024-01-01"}, format="json")
        assert r.status_code == (201 if keeps else 403 if reads else 400), (key, r.content)
        member = rosters[key]
        r = api.patch(f"/api/party/members/{member.pk}/", {"position": "宣传委员", "version": 1}, format="json")
        assert r.status_code == (200 if keeps else 403 if reads else 404), (key, r.content)
        r = client.post(f"/party/members/{member.pk}/remove/", {"reason": "转出"})
        assert r.status_code == (302 if keeps else denied)
        org.refresh_from_db()
        names = set(org.roster.values_list("name", flat=True))
        assert names == ({"页面党员", "接口党员"} if keeps else {f"{key}党员"})
        assert (org.full_members, org.probationary_members) == ((1, 1) if keeps else (1, 0))


def test_the_roster_page_and_the_api_list_do_not_grow_their_queries(client, zone, orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(zone["office"])
    dept = orgs["dept"]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [f"/party/{dept.pk}/members/", f"/api/party/members/?organisation={dept.pk}"]
    _add(zone["office"], dept, "甲")
    few = [count(u) for u in urls]
    for n in range(6):
        _add(zone["office"], dept, f"乙{n}")
    assert [count(u) for u in urls] == few


def test_a_role_of_the_unit_without_party_abilities_reads_no_names(client, units, orgs, rosters):
    """A 网格员 of 三南村 holds a role in the village, which is enough to see its organisation in
    scope, but names, phones and posts are the party's readers' only: the API answers nothing."""
    from yuanqu.grid.abilities import GRID_WORKER

    from ..factories import make_user

    worker = make_user("gridworker1", GRID_WORKER, None, also=[(GRID_WORKER, units["village"])])
    client.force_login(worker)
    assert client.get("/api/party/members/").json()["results"] == []
    assert client.get(f"/api/party/members/{rosters['village'].pk}/").status_code == 404
    assert client.get(f"/api/party/members/?organisation={10**30}").status_code == 400  # not an id (core.ids)
