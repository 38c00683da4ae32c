"""The chassis's rules about how apps are shaped and how they meet, checked on the source itself.

- No app imports another app's pages, API, forms, URLs, page helpers or template tags; apps meet
  through shared records (models), selectors, the metric registry and core. Of another app's
  services only `org`'s (the shared records: units and people) may be called.
- Views and API modules never write to the database themselves: every write goes through services.
- Each app has the same shape: apps.py and models.py; pages come with urls.py; an API with api_urls.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "yuanqu"
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())
PRIVATE = {"views", "api", "api_urls", "urls", "forms", "pages_support", "templatetags"}
SHARED_SERVICES = {"org"}  # the shared records' services (resolve_unit ...) serve every app
WRITES = {"save", "create", "bulk_create", "update", "delete", "bulk_update", "update_or_create", "get_or_create"}


def modules(app: str):
    for path in (SRC / app).rglob("*.py"):
        if "migrations" not in path.parts:
            yield path


def imported(path: Path) -> list[tuple[int, str]]:
    """Every `yuanqu.<app>.<module>` the file imports, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "yuanqu" or len(parts) < 2:
                continue
            if len(parts) == 2:  # from yuanqu.plans import services
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("yuanqu.")]
    return found


def test_every_app_is_checked():
    assert {"core", "org", "plans", "supervision", "assessment", "reports", "cockpit"} <= set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_no_app_reaches_into_another_apps_pages_api_or_helpers(app):
    wrong = []
    for path in modules(app):
        for line, name in imported(path):
            parts = name.split(".")
            if len(parts) < 3 or parts[1] in {app, "core"} or parts[1] not in APPS:
                continue
            module = parts[2]
            if module in PRIVATE or (module == "services" and parts[1] not in SHARED_SERVICES):
                wrong.append(f"{path.relative_to(SRC)}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("app", APPS)
def test_pages_and_api_write_only_through_services(app):
    wrong = []
    for name in ("views.py", "api.py"):
        path = SRC / app / name
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # Model writes look like X.objects.create(...), obj.save(), qs.update(...).
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
                target = ast.unparse(node.func.value)
                if node.func.attr == "update" and not (".objects" in target or target.endswith(")")):
                    continue  # dict.update / set.update on a local
                if node.func.attr == "delete" and ("session" in target or "request" in target):
                    continue
                wrong.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(node.func)}()")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_shape(app):
    files = {p.name for p in (SRC / app).iterdir()}
    assert {"__init__.py", "apps.py"} <= files
    if app != "cockpit":  # the cockpit only reads the others
        assert "models.py" in files
    if "views.py" in files:
        assert "urls.py" in files
        assert (SRC / app / "templates" / app).is_dir() or app == "core"
    if "api.py" in files and app != "core":  # core's api.py is the API base, not endpoints
        assert "api_urls.py" in files
