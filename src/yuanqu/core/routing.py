"""URL mounting shared by every app."""

from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path


def api_urlpatterns() -> list:
    """`api/<app label>/` for every yuanqu app with an `api_urls` module, so that a new app's API
    is mounted by writing that module (its own URL namespace inside, e.g. "plans-api")."""
    patterns = []
    for config in apps.get_app_configs():
        module = f"{config.name}.api_urls"
        if config.name.startswith("yuanqu.") and find_spec(module) is not None:
            patterns.append(path(f"api/{config.label}/", include(module)))
    return patterns
