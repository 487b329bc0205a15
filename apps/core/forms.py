"""Form helpers every app's views share, and the two shapes of view that run one service: a button (a POST that
redirects with a message) and a form page (a valid POST runs the service; its refusal shows on the form)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def show_service_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where the form has one, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def message_service_error(request, exc: ValidationError) -> None:
    """Show each of a service's messages on the next page (views that redirect after a POST)."""
    for text in exc.messages:
        messages.error(request, text)


def message_form_errors(request, form) -> None:
    """Show each of an invalid form's errors on the next page (a form posted from a page that shows no errors)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _succeeded(request, result, success, then):
    """The success message (a text, or a function of the service's result giving a text or None for none) and the
    redirect to `then` (anything redirect() takes, or a function of the result giving it)."""
    text = success(result) if callable(success) else success
    if text is not None:
        messages.success(request, text)
    return redirect(then(result) if callable(then) else then)


def service_action(request, call, *, success, then, then_error=None):
    """A button that runs one service: `call()`, then a redirect to `then`. A ValidationError shows its messages on
    the page it redirects to: `then_error` where a refusal goes elsewhere (needed when `then` is a function of the
    result); otherwise `success` is shown."""
    try:
        result = call()
    except ValidationError as exc:
        message_service_error(request, exc)
        return redirect(then if then_error is None else then_error)
    return _succeeded(request, result, success, then)


def form_action(request, form, call, *, success, then):
    """A form page's POST: when the form is valid, `call()`, then `success` and the redirect to `then`. None comes
    back for a GET, an invalid form, or a ValidationError (put on the form): the view then shows the page."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as exc:
        show_service_error(form, exc)
        return None
    return _succeeded(request, result, success, then)


def mark_required(form, *names) -> None:
    """Show fields as required (the * and aria-required) while leaving them optional to the form, so that the
    service, which checks everything at once, reports an empty one together with every other problem."""
    for name in names:
        field = form.fields[name]
        field.marked_required = True
        field.widget.attrs["aria-required"] = "true"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's "Uploading multiple files"); `accept` is the input's
    accept attribute (apps.core.files.accept_attribute). The cleaned value is a list, empty when none was chosen."""

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
