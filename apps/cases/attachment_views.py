"""Pages of a case's files: the panel, upload, remove, and the permission-checked file responses.

Files are never served from MEDIA_URL: each response checks who asks, answers 404 alike for missing and
foreign files, and sends the stored content type with `nosniff` and a sandboxing CSP: no script ever runs in
a served file. The file view answers single HTTP Range requests (206) so a browser can seek in a video.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.cases import attachment_services as services
from apps.cases.attachment_permissions import (
    access_attachment,
    access_case_files,
    can_change_case_files,
)
from apps.cases.models import CaseAttachment
from apps.core.errors import NotFound
from apps.core.files import shown_name

INLINE_TYPES = ("image/", "video/")
# A download (a PDF, a PPTX) is never shown as a page: the strictest policy, a bare `sandbox` (opaque origin).
DOWNLOAD_CSP = "default-src 'none'; media-src 'self'; img-src 'self'; sandbox"
# An image or a video opened on its own tab is shown by the browser's own viewer, which the policy must let
# work (checked in Chromium by tests/browser/test_attachment_view.py):
# - the video viewer fetches the file again in CORS mode; under a bare `sandbox` its origin is "null", so that
#   fetch is cross-origin and blocked. `allow-same-origin` keeps the origin; without `allow-scripts` no
#   script runs in the file all the same.
# - the image viewer centres the picture with inline styles, hence style-src 'unsafe-inline' (styles only).
INLINE_CSP = ("default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; "
              "sandbox allow-same-origin")
STREAM_CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _case_attachments(case):
    return CaseAttachment.objects.filter(case=case).order_by("kind", "position", "id")


def _panel_context(request, case, errors=(), notes=()):
    return {"case": case, "attachments": _case_attachments(case),
            "can_edit": can_change_case_files(request.user, case), "panel_errors": list(errors),
            "panel_notes": list(notes),
            # Where the no-JavaScript forms return: the page the panel sits in, also after an htmx swap.
            "back": request.POST.get("next", "") if request.method == "POST" else ""}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request, case) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("cases:attachment_list", kwargs={"case_pk": case.pk})
    return HttpResponseRedirect(target)


def _answer(request, case, errors: list[str], notes: list[str]):
    """htmx swaps the panel in place with its messages; without JavaScript the page reloads with them."""
    if _is_htmx(request):
        return render(request, "cases/attachments_panel.html", _panel_context(request, case, errors, notes))
    for text in errors:
        messages.error(request, text)
    for text in notes:
        messages.success(request, text)
    return _back(request, case)


@login_required
@require_GET
def attachment_list(request, case_pk):
    """A case's files by kind, with upload and remove while the case is with its association."""
    case = access_case_files(request.user, case_pk)
    return render(request, "cases/attachment_list.html", _panel_context(request, case))


@login_required
@require_POST
def attachment_upload(request, case_pk):
    """One or more files of one kind; each is checked on its own, refused files change nothing."""
    case = access_case_files(request.user, case_pk)
    kind = request.POST.get("kind", "")
    uploads = request.FILES.getlist("file")
    errors: list[str] = []
    notes: list[str] = []
    if not uploads:
        uploads = [None]
    for upload in uploads:
        try:
            attachment = services.attachment_add(case=case, kind=kind, upload=upload, by=request.user)
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            notes.append(_("已上传“%(name)s”") % {"name": attachment.name})
    return _answer(request, case, errors, notes)


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = access_attachment(request.user, pk)
    case = attachment.case
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as exc:
        return _answer(request, case, exc.messages, [])
    return _answer(request, case, [], [_("已删除“%(name)s”") % {"name": attachment.name}])


def _headers(response, *, content_type: str, inline: bool, filename: str):
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP if inline else DOWNLOAD_CSP
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["Accept-Ranges"] = "bytes"
    return response


def _open(field_file):
    if not field_file.name:
        raise NotFound()
    try:
        return field_file.storage.open(field_file.name, "rb")
    except (FileNotFoundError, OSError):
        raise NotFound()


def _byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one satisfiable range; None to send the whole file; False when unsatisfiable."""
    match = _RANGE.match(header.strip())
    if match is None:
        return None  # several ranges or another unit: the whole file is a valid answer
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _ranged(handle, first: int, last: int):
    handle.seek(first)
    left = last - first + 1
    try:
        while left > 0:
            chunk = handle.read(min(STREAM_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def serve_stored_file(request, field_file, *, content_type: str, inline: bool, filename: str):
    handle = _open(field_file)
    size = handle.size
    wanted = _byte_range(request.headers.get("Range", ""), size) if request.headers.get("Range") else None
    if wanted is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _headers(response, content_type=content_type, inline=inline, filename=filename)
    if wanted is not None:
        first, last = wanted
        response = StreamingHttpResponse(_ranged(handle, first, last), status=206)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        return _headers(response, content_type=content_type, inline=inline, filename=filename)
    response = FileResponse(handle)
    response["Content-Length"] = str(size)
    return _headers(response, content_type=content_type, inline=inline, filename=filename)


@login_required
@require_GET
def attachment_file(request, pk):
    """The stored file: inline for images and video, as a download for documents."""
    attachment = access_attachment(request.user, pk)
    inline = attachment.content_type.startswith(INLINE_TYPES)
    return serve_stored_file(request, attachment.file, content_type=attachment.content_type, inline=inline,
                             filename=shown_name(attachment.name))


@login_required
@require_GET
def attachment_thumb(request, pk):
    attachment = access_attachment(request.user, pk)
    stem = attachment.name.rsplit(".", 1)[0]
    return serve_stored_file(request, attachment.thumbnail, content_type="image/jpeg", inline=True,
                             filename=f"{stem}-thumb.jpg")
