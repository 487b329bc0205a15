from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Errors answer in the two shapes the OpenAPI document states (apps/api/schema.py): a 400 is `Problems`, a list
    of Chinese messages under `detail` and a field's messages under its name; every other error is `Error`, one
    message under `detail`. Service-level ValidationErrors answer 400 with their messages, never 500."""
    if isinstance(exc, DjangoValidationError):
        data = {"detail": exc.messages}
        # A service that names the field at fault (a return without a comment): its messages are under the field's
        # name too, as the pages show them at the field; `detail` keeps every message for clients reading only it.
        for field, errors in getattr(exc, "error_dict", {}).items():
            if field not in ("__all__", "detail"):
                data[field] = [message for error in errors for message in error.messages]
        exc = ValidationError(data)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 400:
        if isinstance(response.data, list):  # ValidationError(["…"]) and a malformed request's ParseError
            response.data = {"detail": response.data}
        elif isinstance(response.data.get("detail"), str):
            response.data["detail"] = [response.data["detail"]]
    return response
