"""Late gates and missing monthly returns join `yuanqu remind` (core.reminders): the lead unit's
people hear, once per gate and planned date, once per project and month."""

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from yuanqu.core.models import Notification
from yuanqu.projects import reminders, services
from yuanqu.projects.models import Stage

TODAY = dt.date(2026, 9, 15)  # August's return was due on the 10th


def keys(user):
    return set(Notification.objects.filter(recipient=user, key__startswith="projects:").values_list("key", flat=True))


def file_return(project, month=dt.date(2026, 8, 1)):
    services.return_submit(actor=None, project=project, data={
        "month": month, "completed_month": Decimal("1"), "completed_total": Decimal("1"), "progress": "主体施工"})


def test_the_earliest_late_gate_and_a_missing_return_reach_the_lead_units_people(users, make_project):
    late = make_project("邮轮内装项目", reached={Stage.SIGNED: dt.date(2026, 2, 1)})  # 注册 due 05-10, 供地 09-10
    filed = make_project("按时项目", reached={Stage.SIGNED: dt.date(2026, 2, 1)},
                         planned={Stage.REGISTERED: dt.date(2026, 10, 1)})
    file_return(filed)
    make_project("村里的项目", unit="village", planned={Stage.SIGNED: dt.date(2026, 12, 1)})  # nothing late, not reporting
    result = reminders.send_reminders(today=TODAY)
    assert keys(users["invest"]) == {f"projects:{late.pk}:gate:{Stage.REGISTERED}:2026-05-10",
                                     f"projects:{late.pk}:return:2026-08"}
    assert (result["late_gate"].created, result["late_return"].created) == (1, 1)
    assert keys(users["village"]) == set() and keys(users["admin"]) == set()
    notice = Notification.objects.get(recipient=users["invest"], key__contains=":gate:")
    assert notice.title == "重大项目注册已逾期128天：邮轮内装项目" and notice.url == f"/projects/{late.pk}/"
    assert "8月" in Notification.objects.get(recipient=users["invest"], key__contains=":return:").title


def test_once_per_gate_and_date_again_for_a_new_date_and_quiet_once_done(users, make_project):
    project = make_project("项目", reached={Stage.SIGNED: dt.date(2026, 2, 1)})
    reminders.send_reminders(today=TODAY)
    again = reminders.send_reminders(today=TODAY)
    assert (again["late_gate"].created, again["late_gate"].skipped) == (0, 1)
    services.plan_update(actor=None, project=project, planned={Stage.REGISTERED: dt.date(2026, 9, 8)})
    assert reminders.send_reminders(today=TODAY)["late_gate"].created == 1  # the new date has passed too
    file_return(project)
    services.stage_reach(actor=None, project=project, stage=Stage.REGISTERED, actual_on=dt.date(2026, 9, 14),
                         comment="")
    quiet = reminders.send_reminders(today=TODAY)
    # 供地 (planned 09-10) is now the earliest late gate: a new notice; the return is in.
    assert quiet["late_gate"].created == 1 and quiet["late_return"].created == quiet["late_return"].skipped == 0
    assert reminders.send_reminders(today=dt.date(2026, 10, 5))["late_return"].created == 0  # September not due yet


def test_the_remind_command_runs_the_projects_source(users, make_project):
    make_project("项目", reached={Stage.SIGNED: dt.date(2026, 2, 1)})
    out = StringIO()
    call_command("remind", "--today", f"{TODAY:%Y-%m-%d}", stdout=out, stderr=StringIO())
    assert "重大项目阶段逾期：新建 1 条" in out.getvalue() and "重大项目月报未报：新建 1 条" in out.getvalue()
