"""Panels one register adds to another's record page without either importing the other's pages.

The page offers a point by name (`{% load panels %}{% panels "investment.lead" lead %}`); an app
registers a template for it in its AppConfig.ready() (`register("investment.lead", "projects/_lead_panel.html")`).
The template renders in the page's context with `object` set to the record; a point nobody fills
renders nothing.
"""

from __future__ import annotations

_points: dict[str, list[str]] = {}


def register(point: str, template_name: str) -> None:
    names = _points.setdefault(point, [])
    if template_name not in names:
        names.append(template_name)


def templates_for(point: str) -> list[str]:
    return list(_points.get(point, ()))
