"""One unit-ranking rule for the bulletin and the cockpit: exact shares, then fewer reds."""

from types import SimpleNamespace

from yuanqu.cockpit import selectors as cockpit
from yuanqu.plans.status import Status
from yuanqu.reports import bulletin


def _unit_targets(name: str, order: int, counts: dict[Status, int], first_pk: int):
    unit = SimpleNamespace(name=name, label=name, order=order)
    statuses = [status for status, n in counts.items() for _ in range(n)]
    return [
        (SimpleNamespace(pk=first_pk + i, lead_unit_id=100 + order, lead_unit=unit), SimpleNamespace(status=status))
        for i, status in enumerate(statuses)
    ]


def test_bulletin_and_cockpit_rank_alike_where_a_rounded_share_would_tie(plan, users):
    g, y, r = Status.GREEN, Status.YELLOW, Status.RED
    rows = [
        # 5/28 = 17.86% and 7/39 = 17.95% both show as 17.9%: the exact share must decide, not the reds.
        *_unit_targets("乙局", 0, {g: 5, y: 22, r: 1}, 1),
        *_unit_targets("甲局", 1, {g: 7, y: 29, r: 3}, 100),
        *_unit_targets("丙局", 2, {g: 14, y: 61, r: 3}, 200),  # 14/78 = 7/39 exactly, as many reds: tied
    ]
    targets = [t for t, _ in rows]
    evaluations = {t.pk: ev for t, ev in rows}

    in_bulletin, _note = bulletin.unit_ranking(targets, evaluations)
    in_cockpit = cockpit.unit_ranking(plan, users["leader"], targets, evaluations)["rows"]

    assert [(x["rank"], x["unit"]) for x in in_bulletin] == [(1, "甲局"), (1, "丙局"), (3, "乙局")]
    assert [(x["rank"], x["unit"]) for x in in_cockpit] == [(1, "甲局"), (1, "丙局"), (3, "乙局")]
    assert [x["share"] for x in in_cockpit] == [17.9, 17.9, 17.9]
    assert in_bulletin[2]["note"] == ""  # 乙局's share differs from the others': no "same share" note
