"""What the chassis does for what a register declares: an app's calendar hook and offered writes
(core.apps.RegisterConfig), the import's columns never compared and the changes it leaves to the
page (core.imports), a demo's history forgotten (core.services.forget_history) and configuration
edited in the admin site through its service (core.admin.ThroughServices)."""

import types

from django.apps import AppConfig
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from yuanqu.core import calendar, handoffs
from yuanqu.core.imports import NotCompared, TextColumn
from yuanqu.core.imports.columns import differs
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import create_record, forget_history
from yuanqu.visits.models import RequestCategory


def test_a_register_declares_its_calendar_hook_and_the_writes_it_offers(monkeypatch):
    from yuanqu.land import services as land_services
    from yuanqu.visits import services as visits_services

    monkeypatch.setattr(calendar, "_LISTENERS", [])
    monkeypatch.setattr(handoffs, "_offers", {})
    AppConfig.create("yuanqu.visits").ready()
    AppConfig.create("yuanqu.land").ready()
    assert calendar._LISTENERS == [visits_services.recompute_due_from]
    assert handoffs._offers == {"land.record_revitalisation": land_services.revitalisation_record_done}


def test_a_column_not_compared_never_makes_a_row_an_update():
    class Checked(NotCompared, TextColumn):
        pass

    stored = types.SimpleNamespace(name="甲")
    assert differs(TextColumn("名称", "name"), "乙", stored)
    assert not differs(TextColumn("名称", "name"), "甲", stored)
    assert not differs(Checked("名称", "name"), "乙", stored)


def test_forgetting_a_demos_history_takes_only_the_records_named(db):
    kept, gone = (create_record(actor=None, obj=RequestCategory(code=code, name=name, time_limit_days=5))
                  for code, name in (("k", "留下"), ("g", "删去")))
    forget_history(RequestCategory, [gone.pk])
    kind = ContentType.objects.get_for_model(RequestCategory)
    assert list(ChangeRecord.objects.filter(content_type=kind).values_list("object_id", flat=True)) == [kept.pk]


def test_configuration_edited_in_the_admin_site_goes_through_its_service(client, users):
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    add = reverse("admin:visits_requestcategory_add")
    form = {"code": "x", "name": "测试类别", "time_limit_days": "7", "order": "1", "is_active": "on"}
    assert client.post(add, form).status_code == 302
    category = RequestCategory.objects.get(code="x")
    change = reverse("admin:visits_requestcategory_change", args=[category.pk])
    page = client.get(change).content.decode()
    assert all(f'name="{f}"' in page for f in RequestCategory.WRITABLE_FIELDS)
    assert client.post(change, {**form, "time_limit_days": "9"}).status_code == 302
    category.refresh_from_db()
    assert (category.time_limit_days, category.version) == (9, 2)
    history = ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(RequestCategory),
                                          object_id=category.pk).order_by("pk")
    assert [r.action for r in history] == [ChangeRecord.Action.CREATE, ChangeRecord.Action.UPDATE]
    assert history[1].after == {"time_limit_days": 9}
    delete = reverse("admin:visits_requestcategory_delete", args=[category.pk])
    assert client.get(delete).status_code == 403  # switched off, never deleted

