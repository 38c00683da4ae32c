"""Reads on the org: who holds an ability (one query each), unit names resolved as plans write
them, the unit tree for pickers."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from yuanqu.core.abilities import roles_holding

from .models import OrgUnit, OrgUnitAlias, RoleAssignment, User


def assignments_holding(ability: str) -> QuerySet[RoleAssignment]:
    """The active users' assignments whose role holds the ability."""
    return RoleAssignment.objects.filter(role__in=roles_holding(ability), user__is_active=True)


def users_holding(ability: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, pk__in=assignments_holding(ability).values("user_id"))


def first_holder(ability: str, **filters) -> User | None:
    """The longest-standing active user holding the ability (demos pick their actors this way)."""
    return users_holding(ability).filter(**filters).order_by("pk").first()


def unit_holders(ability: str, unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """Who acts for each unit under an ability held for units (a unit's reporters): its own active
    holders, else those of the nearest unit above it that has some (a village without an account
    is looked after by its area or department). Reminders find their recipients here.

    Two queries whatever the number of units.
    """
    wanted = {u for u in unit_ids if u}
    if not wanted:
        return {}
    parent = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    by_unit: dict[int, list[User]] = defaultdict(list)
    holding = assignments_holding(ability).filter(unit__isnull=False)
    for a in holding.select_related("user").order_by("user_id", "pk"):
        if a.user not in by_unit[a.unit_id]:
            by_unit[a.unit_id].append(a.user)
    found: dict[int, list[User]] = {}
    for unit_id in wanted:
        seen, current = set(), unit_id
        while current and current not in seen and not by_unit.get(current):
            seen.add(current)
            current = parent.get(current)
        found[unit_id] = list(by_unit.get(current, [])) if current else []
    return found


# ---------------------------------------------------------------- unit names as plans write them

# Plans name units with the level in front (区招商局, 市政务服务局) and the kind of body behind
# (局, 办公室, 中心): these are dropped on both sides before names are compared. Longer first.
NAME_PREFIXES = ("管委会", "开发区", "园区", "区", "市", "县")
NAME_SUFFIXES = ("办公室", "委员会", "中心", "局", "办")


def name_key(name: str) -> str:
    """A unit name without its level prefixes and its kind suffix (市政务服务局 → 政务服务); at least
    two characters stay, so that 区委办 does not shrink to 委."""
    key = "".join((name or "").split())
    stripped = True
    while stripped:
        stripped = False
        for prefix in NAME_PREFIXES:
            if key.startswith(prefix) and len(key) - len(prefix) >= 2:
                key, stripped = key[len(prefix):], True
                break
    for suffix in NAME_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return key[: -len(suffix)]
    return key


@dataclass(frozen=True)
class UnitMatch:
    """What a name as written resolves to: one unit, none, or several (ambiguous), and how."""

    name: str
    units: tuple[OrgUnit, ...] = ()
    how: str = ""  # "name", "alias" (an alias or the short name), "normalised", "" for none

    @property
    def unit(self) -> OrgUnit | None:
        return self.units[0] if len(self.units) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.units) > 1


class UnitResolver:
    """Resolves unit names as plans write them to the active units: by exact name, then by an
    alias or short name, then by the name without level prefixes and kind suffixes. Loads the
    units and aliases once (two queries), whatever the number of names resolved."""

    def __init__(self):
        self.units = list(OrgUnit.objects.filter(is_active=True).order_by("path"))
        by_pk = {u.pk: u for u in self.units}
        self._by_name = {u.name: u for u in self.units}
        self._by_alias: dict[str, list[OrgUnit]] = defaultdict(list)
        self._by_key: dict[str, list[OrgUnit]] = defaultdict(list)
        aliases = OrgUnitAlias.objects.filter(unit__is_active=True).values_list("name", "unit_id")
        for unit in self.units:
            if unit.short_name:
                self._by_alias[unit.short_name].append(unit)
            self._by_key[name_key(unit.name)].append(unit)
            if unit.short_name:
                self._by_key[name_key(unit.short_name)].append(unit)
        for name, unit_id in aliases:
            self._by_alias[name].append(by_pk[unit_id])
            self._by_key[name_key(name)].append(by_pk[unit_id])

    def resolve(self, name: str) -> UnitMatch:
        name = "".join((name or "").split())
        if not name:
            return UnitMatch(name)
        if name in self._by_name:
            return UnitMatch(name, (self._by_name[name],), "name")
        for how, found in (("alias", self._by_alias.get(name)), ("normalised", self._by_key.get(name_key(name)))):
            if found:
                return UnitMatch(name, tuple(dict.fromkeys(found)), how)
        return UnitMatch(name)


def unit_tree() -> list[tuple[OrgUnit, int]]:
    """The active units in tree order (each under its parent, siblings by their order) with their
    depth, for pickers that show the org tree: one query."""
    units = list(OrgUnit.objects.filter(is_active=True))
    ids = {u.pk for u in units}
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for unit in units:  # ordered by (order, id)
        children[unit.parent_id if unit.parent_id in ids else None].append(unit)
    out: list[tuple[OrgUnit, int]] = []
    stack = [(u, 0) for u in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        out.append((unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children[unit.pk]))
    return out
