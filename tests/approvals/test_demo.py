"""The approvals demo: a year of cases across the scenarios, some late, some suspended, marked
demo; the approval office's reporter edits; rebuilding replaces it."""

from yuanqu.approvals import demo, selectors
from yuanqu.approvals.models import Case, Inspection, ReformBundle, ServiceItem
from yuanqu.core import clock
from yuanqu.org.models import OrgUnit, User

from ..factories import make_user


def _build(units):
    office = OrgUnit.objects.create(name="行政审批局", parent=units["committee"])
    OrgUnit.objects.create(name="建设局", parent=units["committee"])
    make_user("xzsp", "reporter", office)
    OrgUnit.objects.update(is_demo=True)
    User.objects.update(is_demo=True)
    demo.build_demo(today=clock.today())


def test_the_demo_has_a_year_of_cases_some_late_some_suspended(users, units, client):
    _build(units)
    cases = Case.objects.all()
    assert cases.count() >= 300 and not cases.filter(is_demo=False).exists()
    assert cases.filter(late=True).count() >= 20 and cases.exclude(suspensions_text="").count() >= 10
    assert cases.filter(correction_notice_on__isnull=False).exists() and cases.filter(decided_on__isnull=True).exists()
    assert Inspection.objects.filter(outcome="failed").exists() and Inspection.objects.filter(outcome="pending").exists()
    assert User.objects.get(username="xzsp").can("approvals.edit")
    bundle = ReformBundle.objects.get(code="2330")
    rows = {r.scenario.name: r.figures for r in selectors.bundle_figures(users["leader"], bundle, clock.today())}
    assert set(rows) == {"企业开办", "不动产登记", "工业项目施工许可"}
    assert all(f.cases > 10 and 0 < f.on_time < f.cases for f in rows.values()), rows
    # The pages with a year of data: the chart's data beside static scripts, never an inline one.
    client.force_login(users["leader"])
    page = client.get(f"/approvals/?bundle={bundle.pk}").content.decode()
    assert 'id="approvals-trend-data"' in page and "approvals/charts.js" in page and "<script>" not in page
    scenario = bundle.scenarios.get(name="工业项目施工许可")
    page = client.get(f"/approvals/scenarios/{scenario.pk}/").content.decode()
    assert page.count('href="/approvals/cases/') >= 10 and "收件→办结" in page
    suspended = cases.exclude(suspensions_text="").filter(decided_on__isnull=False).first()
    page = client.get(f"/approvals/cases/{suspended.pk}/").content.decode()
    assert "中止：" in page and "周末" in page
    overdue = client.get("/approvals/cases/?state=overdue").content.decode()
    assert 'text-bg-warning">逾期未办结</span>' in overdue and "text-bg-success" not in overdue


def test_rebuilding_the_demo_replaces_it(users, units):
    _build(units)
    count = Case.objects.count()
    demo.clear_demo()
    assert not Case.objects.exists() and not ServiceItem.objects.exists() and not ReformBundle.objects.exists()
    demo.build_demo(today=clock.today())
    assert Case.objects.count() == count
