"""The admin site shows a 督办单's extension request as it is read: the request, then its decision."""

import datetime as dt

from django.test import Client

from yuanqu.org.models import User
from yuanqu.supervision import services
from yuanqu.supervision.models import State

from .conftest import TODAY


def test_an_extension_requests_admin_page_reads_the_request_before_its_decision(make_item, users):
    item = make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=5))
    request = services.extension_request(actor=users["village"], item=item, requested_deadline=TODAY + dt.timedelta(days=20),
                                         reason="需补充材料", progress="已完成初稿", today=TODAY)
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="a-real-secret-1"))
    page = client.get(f"/admin/supervision/extensionrequest/{request.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "需补充材料" in text and "已完成初稿" in text
    places = [text.index(f"field-{name}") for name in ("item", "reason", "requested_by", "decided_by")]
    assert places == sorted(places)
