"""One scope base: what a user may read, from what each model declares.

A scoped model declares `scope = Scope(...)` and uses a queryset that inherits `ScopedQuerySet`;
every page, API call and export starts from `Model.objects.visible_to(user)`:

    class Target(...):
        scope = Scope(read_all="plans.read_all", units=("lead_unit",), assisting=("cooperating_units",),
                      restrict=lambda qs, user: qs.exclude(plan__status="draft"))

The rule, in order:
- nobody signed in sees nothing; a soft-deleting queryset starts from `alive()`;
- `via="target"`: the record is visible exactly when the record it hangs on is (the parent's
  own `visible_to` decides, for every user);
- whoever holds the `read_all` ability sees every row;
- everyone else reads as a member of their units (`user.scope_units()`: the subtrees under the
  units of all their role assignments, resolved once per request) and gets the rows whose
  lead-unit fields (`units`) or assisting many-to-many (`assisting`) name one of those units,
  further narrowed by the model's `restrict` hook. A model with neither `units` nor `assisting`
  gives such readers `restrict(qs)`, or nothing when it declares no hook; `needs_unit=False`
  lets readers without any unit through to the hook (draft plans are hidden from everyone
  else, signed in or not attached to a unit).

Assisting units are matched through a `pk__in` subquery on the through table, never a join
with `.distinct()`, so counts and annotations over the result stay right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    read_all: str = ""
    units: tuple[str, ...] = ()
    assisting: tuple[str, ...] = ()
    via: str = ""
    restrict: Callable | None = None
    needs_unit: bool = True


def _sees_every(model, user) -> bool:
    """Whether `model.objects.visible_to(user)` is every (alive) row: the reader holds its read_all."""
    scope: Scope = model.scope
    return not scope.via and bool(scope.read_all) and user.can(scope.read_all)


def _assisting_q(model, path: str, units) -> Q:
    """Rows whose many-to-many at `path` (e.g. `target__cooperating_units`) names one of `units`."""
    *prefix, name = path.split("__")
    owner = model
    for part in prefix:
        owner = owner._meta.get_field(part).related_model
    m2m = owner._meta.get_field(name)
    through = m2m.remote_field.through
    owners = through.objects.filter(**{f"{m2m.m2m_reverse_field_name()}__in": units}).values(m2m.m2m_field_name())
    return Q(**{"__".join([*prefix, "in"]) if prefix else "pk__in": owners})


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope: Scope = self.model.scope
        if user is None or not user.is_authenticated:
            return self.none()
        qs = self.alive() if hasattr(self, "alive") else self.all()
        if scope.via:
            parent = self.model._meta.get_field(scope.via).related_model
            if _sees_every(parent, user):
                # A join on the parent, not `IN (every parent's id)`: SQLite builds that list on each
                # query, a cost that grows with the parents however few rows are asked for.
                alive = {f"{scope.via}__deleted_at__isnull": True} if hasattr(parent.objects.all(), "alive") else {}
                return qs.filter(**{f"{scope.via}__isnull": False}, **alive)
            return qs.filter(**{f"{scope.via}__in": parent.objects.visible_to(user).values("pk")})
        if scope.read_all and user.can(scope.read_all):
            return qs
        members = user.scope_units()
        if scope.needs_unit and not members:
            return qs.none()
        if scope.units or scope.assisting:
            units = members.units().values("pk")
            q = Q()
            for field in scope.units:
                q |= Q(**{f"{field}__in": units})
            for path in scope.assisting:
                q |= _assisting_q(self.model, path, units)
            qs = qs.filter(q)
        elif scope.restrict is None:
            return qs.none()
        return scope.restrict(qs, user) if scope.restrict else qs
