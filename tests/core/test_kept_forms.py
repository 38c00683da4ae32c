"""A refused submit (expired session, stale CSRF token) shows a Chinese page and keeps what was typed:
the same person gets it back in the same page's form, once; nothing is ever submitted for them."""

import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from yuanqu.plans.models import ProgressReport

from ..conftest import TEST_TODAY
from ..factories import PASSWORD, target

TYPED = {"period": f"{TEST_TODAY:%Y-%m}", "value": "88", "narrative": "完成第三批培训，共88人", "problems": "场地紧张",
         "next_steps": "十月开展第四批", "based_on_version": "0"}


def kept_values(response) -> dict | None:
    match = re.search(r'<script id="kept-form" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    return json.loads(match.group(1)) if match else None


def sign_in(client, user, next_url):
    return client.post(f"{reverse('login')}?next={next_url}",
                       {"username": user.username, "password": PASSWORD, "next": next_url}, follow=True)


@pytest.fixture
def report_page(plan, users, client):
    """The report page of 培育新型农民, opened by its reporter (who gets the signed cookie)."""
    url = reverse("plans:report_create", args=[target(plan, "培育新型农民").pk])
    sign_in(client, users["agri"], url)
    assert client.get(url).status_code == 200
    return url


def expire_session():
    Session.objects.all().delete()


def test_an_expired_session_keeps_the_typing_and_the_login_brings_the_form_back_filled(client, report_page, users):
    expire_session()
    response = client.post(report_page, TYPED, HTTP_REFERER=f"http://testserver{report_page}")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    login_page = client.get(response["Location"]).content.decode()
    assert "登录已超时" in login_page and "自动填回" in login_page
    assert not ProgressReport.objects.exists()  # nothing was written, nothing will be replayed

    page = sign_in(client, users["agri"], report_page)
    assert page.redirect_chain[-1][0] == report_page
    kept = kept_values(page)
    assert kept["action"] == report_page
    assert kept["data"]["narrative"] == [TYPED["narrative"]] and kept["data"]["value"] == ["88"]
    assert "csrfmiddlewaretoken" not in kept["data"]
    assert "已填回您上次未能提交的内容" in page.content.decode()
    assert not ProgressReport.objects.exists()
    assert kept_values(client.get(report_page)) is None  # once


def test_someone_else_signing_in_on_that_browser_does_not_get_it(client, report_page, users):
    expire_session()
    client.post(report_page, TYPED, HTTP_REFERER=f"http://testserver{report_page}")
    page = sign_in(client, users["supervisor"], report_page)  # the office may open that page too
    assert page.status_code == 200 and kept_values(page) is None
    assert "已填回" not in page.content.decode()
    sign_in(client, users["agri"], report_page)
    assert kept_values(client.get(report_page)) is None  # dropped, not waiting for the next one


def test_without_knowing_who_typed_nothing_is_kept(plan, users):
    client = Client()
    url = reverse("plans:report_create", args=[target(plan, "培育新型农民").pk])
    response = client.post(url, TYPED)
    assert response.status_code == 302
    page = sign_in(client, users["agri"], url)
    assert kept_values(page) is None


def test_a_post_from_another_site_is_not_kept(client, report_page, users):
    expire_session()
    for referer in ({}, {"HTTP_REFERER": "https://elsewhere.example/form/"}):
        client.post(report_page, TYPED, **referer)
        page = sign_in(client, users["agri"], report_page)
        assert kept_values(page) is None, referer
        expire_session()


def test_a_stale_csrf_token_shows_the_chinese_page_and_keeps_the_typing(report_page, client, users, settings):
    settings.DEBUG = False
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies  # same browser, same session
    response = strict.post(report_page, {**TYPED, "csrfmiddlewaretoken": "stale" * 8},
                           HTTP_REFERER=f"http://testserver{report_page}")
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page and "您填写的内容已保留" in page and f'href="{report_page}"' in page
    assert "CSRF验证失败" not in page and "verification failed" not in page and "DEBUG" not in page
    assert not ProgressReport.objects.exists()
    kept = kept_values(strict.get(report_page))
    assert kept["data"]["problems"] == ["场地紧张"]


def test_a_stale_token_on_an_htmx_action_sends_the_browser_back_to_the_page(make_item_page, users):
    client, item_url, act_url = make_item_page
    response = client.post(act_url, {"comment": "已全部办结", "csrfmiddlewaretoken": "stale" * 8},
                           HTTP_HX_REQUEST="true", HTTP_REFERER=f"http://testserver{item_url}")
    assert response.status_code == 200 and response["HX-Redirect"] == item_url
    page = client.get(item_url)
    assert kept_values(page)["action"] == act_url  # only the feedback form is filled, not every textarea
    assert "页面已过期" in page.content.decode()


def test_a_post_only_address_sends_the_login_back_to_the_page_not_the_address(make_item_page, users):
    _, item_url, act_url = make_item_page
    client = Client()
    client.force_login(users["village"])
    client.get(item_url)
    expire_session()
    response = client.post(act_url, {"comment": "已全部办结"}, HTTP_REFERER=f"http://testserver{item_url}")
    assert response["Location"] == f"{reverse('login')}?next={item_url.replace('/', '%2F')}"
    response = client.post(act_url, {"comment": "已全部办结"}, HTTP_REFERER=f"http://testserver{item_url}",
                           HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_stale_token_after_the_session_expired_says_to_sign_in_again(make_item_page):
    client, item_url, act_url = make_item_page
    expire_session()
    response = client.post(act_url, {"comment": "已全部办结", "csrfmiddlewaretoken": "stale" * 8},
                           HTTP_REFERER=f"http://testserver{item_url}")
    page = response.content.decode()
    assert response.status_code == 403 and "登录已超时" in page and "您填写的内容已保留" in page
    assert f"{reverse('login')}?next={item_url.replace('/', '%2F')}" in page


@pytest.fixture
def make_item_page(users, units):
    """A 督办单 in hand for 三南村, whose page (several forms) its reporter has open."""
    import datetime as dt

    from yuanqu.supervision import services

    item = services.item_create(actor=users["supervisor"], data={
        "title": "督办测试", "source_kind": "leader_instruction", "source_text": "请落实。",
        "lead_unit": units["village"], "deadline": TEST_TODAY + dt.timedelta(days=10)})
    services.item_assign(actor=users["supervisor"], item=item)
    services.item_start(actor=users["village"], item=item)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["village"])
    item_url = reverse("supervision:detail", args=[item.pk])
    assert client.get(item_url).status_code == 200
    return client, item_url, reverse("supervision:act", args=[item.pk, "feedback"])
