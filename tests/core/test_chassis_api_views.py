"""The chassis pieces registers' API and pages declare on: a form page's write and a button's write
(core.pages), the record page's step buttons (core.steppage), the overdue flag, a parent looked up in
scope and a workflow's step endpoints (core.api), and a register's app config (core.apps)."""

from __future__ import annotations

import datetime as dt
import importlib
import types

import pytest
from django import forms
from django.apps.config import AppConfig
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from rest_framework import serializers

from yuanqu.core import api, apps, pages, steppage
from yuanqu.core.errors import ApplicationError, PermissionDeniedError


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


class _Form(pages.StyledForm):
    name = forms.CharField()


def test_save_form_gives_the_service_the_data_and_version_and_says_done():
    request = _request()
    form = _Form({"name": "甲", "expected_version": "3"})
    seen = {}

    def save(data, version):
        seen.update(data=data, version=version)
        return "record"

    assert pages.save_form(request, form, save, lambda record: f"{record}已保存。") == "record"
    assert seen == {"data": {"name": "甲"}, "version": 3}
    assert _said(request) == [("success", "record已保存。")]


def test_save_form_puts_a_refusal_on_its_field_and_a_denied_right_where_asked():
    def refuse(error):
        def save(data, version):
            raise error
        return save

    request = _request()
    form = _Form({"name": "甲"})
    assert pages.save_form(request, form, refuse(ApplicationError("名称重复。", field="name")), "已保存。") is None
    assert form.errors["name"] == ["名称重复。"]
    form = _Form({"name": "甲"})
    assert pages.save_form(request, form, refuse(PermissionDeniedError("无权修改。")), "已保存。") is None
    assert form.non_field_errors() == ["无权修改。"]
    with pytest.raises(PermissionDenied):
        pages.save_form(request, _Form({"name": "甲"}), refuse(PermissionDeniedError("无权修改。")), "已保存。",
                        denied_is_403=True)
    assert pages.save_form(request, _Form({}), refuse(AssertionError()), "已保存。") is None  # invalid: not run
    assert _said(request) == []


def test_announce_says_the_outcome_of_a_buttons_write():
    request = _request()
    assert pages.announce(request, lambda: 3, lambda n: f"已处理{n}件。") is True
    assert pages.announce(request, lambda: (_ for _ in ()).throw(ApplicationError("已办结。")), "不会说") is False
    assert _said(request) == [("success", "已处理3件。"), ("error", "已办结。")]
    with pytest.raises(PermissionDenied):
        pages.announce(request, lambda: (_ for _ in ()).throw(PermissionDeniedError("无权。")), "", denied_is_403=True)


def test_step_buttons_follow_the_flow_and_show_only_what_is_allowed():
    flow = [types.SimpleNamespace(action="accept", label="受理"), types.SimpleNamespace(action="reject", label="退回"),
            types.SimpleNamespace(action="close", label="办结")]
    inputs = {"accept": ("", "primary"), "reject": ("comment", "warning"), "close": ("comment", "success")}
    assert steppage.step_buttons(flow, ["close", "accept"], inputs) == [
        {"action": "accept", "label": "受理", "input": "", "style": "primary"},
        {"action": "close", "label": "办结", "input": "comment", "style": "success"}]
    assert steppage.step_buttons(flow, ["reject"], inputs, key="inputs", comment_labels={"reject": "退回理由"}) == [
        {"action": "reject", "label": "退回", "inputs": "comment", "style": "warning", "comment_label": "退回理由"}]


def test_as_of_today_asks_the_record_for_the_day(clock):
    clock.set_today(dt.date(2026, 3, 2))

    class Record:
        def is_overdue(self, on):
            return on > dt.date(2026, 3, 1)

    class Row(serializers.Serializer):
        overdue = api.AsOfToday("is_overdue")

    assert Row(Record()).data == {"overdue": True}
    assert Row(Record(), context={"today": dt.date(2026, 2, 1)}).data == {"overdue": False}  # the view's day


def test_workflow_steps_share_the_registers_options_and_spell_dashed_addresses():
    step = api.workflow_steps(summaries={"follow_up": "回访", "raise": "提请督办"}, run=lambda **kw: None,
                              target="case", request=api.ErrorSerializer, response=api.ErrorSerializer, dashed=True)
    follow_up, raise_ = step("follow_up"), step("raise", "raise_")
    assert follow_up.url_path == "follow-up" and follow_up.url_name == "follow_up"
    assert raise_.__name__ == "raise_" and raise_.url_path == "raise"
    assert follow_up.kwargs["schema"] is not None  # the summary and bodies reach the schema


def test_in_scope_looks_the_parent_up_among_what_the_user_may_see(users):
    from yuanqu.org.models import OrgUnit

    class Scoped:
        class objects:  # noqa: N801 - a model's manager, as create_action's prepare reads it
            @staticmethod
            def visible_to(user):
                return OrgUnit.objects.filter(pk=users["village"].unit_id)

    prepare = api.in_scope(Scoped, "unit", "单位：请填写本单位的 id。")
    view = types.SimpleNamespace(request=types.SimpleNamespace(user=users["village"]))
    data = {"unit": users["village"].unit_id, "name": "甲"}
    assert prepare(view, data) == {"unit": OrgUnit.objects.get(pk=users["village"].unit_id)}
    assert data == {"name": "甲"}  # passed apart, not as a field
    with pytest.raises(ApplicationError) as refused:
        prepare(view, {"unit": 10**9})
    assert refused.value.field == "unit" and refused.value.message == "单位：请填写本单位的 id。"


def test_a_registers_app_config_is_the_one_django_takes_and_registers_its_panels(monkeypatch):
    from yuanqu.core import panels

    module = importlib.import_module("yuanqu.grid.apps")
    config = AppConfig.create("yuanqu.grid")
    assert type(config) is module.GridConfig and config.verbose_name == "网格治理"
    monkeypatch.setattr(panels, "_points", {})
    config.ready()
    assert panels.templates_for("cockpit.tiles") == ["grid/_cockpit_tile.html"]
    assert apps.RegisterConfig.default is False  # the base, imported into each apps.py, is passed over
