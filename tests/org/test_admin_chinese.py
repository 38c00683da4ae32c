"""The admin site speaks Chinese on every page it offers, and a person has one name field (姓名)."""

import html as entities
import logging
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from ..factories import PASSWORD

# An English word; acronyms in Chinese sentences (LDAP) and the stored password's algorithm and
# shown start (data, not wording) are not.
ENGLISH = re.compile(r"[A-Za-z]?[a-z]{2,}")
HASH = re.compile(r"[0-9A-Za-z+/=]*\*{4,}|\b(md5|pbkdf2_sha256|argon2|bcrypt_sha256)\b")


def visible_text(html: str) -> list[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    text = entities.unescape(re.sub(r"<[^>]+>", "\n", html))
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture
def admin_client(client, users):
    user = users["admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    client.login(username=user.username, password=PASSWORD)
    return client


def admin_pages(users, units):
    yield reverse("admin:index")
    yield reverse("admin:org_user_change", args=[users["agri"].pk])
    yield reverse("admin:org_orgunit_change", args=[units["agri"].pk])
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))


def test_no_english_is_left_on_the_admin_pages(admin_client, users, units):
    # Data, not wording: the usernames, and the user agent axes records for the test client (none sent).
    names = re.compile("|".join([*(u.username for u in users.values()), "<unknown>"]))
    logging.disable(logging.WARNING)  # the add pages of read-only registers answer 403
    try:
        found = {}
        for url in admin_pages(users, units):
            response = admin_client.get(url)
            if response.status_code == 403:
                continue
            assert response.status_code == 200, url
            english = [t for t in visible_text(response.content.decode())
                       if ENGLISH.search(HASH.sub("", names.sub("", t)).replace("Control", "").replace("Command", "").replace("Mac", ""))]
            if english:
                found[url] = english
    finally:
        logging.disable(logging.NOTSET)
    assert not found, found


def test_a_person_has_one_name_field(admin_client, users):
    for url in (reverse("admin:org_user_change", args=[users["agri"].pk]), reverse("admin:org_user_add")):
        form = admin_client.get(url).context["adminform"].form
        assert "full_name" in form.fields, url
        assert not {"first_name", "last_name", "groups", "user_permissions"} & set(form.fields), url
    users["admin"].full_name = "王督查"
    users["admin"].save()
    assert "王督查" in admin_client.get(reverse("admin:index")).content.decode()  # the greeting uses 姓名


def test_groups_are_not_offered_since_roles_are_the_rights(admin_client):
    from django.contrib.auth.models import Group

    assert Group not in admin.site._registry
