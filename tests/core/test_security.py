"""Safe to put on a network: login throttling on the page and the API, bodies refused by their size
before they are read, the production settings passing `check --deploy`, the CSP header."""

import base64
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from yuanqu.core.attachments import ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_COUNT
from yuanqu.org.models import User

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 10  # settings.AXES_FAILURE_LIMIT, from YUANQU_LOGIN_FAILURE_LIMIT


def login_post(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_is_the_documented_default():
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=30)


def test_the_login_page_locks_an_account_after_ten_wrong_passwords(client, users):
    name = users["invest"].username
    for _ in range(LIMIT - 1):
        response = login_post(client, name, "wrong-password")
        assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    response = login_post(client, name, "wrong-password")  # the tenth: locked from here on
    assert response.status_code == 429
    # The 11th attempt is refused even with the right password, in Chinese, and nobody is signed in.
    response = login_post(client, name, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    page = response.content.decode()
    assert "账号已暂时锁定" in page and f"“{name}”" in page and "30 分钟" in page and "系统管理员" in page
    assert response["Retry-After"] == "1800"
    # Another account is not affected.
    login_post(client, users["agri"].username, PASSWORD)
    assert signed_in(client)


def test_failures_in_a_row_only_a_success_starts_the_count_again(client, users):
    name = users["invest"].username
    for _ in range(LIMIT - 1):
        login_post(client, name, "wrong-password")
    login_post(client, name, PASSWORD)
    assert signed_in(client)
    client.logout()
    for _ in range(LIMIT - 1):
        assert login_post(client, name, "wrong-password").status_code == 200


def test_the_lock_ends_after_the_cool_off_or_when_an_administrator_releases_it(client, users):
    name = users["invest"].username
    for _ in range(LIMIT):
        login_post(client, name, "wrong-password")
    assert login_post(client, name, PASSWORD).status_code == 429
    # An administrator releases the account (the command of docs/operations.md).
    call_command("axes_reset_username", name, stdout=open(os.devnull, "w"))
    login_post(client, name, PASSWORD)
    assert signed_in(client)
    client.logout()

    for _ in range(LIMIT):
        login_post(client, name, "wrong-password")
    assert login_post(client, name, PASSWORD).status_code == 429
    # Half an hour after the last attempt the account opens by itself.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    login_post(client, name, PASSWORD)
    assert signed_in(client)


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_the_apis_basic_auth_locks_an_account_after_ten_wrong_passwords(users, plan):
    client = APIClient()
    name = users["invest"].username
    url = "/api/plans/plans/"
    for _ in range(LIMIT - 1):
        assert client.get(url, HTTP_AUTHORIZATION=basic(name, "wrong-password")).status_code in (401, 403)
    assert client.get(url, HTTP_AUTHORIZATION=basic(name, "wrong-password")).status_code == 429
    response = client.get(url, HTTP_AUTHORIZATION=basic(name, PASSWORD))
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"message", "field", "extra"} and "已暂时锁定" in body["message"]
    assert response["Retry-After"] == "1800"
    # The page login of the same account is locked too: one count per account.
    assert login_post(APIClient(), name, PASSWORD).status_code == 429
    # Others still get in.
    assert client.get(url, HTTP_AUTHORIZATION=basic(users["agri"].username, PASSWORD)).status_code == 200


def test_a_lockout_is_logged_and_kept_for_the_administrator(client, users, caplog):
    name = users["invest"].username
    with caplog.at_level("WARNING", logger="axes"):
        for _ in range(LIMIT):
            login_post(client, name, "wrong-password")
    assert any("Locking out" in r.getMessage() and name in r.getMessage() for r in caplog.records)
    attempt = AccessAttempt.objects.get(username=name)
    assert attempt.failures_since_start == LIMIT and "wrong-password" not in attempt.post_data
    # The administrator finds it in the (Chinese) admin site and releases the account there.
    admin = APIClient()
    admin.force_login(User.objects.create_superuser("root", password="a-real-secret-1"))
    page = admin.get("/admin/axes/accessattempt/").content.decode()
    assert "登录失败记录" in page and name in page
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert login_post(APIClient(), name, PASSWORD).status_code == 302


# ---------------------------------------------------------------- request size


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def huge_post(client, path, content_type, size=524 * 1024 * 1024, **extra):
    environ = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(size), "wsgi.input": Unreadable()}
    return client.generic("POST", path, **environ, **extra)


@pytest.mark.parametrize("path", ["/login/", "/plans/import/", "/api/plans/plans/import/", "/admin/login/"])
def test_an_anonymous_oversized_upload_is_refused_before_it_is_read(client, path):
    response = huge_post(client, path, "multipart/form-data; boundary=x")
    assert response.status_code == 413
    text = response.content.decode()
    assert "提交的内容过大（524 MB）" in text and "未登录时一次最多 4 MB" in text


