"""Demo approvals for `yuanqu demo`: a catalogue, the “3550” and “2330” targets for the year, and
a year of cases up to the demo's today — most on time, some late, some suspended (专家评审、公示、
听证) or corrected (补正), 告知承诺 permits with their 审后核查. Everything through the services,
marked is_demo. The 行政审批局's demo reporter also gets the 审批人员 role, so the demo shows who edits.

Nothing here binds plan targets to the metrics: the plans demo does that from its own table.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from yuanqu.core.calendar import CalendarMissing, WorkCalendar, nth_workday_after
from yuanqu.core.services import forget_history
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit

from . import services
from .abilities import APPROVER
from .models import Case, Inspection, ReformBundle, Scenario, ServiceItem

# code, name, type, depth, kind, statutory, promised, 告知承诺, scenario, cases a month, spread of days
ITEMS = [
    ("320684-XK-0101", "企业设立登记", "licence", "full_online", "promised", 3, 1, False, "企业开办", 10, (0, 3)),
    ("320684-QT-0102", "公章刻制备案", "other", "full_online", "promised", 3, 1, False, "企业开办", 6, (0, 2)),
    ("320684-QT-0103", "首次申领发票", "other", "no_meeting", "promised", 5, 1, False, "企业开办", 6, (0, 2)),
    ("320684-QR-0201", "国有建设用地使用权首次登记", "confirmation", "partly_online", "promised", 30, 3, False,
     "不动产登记", 4, (1, 6)),
    ("320684-QR-0202", "房屋所有权转移登记", "confirmation", "no_meeting", "promised", 30, 3, False, "不动产登记", 6,
     (1, 5)),
    ("320684-XK-0301", "建设工程规划许可证核发", "licence", "partly_online", "promised", 20, 15, True,
     "工业项目施工许可", 2, (8, 40)),
    ("320684-XK-0302", "建筑工程施工许可证核发", "licence", "no_meeting", "promised", 15, 7, True,
     "工业项目施工许可", 2, (5, 40)),
    ("320684-XK-0401", "食品经营许可", "licence", "full_online", "promised", 20, 5, True, "", 2, (2, 7)),
    ("320684-QT-0501", "营业执照遗失补领", "other", "full_online", "instant", 1, 0, False, "", 2, (0, 0)),
]
# bundle code → scenario → (target working days, start event, end event)
BUNDLES = {
    "3550": ("江苏省“3550”改革目标", {"企业开办": ("3", "accepted", "delivered"), "不动产登记": ("5", "accepted", "delivered"),
                                "工业项目施工许可": ("50", "received", "decided")}),
    "2330": ("园区“2330”更高目标", {"企业开办": ("2", "accepted", "delivered"), "不动产登记": ("3", "accepted", "delivered"),
                              "工业项目施工许可": ("30", "received", "decided")}),
}
APPLICANTS = ["南通远洋邮轮配套有限公司", "皓晶新材料科技有限公司", "嘉浩精密制造有限公司", "佳禾汽车零部件有限公司",
              "海门智造装备有限公司", "江海物流有限公司", "三和纺织有限公司", "长江口建筑科技有限公司", "张某某", "李某某"]
PAUSES = ["专家评审", "公示", "听证", "检验检测"]


def clear_demo() -> None:
    for model in (Inspection, Case, Scenario, ReformBundle, ServiceItem):
        demo = model.objects.filter(case__is_demo=True) if model is Inspection else (
            model.objects.filter(bundle__is_demo=True) if model is Scenario else model.objects.filter(is_demo=True))
        ids = list(demo.values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).delete()
        forget_history(model, ids)


def build_demo(*, today: dt.date) -> None:
    office = OrgUnit.objects.filter(is_demo=True, name="行政审批局").first()
    builder = OrgUnit.objects.filter(is_demo=True, name="建设局").first()
    actor = org_services.demo_clerk(office, APPROVER)
    items = {}
    for code, name, kind_of, depth, kind, statutory, promised, commitment, *_ in ITEMS:
        items[code] = services.item_create(actor=actor, is_demo=True, data={
            "code": code, "name": name, "item_type": kind_of, "depth": depth, "kind": kind,
            "statutory_days": statutory, "promised_days": promised, "commitment": commitment, "inspection_days": 20})
    for code, (name, scenarios) in BUNDLES.items():
        bundle = services.bundle_create(actor=actor, is_demo=True, data={
            "code": code, "name": name, "year": today.year,
            "note": "3550 为江苏省目标；2330 为计划提出的更高目标（企业开办 2 个、不动产登记 3 个、工业项目施工许可 30 个"
                    "工作日），具体口径以园区文件为准。"})
        for order, (scenario, (days, start, end)) in enumerate(scenarios.items()):
            services.scenario_create(actor=actor, bundle=bundle, data={
                "name": scenario, "target_days": Decimal(days), "start_event": start, "end_event": end,
                "order": order, "items": [items[row[0]] for row in ITEMS if row[8] == scenario]})
    _cases(actor, items, today, builder)


def _cases(actor, items: dict, today: dt.date, builder: OrgUnit | None) -> None:
    rng = random.Random(2330)
    first = today - dt.timedelta(days=364)
    try:
        calendar = WorkCalendar(first - dt.timedelta(days=10), today + dt.timedelta(days=400))
    except CalendarMissing:  # pragma: no cover - only a year the calendar does not know
        return
    workdays = [first + dt.timedelta(days=i) for i in range((today - first).days + 1)
                if calendar.is_workday(first + dt.timedelta(days=i))]
    number = 0
    for code, _name, _t, _d, _k, _s, promised, commitment, scenario, per_month, (low, high) in ITEMS:
        for received in sorted(rng.sample(workdays, min(len(workdays), per_month * 12))):
            number += 1
            data = _one_case(rng, calendar, received, promised, low, high, today)
            data.update(number=f"HM{received:%Y%m%d}{number:04d}", item=items[code],
                        applicant=rng.choice(APPLICANTS),
                        handling_unit=builder if scenario == "工业项目施工许可" and number % 2 else None)
            case = services.case_create(actor=actor, is_demo=True, data=data)
            if commitment and case.decided_on:
                _inspect(actor, case, rng, today)


def _one_case(rng, calendar, received, promised, low, high, today) -> dict:
    after = lambda day, n, pauses=(): nth_workday_after(day, n, suspended=pauses, calendar=calendar)  # noqa: E731
    data = {"received_on": received}
    accepted = received
    if promised and rng.random() < 0.12:  # materials incomplete: 补正, accepted on completion
        data["correction_notice_on"] = received
        accepted = data["correction_done_on"] = after(received, rng.randint(1, 4))
    data["accepted_on"] = accepted
    # Mostly within the promise; one in eight takes longer (the late cases on the pages).
    days = rng.randint(low, max(low, min(high, promised))) if rng.random() > 0.125 else rng.randint(promised + 1,
                                                                                                   max(high, promised + 2))
    pauses = []
    if high >= 8 and rng.random() < 0.4:  # permits: an expert review or a publicity period
        start = after(accepted, rng.randint(1, 3))
        pauses.append((rng.choice(PAUSES), start, after(start, rng.randint(2, 6))))
    decided = after(accepted, days, [(s, e) for _, s, e in pauses])
    if decided > today or rng.random() < 0.03:  # not decided yet; a few stuck past their due date
        pauses = [(k, s, e) for k, s, e in pauses if e <= today]
        data["suspensions_text"] = "；".join(f"{k} {s:%Y-%m-%d}至{e:%Y-%m-%d}" for k, s, e in pauses)
        return data
    data["decided_on"] = decided
    data["suspensions_text"] = "；".join(f"{k} {s:%Y-%m-%d}至{e:%Y-%m-%d}" for k, s, e in pauses)
    delivered = after(decided, rng.choice([0, 0, 1, 1, 2]))
    if delivered <= today:
        data["delivered_on"] = delivered
    return data


def _inspect(actor, case: Case, rng, today: dt.date) -> None:
    inspection = Inspection.objects.get(case=case)
    if inspection.due_on > today or rng.random() < 0.15:
        return  # still to do (some of them overdue)
    failed = rng.random() < 0.1
    services.inspection_record(actor=actor, inspection=inspection, data={
        "outcome": "failed" if failed else "passed", "checked_on": min(inspection.due_on, today),
        "note": "现场核查发现未按承诺落实消防通道，已责令限期整改" if failed else "现场核查与承诺一致"})
