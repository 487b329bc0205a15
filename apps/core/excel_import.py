"""The page that takes a filled-in .xlsx and imports it, one way for every import (the org tree, the cases,
the little-giant lists).

The view answers who may import first, with its own accessor (`access_import`, `access_case_import`, …:
the same 404 as for no such page), and then hands the rest to `excel_import`:

- GET shows the empty form (the file, and whatever else the page asks for, such as a batch);
- POST binds the form; a form problem (no file, an empty file) shows at its field;
- the service reads the whole file and writes all rows or none. A ValidationError that names fields (the
  batch chosen) shows at those fields; one that names none is the file's problems, row by row ("第3行：…"),
  listed above the form. Everything chosen on the form stays chosen (a browser never refills a file input);
- on success the page either shows the service's summary, or `done(result)` answers instead (a redirect
  with a message, for an import whose result has a page of its own).

The page's template extends core/excel_import.html, which lays out the problems, the summary and the two
steps (download the template, upload the filled file); the page fills in its own words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.forms import show_service_error

TEMPLATE = "core/excel_import.html"


def excel_import(request: HttpRequest, *, form_class: type[forms.Form], run: Callable[[UploadedFile, Any], Any],
                 template: str, context: dict[str, Any], form_kwargs: dict[str, Any] | None = None,
                 done: Callable[[Any], HttpResponse] | None = None) -> HttpResponse:
    """Show the import page, or import the uploaded file with `run(upload, form)` (the form is valid then;
    `run` calls one service with the file, upload.name and what else the form holds).

    `template` extends core/excel_import.html; it gets `context` plus `form`, `errors` (the file's
    problems, a list of texts) and `summary` (what `run` returned, when `done` is not given)."""
    form_kwargs = form_kwargs or {}
    form = form_class(**form_kwargs)
    errors = summary = None
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = run(upload, form)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    show_service_error(form, exc)
                else:
                    errors = exc.messages
            else:
                if done is not None:
                    return done(result)
                summary = result
    return render(request, template, {**context, "form": form, "errors": errors, "summary": summary})
