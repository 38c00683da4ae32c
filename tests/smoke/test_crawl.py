"""Every page a person can reach by following links answers without a server error.

Builds the demo zone, logs in as each kind of user and follows every internal link (GET only)
breadth-first from the home page. Catches broken templates, bad links and crashes on real data
that page-by-page tests miss.
"""

import re
from collections import Counter, deque
from io import StringIO
from urllib.parse import urldefrag, urlparse

from django.core.management import call_command

from yuanqu.org.models import User

HREF = re.compile(r'href="([^"#][^"]*)"')
# Not pages: leaving, the admin site (Django's own), static files, file downloads.
SKIP = ("/logout", "/admin/", "/static/", "/media/", "/attachments/", ".xlsx", ".docx", "/download")
MAX_PAGES = 400
# Pages of one shape (/targets/<id>/, ?page=<n>) share their view and template: a few of each
# find what the rest would, and the crawl spends its time on pages of other shapes.
PER_SHAPE = 3
DIGITS = re.compile(r"\d+")
ROLES = ["supervisor", "leader", "zsj", "snc", "pq"]  # demo logins: 督查室, 领导, 招商局, 三南村, both 片区


def crawl(client) -> dict[str, int]:
    seen: dict[str, int] = {}
    shapes: Counter[str] = Counter()
    queue, queued = deque(["/"]), {"/"}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, follow=True)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(link)
            if parsed.scheme or parsed.netloc or not link.startswith("/") or any(s in link for s in SKIP):
                continue
            shape = DIGITS.sub("#", link)
            if link not in queued and shapes[shape] < PER_SHAPE:
                shapes[shape] += 1
                queued.add(link)
                queue.append(link)
    return seen


def test_no_link_leads_to_a_server_error(client, db, settings):
    # One demo build for all roles (inside this test's transaction, so nothing outlives it).
    call_command("demo", "--year", "2026", "--today", "2026-09-15", stdout=StringIO())
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        seen = crawl(client)
        errors = {url: code for url, code in seen.items() if code >= 500}
        assert not errors, (username, errors)
        assert len(seen) > 15, f"{username} reached only {len(seen)} pages"
        # Pages outside a role are refusals, never anything else.
        odd = {u: c for u, c in seen.items() if c not in {200, 403, 404}}
        assert not odd, (username, odd)
        client.logout()
