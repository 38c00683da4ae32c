"""A workflow step posted from a record's page: the buttons `Workflow.available()` offers post to
`<pk>/<action>/`, and this view takes the step through the register's service; `record_view` is
the page itself, for the readers the register checks.

    hazard_detail = record_view(check=_reader, record=_hazard_or_404, page=_hazard_page)
    hazard_act = step_view(record=_hazard_or_404, flow=services.HAZARD_FLOW, form=StepForm,
                           run=services.hazard_step, target="hazard", page=_hazard_page,
                           done="inspections:hazard")

The record is read in scope (404 outside it), an action its workflow lacks is a 404, the form's
non-empty values go to `run(actor=…, <target>=record, action=…, expected_version=…, **values)`;
a forbidden step is a 403, a refused one shows the record's page again with the message (400),
and a step taken says so and goes back to the record. A step view that does more (photos, a
phone page) stays the register's own.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .errors import ApplicationError, PermissionDeniedError
from .workflow import Workflow


def step_view(*, record, flow, form, run, target: str, page, done: str):
    """`record(user, pk)` the record in scope; `flow` its Workflow, or a function of the record
    giving it (a register with one flow per kind); `form` the step's form class (with
    `expected_version`); `page(request, record, error=…, status=…)` the record's page; `done` the
    URL name the step returns to (with pk)."""

    def workflow(obj) -> Workflow:
        return flow if isinstance(flow, Workflow) else flow(obj)

    @login_required
    @require_POST
    def act(request, pk: int, action: str):
        obj = record(request.user, pk)
        steps = workflow(obj)
        if action not in steps:
            raise Http404
        bound = form(request.POST)
        bound.is_valid()
        values = {k: v for k, v in bound.cleaned_data.items() if k != "expected_version" and v not in (None, "")}
        try:
            run(actor=request.user, **{target: obj}, action=action,
                expected_version=bound.cleaned_data.get("expected_version"), **values)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            return page(request, record(request.user, pk), error=exc.message, status=400)
        messages.success(request, f"已{steps[action].label}。")
        return redirect(done, pk=pk)

    return act


def record_view(*, check, record, page):
    """The record's own page, for `step_view`'s `record` and `page`: the reader checked
    (`check(user)` raising PermissionDenied), the record read in scope (404 outside it), shown."""

    @login_required
    def show(request, pk: int):
        check(request.user)
        return page(request, record(request.user, pk))

    return show


def step_buttons(flow, allowed, inputs: dict, *, key: str = "input", comment_labels: dict | None = None) -> list[dict]:
    """The record page's step buttons: each step of `flow` the user may take now (`allowed`), in the
    flow's order, with what it asks for and its style (`inputs[action] = (asks, style)`, the former
    under `key`) and, given `comment_labels`, its comment box's label (说明 unless named)."""
    buttons = []
    for step in flow:
        if step.action in allowed:
            asks, style = inputs[step.action]
            button = {"action": step.action, "label": step.label, key: asks, "style": style}
            if comment_labels is not None:
                button["comment_label"] = comment_labels.get(step.action, "说明")
            buttons.append(button)
    return buttons
