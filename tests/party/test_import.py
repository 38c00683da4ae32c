"""Importing Party organisations through the import chassis: template, rows created and updated by
name, every bad cell named by row and column with nothing written, a re-import changing nothing, a
revert, and the roster's counts kept."""

import io

import pytest
from python_calamine import CalamineWorkbook

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports.services import import_apply, import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.party import services
from yuanqu.party.models import PartyOrganisation

from ..org.import_helpers import assert_errors, preview, run

HEADER = ["党组织名称", "组织形式", "所属单位", "所在企业", "正式党员", "预备党员", "委员", "本届任期开始", "本届任期届满"]


@pytest.fixture
def rows(zone, units, firms):
    return [
        HEADER,
        ["中共三南村支部委员会", "党支部", "三南村", "", 12, 1, "王明、李华、张强", "2021-04-01", ""],
        ["中共两新企业1支部委员会", "党支部", "党建办", firms[0].credit_code, 4, "", "", "2025-03-01", "2028-03-01"],
    ]


def test_organisations_are_created_with_their_hosts_and_a_second_import_changes_nothing(zone, units, firms, rows):
    assert preview(zone["admin"], "party.organisations", rows).errors == []
    batch = run(zone["admin"], "party.organisations", rows)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 2)
    village = PartyOrganisation.objects.get(name="中共三南村支部委员会")
    assert (village.unit, village.form, village.full_members, village.probationary_members) == (
        units["village"], "branch", 12, 1)
    firm = PartyOrganisation.objects.get(name="中共两新企业1支部委员会")
    assert firm.enterprise == firms[0] and str(firm.term_end) == "2028-03-01"
    count = ChangeRecord.objects.count()
    again = run(zone["admin"], "party.organisations", rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert ChangeRecord.objects.count() == count


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_written(zone, units, firms, rows):
    bad = [
        HEADER,
        ["甲支部", "党小组", "三南村", "", 3, 0, "", "", ""],
        ["乙支部", "党支部", "国土局", "", 3, 0, "", "", ""],
        ["丙支部", "党支部", "三南村", "", 3, 0, "", "2026-05-01", "2026-01-01"],
        ["丁支部", "党支部", "三南村", "", -2, 0, "", "", ""],
        ["戊支部", "党支部", "三南村", "", 3, -1, "", "", ""],
        *rows[1:],
    ]
    batch = preview(zone["admin"], "party.organisations", bad)
    errors = batch.errors
    assert_errors(errors,
                  "第2行「组织形式」：“党小组”不是可选值…",
                  "第3行「所属单位」：未找到单位“国土局”…",
                  "第4行「本届任期届满」：本届任期届满日期应晚于任期开始日期",
                  "第5行「正式党员」：正式党员不能为负数（收到-2）",
                  "第6行「预备党员」：预备党员不能为负数（收到-1）")
    assert len(errors) == 5  # the good rows have none
    with pytest.raises(ApplicationError, match="5处错误"):
        import_apply(actor=zone["admin"], batch=batch)
    assert not PartyOrganisation.objects.exists()


def test_a_roster_kept_organisations_counts_are_not_overwritten(zone, units, firms, rows):
    run(zone["admin"], "party.organisations", rows)
    org = PartyOrganisation.objects.get(name="中共三南村支部委员会")
    services.member_add(actor=zone["office"], organisation=org, data={"name": "王明", "status": "full",
                                                                     "joined_on": "2001-07-01"})
    changed = [row[:] for row in rows]
    changed[1][4] = 20
    batch = preview(zone["admin"], "party.organisations", changed)
    assert any(e.startswith("第2行「正式党员」：该党组织已建立党员名册") for e in batch.errors), batch.errors
    org.refresh_from_db()
    assert org.full_members == 1


def test_the_template_and_a_revert(client, zone, units, firms, rows):
    client.force_login(zone["admin"])
    response = client.get("/imports/party.organisations/template.xlsx")
    assert response.status_code == 200
    header = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()[0]
    assert all(h in header for h in HEADER)
    client.force_login(zone["office"])  # the 党建办 holds party.manage, the importer's own ability
    assert client.get("/imports/party.organisations/").status_code == 200
    client.force_login(zone["village"])
    assert client.get("/imports/party.organisations/").status_code == 403
    batch = run(zone["admin"], "party.organisations", rows)
    import_revert(actor=zone["admin"], batch=batch)
    assert not PartyOrganisation.objects.exists()
