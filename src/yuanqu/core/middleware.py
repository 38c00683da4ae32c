"""Middleware of our own."""

from django.utils.cache import patch_vary_headers


class VaryOnHtmxMiddleware:
    """Every HTML response varies on HX-Request: list pages answer an htmx request with a fragment
    and a plain one with the whole page at the same URL, so a browser or proxy cache must not
    give one for the other (htmx's history restore would show a bare fragment). django-htmx leaves
    this to a per-view `vary_on_headers`; one middleware keeps new views from forgetting it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("HX-Request",))
        return response
