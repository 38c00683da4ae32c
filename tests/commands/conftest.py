import pytest


@pytest.fixture(autouse=True)
def fast_and_tidy(settings, tmp_path):
    """The demo creates a dozen accounts (the production hasher would spend seconds on them) and,
    through other apps' demos, may write files (e.g. a bulletin): keep those out of var/."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
