"""core.api's create_action / update_action on a throwaway viewset over the land quotas: the refusal
before the body is read, 201 with the record and its ETag, the version required and checked (409)."""

import pytest
from rest_framework import mixins, viewsets
from rest_framework.test import APIRequestFactory, force_authenticate

from yuanqu.core.api import create_action, update_action
from yuanqu.core.errors import ApplicationError
from yuanqu.land import services
from yuanqu.land.api import QuotaSerializer, QuotaWriteSerializer
from yuanqu.land.models import LandQuota
from yuanqu.org.models import OrgUnit
from yuanqu.org.roles import REPORTER

from ..factories import make_user

REFUSAL = "只有土地主管单位的填报员可以登记用地指标。"


def _forbid_one_year(view, data):  # the create hook: what is passed apart from data
    if data["year"] == 2099:
        raise ApplicationError("年度：不收 2099 年。", field="year")
    return {}


class QuotaWrites(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = QuotaSerializer

    def get_queryset(self):
        return LandQuota.objects.visible_to(self.request.user)

    create = create_action(write=QuotaWriteSerializer, detail=QuotaSerializer, run=services.quota_create,
                           ability="land.edit", refusal=REFUSAL, prepare=_forbid_one_year, summary="登记")
    partial_update = update_action(write=QuotaWriteSerializer, detail=QuotaSerializer, run=services.quota_update,
                                   target="quota", drop=("note",), summary="修改")


@pytest.fixture
def people(units, users):
    land = OrgUnit.objects.create(name="自然资源和规划局", short_name="资规局", parent=units["committee"])
    return {"editor": make_user("land1", REPORTER, land), "reader": users["leader"], "nounit": users["nounit"]}


def _call(user, method, data, pk=None, **headers):
    factory = APIRequestFactory()
    if pk is None:
        request = factory.post("/q/", data, format="json", **headers)
        view = QuotaWrites.as_view({"post": "create"})
    else:
        request = factory.patch(f"/q/{pk}/", data, format="json", **headers)
        view = QuotaWrites.as_view({"patch": "partial_update"})
    force_authenticate(request, user)
    response = view(request, pk=pk) if pk else view(request)
    response.render()
    return response


def test_create_refuses_before_the_body_and_answers_201_with_the_etag(people):
    refused = _call(people["reader"], "post", {"year": "bad"})
    assert refused.status_code == 403
    assert refused.data["message"] == REFUSAL

    bad = _call(people["editor"], "post", {"year": 1990, "requested_mu": "1"})
    assert bad.status_code == 400 and bad.data["field"] == "year"
    hooked = _call(people["editor"], "post", {"year": 2099, "requested_mu": "1"})
    assert hooked.status_code == 400 and hooked.data["message"] == "年度：不收 2099 年。"

    created = _call(people["editor"], "post", {"year": 2026, "requested_mu": "500", "version": 7})
    assert created.status_code == 201
    quota = LandQuota.objects.get()
    assert created.data["id"] == quota.pk and created.data["version"] == quota.version
    assert created["ETag"] == f'"{quota.version}"'


def test_update_needs_the_version_refuses_a_stale_one_and_drops_what_it_is_told(people):
    quota = services.quota_create(actor=people["editor"], data={"year": 2026, "requested_mu": "500"})
    pk, version = quota.pk, quota.version

    missing = _call(people["editor"], "patch", {"requested_mu": "600"}, pk=pk)
    assert missing.status_code == 400 and missing.data["field"] == "version"
    stale = _call(people["editor"], "patch", {"requested_mu": "600"}, pk=pk, HTTP_IF_MATCH=f'"{version + 5}"')
    assert stale.status_code == 409
    assert _call(people["nounit"], "patch", {"requested_mu": "600", "version": version}, pk=pk).status_code == 404

    done = _call(people["editor"], "patch", {"requested_mu": "600", "note": "丢弃"}, pk=pk,
                 HTTP_IF_MATCH=f'"{version}"')
    assert done.status_code == 200
    quota.refresh_from_db()
    assert str(quota.requested_mu) == "600.00" and quota.note == ""
    assert done["ETag"] == f'"{quota.version}"' and quota.version == version + 1
