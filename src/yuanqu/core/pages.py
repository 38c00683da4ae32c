"""Small pieces every app's views share."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import ApplicationError, PermissionDeniedError


def require_ability(user, ability: str, message: str = "只有督查室或系统管理员可以访问此页面。") -> None:
    """Pages and actions for the holders of an ability only (403 otherwise)."""
    if not user.can(ability):
        raise PermissionDenied(message)


def is_partial(request) -> bool:
    """An htmx request for a fragment (a history restore after a cache miss needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def apply_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's message on the field it names, else on the form."""
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


def save_form(request, form, save, done, *, denied_is_403: bool = False):
    """A form page's write: a valid form's data and the version the user saw go to
    `save(data, version)` (the app's service, returning the saved record), and the page gets `done`
    as its message (or `done(record)`); returns the record, or None when the form or the service
    refused — the service's refusal on the field it names (`apply_service_error`). `denied_is_403`:
    a refused right is the 403 page rather than a message on the form."""
    if not form.is_valid():
        return None
    try:
        result = save(form.service_data(), form.cleaned_data.get("expected_version"))
    except PermissionDeniedError as exc:
        if not denied_is_403:
            apply_service_error(form, exc)
            return None
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        apply_service_error(form, exc)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


def form_page(request, form, save, done, *, then: str, template: str, context: dict | None = None):
    """A page adding or editing one record: a POST goes through `save_form` (`save(data, version)`
    returning the record, `done` its message) and on to the record's page (`then`, a URL name taking
    its pk); a GET, or a refused POST, shows `template` with the form and `context`."""
    saved = request.method == "POST" and save_form(request, form, save, done)
    if saved:
        return redirect(then, pk=saved.pk)
    return render(request, template, {"form": form, **(context or {})})


def announce(request, run, done, *, denied_is_403: bool = False) -> bool:
    """A button's write (a POST answered with a redirect): `run()` calls the app's service; the page
    then says `done` (or `done(result)`), or the service's refusal as an error. True when it ran.
    `denied_is_403`: a refused right is the 403 page."""
    try:
        result = run()
    except PermissionDeniedError as exc:
        if denied_is_403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return False
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True


def file_download(stored, name: str) -> FileResponse:
    """A stored file (a FileField's value) as a download under its own (Chinese) name; 404 once the
    file is gone. Callers find its record through their scoped queryset first."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name)


class StyledForm(forms.Form):
    """A page form with Bootstrap classes on every widget, by kind, and the version the user saw
    (`expected_version`, hidden); `service_data()` is what the service takes."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}


class RecordForm(forms.ModelForm):
    """A page form over a register's model for `save_form`: the version the user saw
    (`expected_version`, hidden) and, as the service's data, the model's fields in `Meta.fields`
    (the register's `WRITABLE_FIELDS`; a page's own extra fields, such as projects' planned dates,
    are its view's to read). The form shapes input only: the service validates the model, so pages,
    the API and imports word a refusal alike."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        # An edit without the version it was opened at (a page from before an upgrade, a hand-made
        # post) would skip the version check and could overwrite another's save: refuse it.
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("expected_version") is None and "expected_version" not in self.errors:
            raise forms.ValidationError(_("页面已过期，请刷新页面后重新操作。"))
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}

    def _post_clean(self):
        pass  # no model validation here: the service's full_clean words it
