"""亩均 bonus and deduction items with evidence: applying an item to an enterprise (refused without
evidence, for an item the scheme lacks, an unknown code), the run scoring the counts and listing the
evidence line by line, deletion with history and refused once a signed run used the entry, who may
do what on the scheme page, the evidence download, and a flat scheme page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.enterprises import mujun_services as ms
from yuanqu.enterprises.models import MujunAdjustment, MujunResult

from .mujun_zone import READERS, ROLES, SOURCES, build_zone, huangyan

ITEMS = [{"key": "高企", "label": "高新技术企业", "kind": "bonus", "points": 3},
         {"key": "安全事故", "label": "安全生产事故", "kind": "deduction", "points": 5, "max_points": 8}]


@pytest.fixture
def zone(users, units, economy, make_enterprise):
    users["economy"] = economy
    firms = build_zone(make_enterprise, units=[units["invest"], units["agri"]])
    scheme = ms.scheme_create(actor=None, definition=huangyan(adjustments=ITEMS), sources=SOURCES)
    return users, firms, scheme


def _add(scheme, firm, item, **kwargs):
    kwargs.setdefault("reference", "证书 GR202533000123")
    return ms.adjustment_create(actor=None, scheme=scheme, credit_code=firm.credit_code, item=item, **kwargs)


def test_an_entry_needs_an_item_of_the_scheme_a_known_enterprise_and_evidence(zone):
    users, firms, scheme = zone
    cases = [
        (dict(item="专利"), "item", "加减分项“专利”不是该方案的项目"),
        (dict(item="高企", credit_code="91320684MA00000000"), "credit_code", "不在企业库中"),
        (dict(item="高企", reference=""), "reference", "请填写依据"),
        (dict(item="高企", count=0), "count", "次数应大于零"),
        (dict(item="高企", reference="", file=SimpleUploadedFile("证书.exe", b"MZ")), "file", "佐证附件“证书.exe”的类型不支持"),
    ]
    for changes, field, message in cases:
        data = {"credit_code": firms[0].credit_code, "reference": "证书", **changes}
        with pytest.raises(ApplicationError) as exc:
            ms.adjustment_create(actor=None, scheme=scheme, **data)
        assert exc.value.field == field and message in exc.value.message
    with pytest.raises(PermissionDeniedError):
        ms.adjustment_create(actor=users["supervisor"], scheme=scheme, credit_code=firms[0].credit_code,
                             item="高企", reference="x")
    assert not MujunAdjustment.objects.exists() and not ChangeRecord.objects.filter(
        content_type__model="mujunadjustment").exists()


def test_a_run_scores_the_items_and_explains_them_with_their_evidence(zone):
    _, firms, scheme = zone
    plain = ms.run_create(actor=None, scheme=scheme)
    base = {r.enterprise_id: r.total for r in MujunResult.objects.filter(run=plain)}
    _add(scheme, firms[0], "高企", file=SimpleUploadedFile("高企证书.pdf", b"%PDF-1.4"))
    _add(scheme, firms[1], "安全事故", reference="安监罚〔2025〕12号")
    _add(scheme, firms[1], "安全事故", reference="安监罚〔2025〕30号")  # 10 points, capped at 8
    ms.run_rerun(actor=None, run=plain)
    results = {r.enterprise_id: r for r in MujunResult.objects.filter(run=plain)}
    assert results[firms[0].pk].total == base[firms[0].pk] + 3
    assert results[firms[1].pk].total == base[firms[1].pk] - 8
    assert results[firms[2].pk].total == base[firms[2].pk]
    bonus = next(a for a in results[firms[0].pk].adjustments if a["key"] == "高企")
    assert bonus["points"] == 3 and [e["file"] for e in bonus["evidence"]] == ["高企证书.pdf"]
    text = results[firms[1].pk].explanation
    line = next(t for t in text if t.startswith("安全生产事故"))
    assert "2 次，扣分 8" in line and "依据：安监罚〔2025〕12号；安监罚〔2025〕30号" in line
    assert any("附件 高企证书.pdf" in t for t in results[firms[0].pk].explanation)


def test_an_entry_is_withdrawn_with_history_and_kept_once_a_signed_run_used_it(zone, users):
    _, firms, scheme = zone
    entry = _add(scheme, firms[0], "高企")
    run = ms.run_create(actor=None, scheme=scheme)
    ms.run_sign_off(actor=None, run=run)
    with pytest.raises(ApplicationError, match="已用于已签核或已发布的评价"):
        ms.adjustment_delete(actor=users["admin"], entry=entry)
    ms.run_return(actor=None, run=run)
    pk = entry.pk
    ms.adjustment_delete(actor=users["admin"], entry=entry)
    assert not MujunAdjustment.objects.exists()
    record = ChangeRecord.objects.get(object_id=pk, action="delete", content_type__model="mujunadjustment")
    assert record.before["item"] == "高企" and record.before["reference"] == "证书 GR202533000123"
    ms.run_rerun(actor=None, run=run)
    result = MujunResult.objects.get(run=run, enterprise=firms[0])
    assert result.adjustments == [] and not any("依据" in t for t in result.explanation)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_apply_an_item_on_the_scheme_page_and_open_its_evidence(client, zone, role):
    users, firms, scheme = zone
    client.force_login(users[role])
    response = client.post(f"/enterprises/mujun/schemes/{scheme.pk}/", {
        "form": "adjust", "credit_code": firms[0].credit_code, "item": "高企", "count": "1",
        "reference": "", "file": SimpleUploadedFile("高企证书.pdf", b"%PDF-1.4")})
    may = role in {"admin", "economy"}
    assert response.status_code == (302 if may else 403)
    assert MujunAdjustment.objects.exists() == may
    entry = MujunAdjustment.objects.first() or _add(scheme, firms[0], "高企",
                                                     file=SimpleUploadedFile("高企证书.pdf", b"%PDF-1.4"))
    # firms[0] is paired with 招商局: its members read the evidence once a published run carries it
    # (test_the_paired_unit_reads_evidence_only_once_published), not while the entry is a draft's.
    download = client.get(f"/enterprises/mujun/adjustments/{entry.pk}/evidence/")
    assert download.status_code == (200 if role in READERS else 404)
    if download.status_code == 200:
        assert b"".join(download.streaming_content) == b"%PDF-1.4"
    client.post(f"/enterprises/mujun/adjustments/{entry.pk}/delete/")
    assert MujunAdjustment.objects.filter(pk=entry.pk).exists() != may


def test_the_page_form_names_the_field_of_a_refused_entry(client, zone):
    users, firms, scheme = zone
    client.force_login(users["economy"])
    html = client.post(f"/enterprises/mujun/schemes/{scheme.pk}/", {
        "form": "adjust", "credit_code": firms[0].credit_code, "item": "高企", "count": "1"}).content.decode()
    assert "请填写依据（文号或说明）或上传佐证附件" in html and not MujunAdjustment.objects.exists()


def test_the_explanation_page_lists_each_items_evidence(client, zone):
    users, firms, scheme = zone
    entry = _add(scheme, firms[0], "高企", file=SimpleUploadedFile("高企证书.pdf", b"%PDF-1.4"))
    run = ms.run_create(actor=None, scheme=scheme)
    result = MujunResult.objects.get(run=run, enterprise=firms[0])
    client.force_login(users["leader"])
    html = client.get(f"/enterprises/mujun/results/{result.pk}/").content.decode()
    assert "加分：高新技术企业" in html and escape("证书 GR202533000123") in html
    assert f"/enterprises/mujun/adjustments/{entry.pk}/evidence/" in html


def test_the_scheme_page_does_not_grow_with_the_entries(client, zone):
    users, firms, scheme = zone
    client.force_login(users["economy"])
    url = f"/enterprises/mujun/schemes/{scheme.pk}/"
    _add(scheme, firms[0], "高企")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    small = count()
    for firm in firms[1:8]:
        _add(scheme, firm, "安全事故", file=SimpleUploadedFile("罚单.pdf", b"%PDF"))
    assert count() == small


def test_the_paired_unit_reads_evidence_only_once_published(client, zone):
    users, firms, scheme = zone
    entry = _add(scheme, firms[0], "高企", file=SimpleUploadedFile("高企证书.pdf", b"%PDF-1.4"))
    url = f"/enterprises/mujun/adjustments/{entry.pk}/evidence/"
    client.force_login(users["invest"])  # a member of 招商局, firms[0]'s 挂钩 unit
    run = ms.run_create(actor=None, scheme=scheme)
    assert client.get(url).status_code == 404  # a draft's evidence
    ms.run_sign_off(actor=users["supervisor"], run=run)
    assert client.get(url).status_code == 404
    ms.run_publish(actor=users["economy"], run=run)
    assert client.get(url).status_code == 200
    withdrawn = _add(scheme, firms[0], "高企", reference="另一份证书",
                     file=SimpleUploadedFile("后补.pdf", b"%PDF-1.4"))
    assert client.get(f"/enterprises/mujun/adjustments/{withdrawn.pk}/evidence/").status_code == 404
