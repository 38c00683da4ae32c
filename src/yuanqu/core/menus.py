"""The navigation: each app declares its entries in its own `menus.py`, the top bar shows those
the user may use.

    # supervision/menus.py
    from yuanqu.core.menus import MenuEntry, register

    register(
        MenuEntry("督查督办", "supervision:list", icon="flag", order=50, active=("supervision:*",)),
        MenuEntry("督办待办", "supervision:inbox", icon="inbox", order=60,
                  visible=lambda user: user.can("supervision.handle_item") or user.can("supervision.issue_item")),
    )

`section` gathers entries under one drop-down of the top bar (its label, e.g. "治理"), placed where
its first entry would stand: with a dozen registers, a flat bar would wrap. `visible` is an ability name (asked as `user.can(name)`) or a predicate `(user) -> bool`; no
`visible` means every signed-in user. `active` lists view names ("app:view") or whole apps
("app:*") in which the entry is highlighted (its own view when empty). `badge` counts something
for the user (one query at most); the number shows in a pill with the id `badge_id`, hidden at 0,
so that an htmx response can update it out of band. core's AppConfig.ready() imports every app's
menus.py; base.html renders `nav_menu` (core.context_processors.navigation), which is computed
only when a full page renders it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse

MAIN, END = "main", "end"  # groups: the left of the top bar, and its right before the notices


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    icon: str = ""
    order: int = 100
    group: str = MAIN
    section: str = ""
    active: tuple[str, ...] = ()
    visible: str | Callable | None = None
    badge: Callable | None = None
    badge_id: str = ""

    def allows(self, user) -> bool:
        if self.visible is None:
            return True
        if isinstance(self.visible, str):
            can = getattr(user, "can", None)
            return bool(can and can(self.visible))
        return bool(self.visible(user))

    def is_active(self, view_name: str, namespace: str) -> bool:
        for pattern in self.active or (self.url_name,):
            if pattern == view_name or (pattern.endswith(":*") and pattern[:-2] == namespace):
                return True
        return False


_registry: dict[str, MenuEntry] = {}


def register(*entries: MenuEntry) -> None:
    """Declare menu entries (an app's menus.py calls it once, at start-up)."""
    for entry in entries:
        _registry[entry.url_name] = entry  # a re-import replaces rather than doubles


def entries() -> list[MenuEntry]:
    return sorted(_registry.values(), key=lambda e: (e.order, e.label))


@dataclass(frozen=True)
class NavItem:
    entry: MenuEntry
    url: str
    active: bool
    badge: int | None = field(default=None)

    @property
    def label(self) -> str:
        return self.entry.label

    @property
    def icon(self) -> str:
        return self.entry.icon

    @property
    def badge_id(self) -> str:
        return self.entry.badge_id


@dataclass
class NavBlock:
    section: str  # "" for a single link
    items: list[NavItem]

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)

    @property
    def badge(self) -> int:
        return sum(item.badge or 0 for item in self.items)


class Menu:
    """The entries this request's user sees, by group; computed on first use (htmx fragments,
    which render no top bar, pay nothing)."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def _items(self) -> list[NavItem]:
        user = self.request.user
        match = getattr(self.request, "resolver_match", None)
        view_name, namespace = (match.view_name, match.namespace) if match else ("", "")
        return [
            NavItem(e, reverse(e.url_name), e.is_active(view_name, namespace), e.badge(user) if e.badge else None)
            for e in entries() if e.allows(user)
        ]

    @property
    def main(self) -> list[NavItem]:
        return [item for item in self._items if item.entry.group == MAIN]

    @property
    def main_blocks(self) -> list[NavBlock]:
        """The main entries as the bar shows them: single links, and each section's entries together
        in one drop-down at the place of its first entry."""
        blocks: list[NavBlock] = []
        by_section: dict[str, NavBlock] = {}
        for item in self.main:
            section = item.entry.section
            if not section:
                blocks.append(NavBlock("", [item]))
            elif section in by_section:
                by_section[section].items.append(item)
            else:
                by_section[section] = block = NavBlock(section, [item])
                blocks.append(block)
        return blocks

    @property
    def end(self) -> list[NavItem]:
        return [item for item in self._items if item.entry.group == END]
