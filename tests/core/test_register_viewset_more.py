"""The chassis's register viewsets beyond list-and-retrieve (core.api): a register that lists and acts
on its records without a GET of one, a small table kept as data listed whole, a django-filter
FilterSet applied to the list, and a record added under another (child_action)."""

from __future__ import annotations

import types

import pytest
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIRequestFactory, force_authenticate

from yuanqu.core import api
from yuanqu.core.errors import ApplicationError
from yuanqu.core.ids import IdConverter
from yuanqu.org.models import OrgUnit


class UnitRow(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


def _scoped(unit_ids):
    """A model whose scope is the given units (the manager's visible_to, as a register's reads it)."""

    class objects:  # noqa: N801 - a model's manager
        @staticmethod
        def visible_to(user):
            return OrgUnit.objects.filter(pk__in=unit_ids).order_by("pk")

        @staticmethod
        def all():
            return OrgUnit.objects.order_by("pk")

        @staticmethod
        def none():
            return OrgUnit.objects.none()

    return type("Scoped", (), {"objects": objects})


def _get(viewset, user, query=None):
    request = APIRequestFactory().get("/api/test/", query or {})
    force_authenticate(request, user=user)
    return viewset.as_view({"get": "list"})(request)


def test_a_register_without_a_get_of_one_routes_its_list_and_its_steps_only():
    class Rows(api.RegisterListViewSet):
        model, serializer_class = OrgUnit, UnitRow

        @action(detail=True, methods=["post"])
        def record(self, request, pk=None):
            raise AssertionError

    router = SimpleRouter()
    router.register("rows", Rows, basename="rows")
    routes = {str(url.pattern): url.callback.actions for url in router.urls}
    assert routes == {"^rows/$": {"get": "list"}, f"^rows/(?P<pk>{IdConverter.regex})/record/$": {"post": "record"}}
    assert issubclass(api.RegisterViewSet, api.RegisterListViewSet)  # the full register adds the GET of one


def test_the_list_reads_listed_and_a_step_reads_the_scope_with_what_the_detail_needs(users):
    village, town = users["village"].unit_id, users["agri"].unit_id

    class Rows(api.RegisterListViewSet):
        model, serializer_class = _scoped([village, town]), UnitRow

        def listed(self, user, params):
            return super().listed(user, params).filter(pk=village)

        def detailed(self, qs):
            return qs.select_related("parent")

    view = Rows(request=types.SimpleNamespace(user=users["village"], query_params={}), action="list", kwargs={})
    assert [u.pk for u in view.get_queryset()] == [village]
    view.action = "record"
    found = view.get_queryset()
    assert {u.pk for u in found} == {village, town} and found.query.select_related == {"parent": {}}


def test_a_small_table_kept_as_data_is_listed_whole_in_one_page(users):
    class Table(api.ReferenceListViewSet):
        model, serializer_class = _scoped([]), UnitRow

    response = _get(Table, users["village"])
    assert response.status_code == 200
    assert [row["id"] for row in response.data] == list(OrgUnit.objects.order_by("pk").values_list("pk", flat=True))


def test_a_filterset_narrows_the_list_and_without_one_the_list_is_listed_as_is(users):
    village = OrgUnit.objects.get(pk=users["village"].unit_id)

    class Filtered(api.RegisterListViewSet):
        model, serializer_class = _scoped(OrgUnit.objects.values_list("pk", flat=True)), UnitRow
        pagination_class = None
        filterset_fields = ["name"]

    class Plain(Filtered):
        filterset_fields = None

    assert [row["id"] for row in _get(Filtered, users["village"], {"name": village.name}).data] == [village.pk]
    assert len(_get(Plain, users["village"], {"name": village.name}).data) == OrgUnit.objects.count()


def test_child_action_adds_a_record_under_the_views_record_and_answers_it_with_201(users):
    class Entry(serializers.Serializer):
        text = serializers.CharField(label="内容", max_length=10)

    calls = []

    def run(**kwargs):
        calls.append(kwargs)
        return {"text": kwargs["data"]["text"] + "！"}

    add = api.child_action("follow-ups", write=Entry, run=run, target="lead", summary="登记跟进")
    assert add.__name__ == "follow_ups" and add.url_path == "follow-ups" and add.url_name == "follow-ups"
    assert add.kwargs["schema"] is not None  # the summary and bodies reach the schema

    lead = object()
    view = types.SimpleNamespace(get_object=lambda: lead)
    request = types.SimpleNamespace(user=users["village"], data={"text": "回访"})
    response = add(view, request, pk=1)
    assert response.status_code == 201 and response.data == {"text": "回访！"}
    assert calls == [{"actor": users["village"], "lead": lead, "data": {"text": "回访"}}]
    with pytest.raises(ApplicationError) as refused:  # the body is checked, fields named by label
        add(view, types.SimpleNamespace(user=users["village"], data={"text": "太长了太长了太长了太长了"}), pk=1)
    assert refused.value.field == "text" and refused.value.message.startswith("内容：")
    assert len(calls) == 1
