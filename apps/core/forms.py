"""Form helpers every app's views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError


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


def mark_required(form, *names) -> None:
    """Show fields as required (the * and aria-required) while leaving them optional to the form, so that the
    service, which checks everything at once, reports an empty one together with every other problem."""
    for name in names:
        field = form.fields[name]
        field.marked_required = True
        field.widget.attrs["aria-required"] = "true"
