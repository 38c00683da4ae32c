"""Reporting from the phone: the form works without script, photos are checked by their content
and size, an unknown grid or category and a bad position are refused naming the field, and nothing
is written when refused. Photos are read only in scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.core.errors import ApplicationError
from yuanqu.grid import services
from yuanqu.grid.models import EventPhoto, GridEvent

from .conftest import JPEG, PNG, jpeg, walk


def _form(grids, cats, **extra):
    return {"grid": grids["G1"].pk, "category": cats["road"].pk, "description": "路灯不亮", "source": "patrol",
            "severity": "normal", **extra}


def test_the_phone_form_reports_with_photos_and_position_without_any_script(client, zone, grids, cats, settings):
    client.force_login(zone["worker"])
    page = client.get("/grid/m/report/").content.decode()
    assert 'accept="image/*" capture="environment"' in page and 'name="latitude"' in page
    assert "<script" not in page.split("</form>")[0]  # the form itself needs no script
    response = client.post("/grid/m/report/", {**_form(grids, cats, latitude="31.8905", longitude="121.1762"),
                                               "photos": [jpeg(), jpeg("b.png", PNG)]})
    event = GridEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/grid/m/{event.pk}/"
    assert (str(event.latitude), str(event.longitude)) == ("31.890500", "121.176200")
    assert event.reported_by == zone["worker"] and event.photos.count() == 2
    detail = client.get(f"/grid/m/{event.pk}/").content.decode()
    assert event.number in detail and "待受理" in detail
    photo = event.photos.first()
    served = client.get(f"/grid/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    client.force_login(zone["worker2"])  # another grid's worker may not see it
    assert client.get(f"/grid/photos/{photo.pk}/").status_code == 404


@pytest.mark.parametrize("extra,field,message", [
    ({"photos": [SimpleUploadedFile("现场.jpg", b"%PDF-1.4 not a picture")]}, "photos", "“现场.jpg”不是图片"),
    ({"photos": [SimpleUploadedFile("说明.txt", b"hello")]}, "photos", "“说明.txt”不是图片"),
    ({"photos": [jpeg(f"{n}.jpg") for n in range(7)]}, "photos", "照片最多6张，收到7张。"),
    ({"grid": "99999"}, "grid", "网格“99999”不存在。"),
    ({"grid": "abc"}, "grid", "网格“abc”不存在。"),
    ({"grid": ""}, "grid", "请选择事件所在网格。"),
    ({"category": "88888"}, "category", "事件类别“88888”不存在。"),
    ({"description": "  "}, "description", "请填写事件描述。"),
    ({"latitude": "95", "longitude": "121"}, "latitude", "纬度“95”超出范围（-90～90）。"),
    ({"latitude": "31.9"}, "longitude", "位置须同时有经度和纬度。"),
    ({"severity": "极高"}, "severity", "紧急程度“极高”不正确"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(client, zone, grids, cats, extra, field,
                                                                      message):
    client.force_login(zone["worker"])
    response = client.post("/grid/m/report/", {**_form(grids, cats), **extra})
    html = response.content.decode()
    assert response.status_code == 400 and message in html and f'data-field="{field}"' in html
    assert not GridEvent.objects.exists() and not EventPhoto.objects.exists()
    assert "路灯不亮" in html or field == "description"  # what was typed is kept


def test_a_photo_over_the_limit_is_refused(zone, grids, cats, settings):
    settings.YUANQU_GRID_PHOTO_MAX_MB = 1
    big = jpeg("大.jpg", JPEG + b"\x00" * (1024 * 1024))
    with pytest.raises(ApplicationError) as refused:
        services.event_create(actor=zone["worker"], data=_form(grids, cats), photos=[big])
    assert refused.value.field == "photos" and "超过1MB" in refused.value.message
    assert not GridEvent.objects.exists()


def test_the_api_takes_photos_as_multipart_and_refuses_a_non_image(client, zone, grids, cats):
    client.force_login(zone["worker"])
    bad = client.post("/api/grid/events/", {**_form(grids, cats), "photos": [SimpleUploadedFile("x.jpg", b"GIF7")]})
    assert bad.status_code == 400 and bad.json()["field"] == "photos"
    good = client.post("/api/grid/events/", {**_form(grids, cats), "photos": [jpeg()]})
    assert good.status_code == 201 and [p["stage"] for p in good.json()["photos"]] == ["report"]
    unknown = client.post("/api/grid/events/", {**_form(grids, cats), "grid": 99999}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json() == {**unknown.json(), "field": "grid",
                                                             "message": "网格“99999”不存在。"}
    assert GridEvent.objects.count() == 1


def test_feedback_may_carry_photos_of_the_result_and_other_steps_may_not(zone, grids, rules, make_event):
    event = walk(make_event(), ["accept", "dispatch", "sign"], None)
    with pytest.raises(ApplicationError, match="只有上报和反馈时可以附照片"):
        services.event_step(actor=None, event=event, action="handle", photos=[jpeg()])
    event = services.event_step(actor=None, event=event, action="handle")
    event = services.event_step(actor=zone["build"], event=event, action="feedback", comment="已修复", photos=[jpeg()])
    assert list(event.photos.values_list("stage", flat=True)) == ["feedback"]


def test_the_phone_home_lists_what_waits_for_the_worker(client, zone, grids, rules, make_event):
    mine = walk(make_event(category="garbage", description="待处置的垃圾"), ["accept", "dispatch"], None)
    verify = walk(make_event(description="待核查的道路"), ["accept", "dispatch", "sign", "handle"], None)
    services.event_step(actor=None, event=verify, action="feedback", comment="已修")
    client.force_login(zone["worker"])
    html = client.get("/grid/m/").content.decode()
    todo, rest = html.split('data-testid="todo"')[1].split('data-testid="verify"')
    assert "待处置的垃圾" in todo and "待核查的道路" in rest.split('data-testid="reported"')[0]
    page = client.get(f"/grid/m/{mine.pk}/").content.decode()
    assert 'data-testid="step-sign"' in page and 'name="next" value="m"' in page
    response = client.post(f"/grid/events/{mine.pk}/sign/", {"expected_version": mine.version, "next": "m"})
    assert response.status_code == 302 and response["Location"] == f"/grid/m/{mine.pk}/"
    assert GridEvent.objects.get(pk=mine.pk).state == "signed"
