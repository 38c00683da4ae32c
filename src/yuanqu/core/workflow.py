"""One workflow engine for every register's state machine (督办单 first; project stages, grid events,
requests, petitions and inspections next).

A register declares a `Workflow`: its model, the state field, the event model its timeline rows go
to, and a table of `Transition`s (from-states, to-state, action and label, who may, what is
required, hooks). `Workflow.transition()` then does, in one transaction and in this order:

    lock the row → check the version → allowed from the current state? → may this actor? →
    requirements met? → the transition's own checks → set the state and fields → bump the version →
    one event row → one ChangeRecord → the side-effect hook (notifications)

Every refusal raises ApplicationError (PermissionDeniedError, ConflictError) with a Chinese message
and writes nothing. `Workflow.available(user, obj)` lists what this user may do now, for buttons
and the API. Why our own table rather than django-fsm-2: docs/architecture.md, "Workflow engine".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError, PermissionDeniedError
from .history import new_change, snapshot
from .models import ChangeRecord
from .services import check_version


class WorkflowEvent(models.Model):
    """The timeline row every workflow writes: one per transition. A register declares its own with
    `WorkflowEvent.of(...)`: the foreign key to its item (named by `Workflow.event_fk`) and the
    fields' choices; a register whose columns differ (narrower, named 阶段) declares those itself."""

    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["time", "id"]

    @classmethod
    def of(cls, item: type[models.Model], fk: str, *, actions: type[models.TextChoices] | None = None,
           states: type[models.TextChoices] | None = None, related_name: str = "events",
           verbose_name=None) -> type[WorkflowEvent]:
        """An abstract base for one register's timeline: `fk` points at `item` (deleted with it, its
        rows under `related_name`), and `action`, `from_state`, `to_state` take the register's
        choices when given. The register subclasses it and gives its Meta (WorkflowEvent.Meta's)."""
        attrs = {
            "__module__": cls.__module__,
            "Meta": type("Meta", (cls.Meta,), {"abstract": True}),
            fk: models.ForeignKey(item, verbose_name=verbose_name, on_delete=models.CASCADE,
                                  related_name=related_name),
        }
        if actions is not None:
            attrs["action"] = models.CharField(_("操作"), max_length=30, choices=actions.choices)
        if states is not None:
            attrs["from_state"] = models.CharField(_("原状态"), max_length=30, choices=states.choices, blank=True)
            attrs["to_state"] = models.CharField(_("新状态"), max_length=30, choices=states.choices, blank=True)
        return type(cls)(f"{item.__name__}Timeline", (cls,), attrs)


@dataclass(frozen=True)
class Requirement:
    """A value the transition needs in `data`; blank (None, "", spaces, []) is refused with `message`."""

    key: str
    message: str


@dataclass
class Step:
    """One transition under way, handed to the hooks."""

    workflow: Workflow
    transition: Transition
    obj: models.Model
    actor: Any
    data: dict
    from_state: str
    to_state: str
    at: dt.datetime
    comment: str = ""
    event: models.Model | None = None
    extra: dict = field(default_factory=dict)  # what hooks hand to later hooks (a created request ...)


Predicate = Callable[[Any, Any], bool]
Hook = Callable[[Step], None]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # Chinese verb used in messages and the history ("交办")
    sources: tuple[str, ...]
    target: str | None  # None: the state stays (催办)
    may: Predicate  # (user, obj) -> bool; user None is the system itself (demo, commands)
    requires: tuple[Requirement, ...] = ()
    check: Hook | None = None  # further rules; raises ApplicationError
    apply: Hook | None = None  # sets fields (and writes rows that belong to the step) before saving
    effect: Hook | None = None  # after everything is written: notifications
    describe: Callable[[Step], str] | None = None  # the event's text; default the comment
    fields: tuple[str, ...] = ()  # other fields the step changes, shown in the change record
    comment_key: str = "comment"  # which of `data` is the step's free text


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def refused(state_label: str, verb: str) -> str:
    """The default refusal of a step from the wrong state: it names the state and the action."""
    return f"当前状态为“{state_label}”，不能{verb}。"


