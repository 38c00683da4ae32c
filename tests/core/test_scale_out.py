"""Several processes on one database: REDIS_URL gives them one cache and sessions read from it,
written through to the database (docs/operations.md, “When to move off the embedded default”)."""

import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

pytestmark = pytest.mark.django_db

SHOW = ("from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION'))")


def settings_with(tmp_path, **env) -> list[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    done = subprocess.run([sys.executable, "-m", "yuanqu.manage", "shell", "--no-imports", "-c", SHOW],
                          env={**base, "YUANQU_DATA_DIR": str(tmp_path), **env}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.django_db(False)
def test_redis_url_switches_cache_and_sessions(tmp_path):
    assert settings_with(tmp_path) == [
        "django.contrib.sessions.backends.db", "django.core.cache.backends.locmem.LocMemCache", "None"]
    assert settings_with(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3") == [
        "django.contrib.sessions.backends.cached_db", "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3"]


def _redis_up() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379 (or the redis package is missing)")
def test_a_session_outlives_a_redis_flush(client, users):
    """cached_db: the session is read from Redis, and from the database once Redis lost it."""
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://127.0.0.1:6379/15", "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    # (override_settings of CACHES makes Django's cache handler start again from them)
    with override_settings(CACHES=redis_cache, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        try:
            client.force_login(users["supervisor"])
            assert client.get("/notifications/").status_code == 200
            key = client.session.session_key
            cache = caches["default"]
            assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None
            cache.clear()
            assert client.get("/notifications/").status_code == 200  # still signed in
            assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None  # and cached again
        finally:
            caches["default"].clear()