@pytest.mark.django_db(False)
def test_gunicorn_answers_413_to_a_huge_body_without_waiting_for_it(tmp_path):
    """The real server, as `make serve` runs it: the 524 MB announced are never sent, and the
    answer comes at once. An over-long request line is refused by gunicorn itself."""
    env = production_env(tmp_path)
    del env["YUANQU_HTTPS"]  # plain HTTP here: no redirect to https
    assert yuanqu("migrate", "-v0", env=env).returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "python:yuanqu.gunicorn_conf",
                               "yuanqu.wsgi"], env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
                time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"POST /login/ HTTP/1.1\r\nHost: yuanqu.zone.local\r\nContent-Type: multipart/form-data; "
                         b"boundary=x\r\nContent-Length: 549453824\r\n\r\n" + b"x" * 65536)
            answer = conn.recv(200)
        assert answer.startswith(b"HTTP/1.1 413"), answer
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert conn.recv(200).startswith(b"HTTP/1.1 414")
    finally:
        server.terminate()
        server.wait(10)


def test_a_signed_in_upload_over_the_limit_is_refused_before_it_is_read(client, users):
    client.force_login(users["supervisor"])
    response = huge_post(client, "/plans/import/", "multipart/form-data; boundary=x")
    assert response.status_code == 413 and "上传文件时一次最多 210 MB" in response.content.decode()
    # A form body (not an upload) has the smaller limit, the API answers in its error shape.
    response = huge_post(client, "/api/plans/plans/import/", "application/json", size=11 * 1024 * 1024)
    assert response.status_code == 413
    body = response.json()
    assert body["field"] is None and "最多 10 MB" in body["message"] and body["extra"]["size"] == 11 * 1024 * 1024


def test_a_fake_authorization_header_buys_no_bigger_limit_on_the_pages(client):
    response = huge_post(client, "/plans/import/", "multipart/form-data; boundary=x", size=50 * 1024 * 1024,
                         HTTP_AUTHORIZATION=basic("x", "y"))
    assert response.status_code == 413


def test_bodies_within_the_limits_pass(client, users):
    # A plain login is far under every limit and works as before.
    assert login_post(client, users["invest"].username, PASSWORD).status_code == 302


def test_the_upload_limit_fits_a_report_with_every_attachment_it_may_carry():
    assert settings.YUANQU_MAX_REQUEST_BYTES > ATTACHMENT_MAX_BYTES * ATTACHMENT_MAX_COUNT
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 9 * 300_000  # a 300,000-character plan, URL-encoded


# ---------------------------------------------------------------- headers and production settings


def test_every_page_carries_the_content_security_policy(client, users, plan):
    client.force_login(users["supervisor"])
    for url in ["/login/", reverse("plans:home"), f"/plans/{plan.pk}/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"""\s(on[a-z]+)\s*=\s*["']""", re.I)


def test_no_template_holds_inline_script_or_handlers():
    """script-src 'self' refuses both; a template that brings one back breaks a page in the browser."""
    root = Path(settings.PACKAGE_DIR)
    found = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(root)}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        found += [f"{path.relative_to(root)}: {m.group(1)}" for m in INLINE_HANDLER.finditer(text)]
        found += [f"{path.relative_to(root)}: javascript:" for m in re.finditer(r"javascript:", text, re.I)]
    assert not found, found


def production_env(tmp_path: Path, **more) -> dict:
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
        "YUANQU_DATA_DIR": str(tmp_path / "data"), "DEBUG": "0", "YUANQU_HTTPS": "1",
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(), "ALLOWED_HOSTS": "yuanqu.zone.local",
    }
    return {**env, **more}


def yuanqu(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yuanqu.manage", *args], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.django_db(False)
def test_check_deploy_is_clean_on_the_production_settings(tmp_path):
    done = yuanqu("check", "--deploy", env=production_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout and "WARNING" not in done.stderr + done.stdout, done.stderr
    # Without YUANQU_HTTPS the same check names what is missing: the setting is what clears it.
    env = production_env(tmp_path)
    del env["YUANQU_HTTPS"]
    done = yuanqu("check", "--deploy", env=env)
    for code in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert code in done.stderr, code


@pytest.mark.django_db(False)
def test_the_production_settings_take_https_from_the_proxy(tmp_path):
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)")
    done = yuanqu("shell", "--no-imports", "-c", code, env=production_env(tmp_path))
    assert done.stdout.split() == ["True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
    done = yuanqu("shell", "--no-imports", "-c", code, env=production_env(tmp_path, YUANQU_HTTPS="0"))
    assert done.stdout.split()[:4] == ["False", "False", "False", "0"]


@pytest.mark.django_db(False)
def test_the_data_folder_is_700_and_the_database_600(tmp_path):
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")  # the generated key lands in the data folder too
    done = yuanqu("migrate", "-v0", env=env)
    assert done.returncode == 0, done.stderr
    data = tmp_path / "data"
    assert data.stat().st_mode & 0o777 == 0o700
    for name in ["yuanqu.sqlite3", "secret_key"]:
        assert (data / name).stat().st_mode & 0o777 == 0o600, name
    # The WAL file lives while a connection is open; SQLite gives it the database file's mode.
    code = ("import os; from django.db import connection; connection.ensure_connection(); "
            "print(oct(os.stat(connection.settings_dict['NAME'] + '-wal').st_mode & 0o777))")
    assert yuanqu("shell", "--no-imports", "-c", code, env=env).stdout.strip() == "0o600"
    # An older install's world-readable file is tightened at the next start.
    (data / "yuanqu.sqlite3").chmod(0o644)
    yuanqu("check", env=env)
    assert (data / "yuanqu.sqlite3").stat().st_mode & 0o777 == 0o600