class Workflow:
    """A model's transition table and the one way to move its state."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        transitions: Iterable[Transition],
        event_model: type[models.Model],
        event_fk: str,
        state_field: str = "state",
        subject: Callable[[models.Model], models.Model] | None = None,
        event_states: Callable[[Step], tuple[str, str]] | None = None,
        lock: Callable[[int], models.Model] | None = None,
        name: Callable[[models.Model], str] | None = None,
        refusal: Callable[[models.Model, Transition], str] | None = None,
        denial: Callable[[models.Model, Transition], str] | None = None,
    ):
        self.model = model
        self.transitions = {t.action: t for t in transitions}
        self.event_model = event_model
        self.event_fk = event_fk
        self.state_field = state_field
        self._subject = subject or (lambda obj: obj)
        self._event_states = event_states or (lambda step: (step.from_state, step.to_state))
        self._lock = lock or (lambda pk: model.objects.select_for_update().get(pk=pk))
        self._name = name or str
        self._refusal = refusal or (lambda obj, t: refused(self.state_label(obj), t.label))
        self._denial = denial or (lambda obj, t: f"您无权{t.label}。")
        self.versioned = any(f.name == "version" for f in model._meta.concrete_fields)

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def __contains__(self, action) -> bool:
        return action in self.transitions

    def __iter__(self):
        return iter(self.transitions.values())

    def state(self, obj) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, obj) -> str:
        return str(getattr(obj, f"get_{self.state_field}_display")())

    def available(self, user, obj) -> list[Transition]:
        """The transitions this user may take on the object now (state and who; not the inputs)."""
        state = self.state(obj)
        return [t for t in self if state in t.sources and t.may(user, obj)]

    @transaction.atomic
    def transition(self, obj: models.Model | int, action: str, *, actor, expected_version=None,
                   at: dt.datetime | None = None, **data) -> Step:
        """Apply one transition; a refusal raises and writes nothing. Returns the step (its `obj`,
        `event` and whatever the hooks left in `extra`)."""
        rule = self._rule(action)
        obj = self._lock(obj.pk if isinstance(obj, models.Model) else obj)
        if self.versioned:
            check_version(obj, expected_version, name=self._name(obj), verb="处理")
        step, event, change = self._step(obj, rule, actor, data, at or timezone.now())
        obj.save()
        event.save()
        step.event = event
        if change is not None:
            change.save()
        if rule.effect:
            rule.effect(step)
        return step

    def replay(self, obj: models.Model, actions: Iterable[str], *, actor, at: dt.datetime | None = None,
               history: bool = True, **data) -> tuple[list[models.Model], list[ChangeRecord]]:
        """Take the steps on a record not yet saved, or created by this transaction (an import
        bringing new rows to their stage), with every check `transition()` makes, but without a
        lock and without writing: the object's state, fields and version change in memory, and its
        events and change records are returned for the caller to save in bulk. `history=False`
        leaves the change records out (the caller records the steps in the record's creation). A
        transition with an effect hook cannot be replayed."""
        events, changes = [], []
        for action in actions:
            rule = self._rule(action)
            if rule.effect:
                raise ValueError(f"{action} has an effect hook: use transition()")
            _step, event, change = self._step(obj, rule, actor, data, at or timezone.now(), history)
            events.append(event)
            if change is not None:
                changes.append(change)
        return events, changes

    def _rule(self, action: str) -> Transition:
        rule = self.transitions.get(action)
        if rule is None:
            raise ApplicationError(f"未知的操作“{action}”。")
        return rule

    def _step(self, obj, rule: Transition, actor, data: dict, at: dt.datetime, history: bool = True):
        """Check and apply one step in memory: the step, its unsaved event and change record."""
        from_state = self.state(obj)
        if from_state not in rule.sources:
            raise ApplicationError(self._refusal(obj, rule))
        if not rule.may(actor, obj):
            raise PermissionDeniedError(self._denial(obj, rule))
        for need in rule.requires:
            if _blank(data.get(need.key)):
                raise ApplicationError(need.message, field=need.key)
        comment = (data.get(rule.comment_key) or "").strip()
        step = Step(self, rule, obj, actor, data, from_state, rule.target or from_state, at, comment)
        if rule.check:
            rule.check(step)

        watched = [self.state_field, *rule.fields]
        before = snapshot(obj, watched) if history else {}
        setattr(obj, self.state_field, step.to_state)
        if rule.apply:
            rule.apply(step)
        after = snapshot(obj, watched) if history else {}
        if self.versioned:
            # The version is part of the record, so a step that changes nothing else is still one.
            before["version"] = obj.version
            obj.version += 1
            after["version"] = obj.version
        elif before == after:
            before = None  # a same-state step on an unversioned model: still one record

        event_from, event_to = self._event_states(step)
        event = self.event_model(
            **{self.event_fk: self._subject(obj)}, action=rule.action, from_state=event_from, to_state=event_to,
            actor=actor if getattr(actor, "pk", None) else None, time=step.at,
            comment=rule.describe(step) if rule.describe else comment,
        )
        if not history:
            return step, event, None
        note = rule.label if not event.comment else f"{rule.label}：{event.comment}"
        change = new_change(actor=actor, obj=obj, action=ChangeRecord.Action.UPDATE, before=before, after=after,
                            note=note[:2000])
        return step, event, change
