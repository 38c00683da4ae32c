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


class _PermanentRedirect:
    """308: the client repeats the same method with the same body at the new address (a 301
    would turn a POST into a GET)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, request, rest: str = ""):
        from django.http import HttpResponsePermanentRedirect

        query = request.META.get("QUERY_STRING", "")
        response = HttpResponsePermanentRedirect(self.prefix + rest + (f"?{query}" if query else ""))
        response.status_code = 308
        return response


def legacy_api_redirects() -> list:
    """Plans' API lived at /api/<resource>/ before every app had /api/<app>/: scripts written
    against the old addresses are sent on to the new ones."""
    from django.urls import re_path

    patterns = [re_path(r"^api/plans/(?P<rest>\d+/.*)$", _PermanentRedirect("/api/plans/plans/"))]
    for resource in ("targets", "ledger-items", "reports"):
        patterns.append(re_path(rf"^api/{resource}/(?P<rest>.*)$", _PermanentRedirect(f"/api/plans/{resource}/")))
    return patterns
