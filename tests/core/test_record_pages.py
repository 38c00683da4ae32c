"""core.steppage.record_view and core.pages.form_page: a record's page, and a page adding or editing one."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from yuanqu.core import pages
from yuanqu.core.steppage import record_view

USER = SimpleNamespace(is_authenticated=True)


def test_the_record_page_checks_the_reader_before_it_reads_the_record(rf):
    read = []

    def refuse(user):
        raise PermissionDenied

    def record(user, pk):
        read.append(pk)
        raise Http404

    request = rf.get("/x/")
    request.user = USER
    with pytest.raises(PermissionDenied):
        record_view(check=refuse, record=record, page=None)(request, pk=1)
    assert read == []
    with pytest.raises(Http404):
        record_view(check=lambda user: None, record=record, page=None)(request, pk=2)
    assert read == [2]
    shown = record_view(check=lambda user: None, record=lambda user, pk: f"#{pk}",
                        page=lambda request, obj: HttpResponse(obj))(request, pk=3)
    assert shown.content == b"#3"


class Form:
    def __init__(self, valid):
        self.valid, self.cleaned_data = valid, {"name": "甲", "expected_version": 4}

    def is_valid(self):
        return self.valid

    def service_data(self):
        return {"name": "甲"}


def test_the_form_page_saves_a_valid_post_and_goes_to_the_record(rf, monkeypatch):
    shown, said, saved = [], [], []
    monkeypatch.setattr(pages, "render", lambda request, template, context: shown.append((template, context)) or "page")
    monkeypatch.setattr(pages.messages, "success", lambda request, text: said.append(text))

    def save(data, version):
        saved.append((data, version))
        return SimpleNamespace(pk=7)

    get = rf.get("/x/")
    assert pages.form_page(get, Form(True), save, "已保存。", then="disputes:case", template="t.html",
                           context={"case": None}) == "page"
    assert saved == [] and shown[-1][1]["case"] is None
    assert pages.form_page(rf.post("/x/"), Form(False), save, "已保存。", then="disputes:case",
                           template="t.html") == "page"
    assert saved == []
    answer = pages.form_page(rf.post("/x/"), Form(True), save, lambda r: f"#{r.pk}已保存。", then="disputes:case",
                             template="t.html")
    assert answer.status_code == 302 and answer.url == "/disputes/7/"
    assert saved == [({"name": "甲"}, 4)] and said == ["#7已保存。"]
