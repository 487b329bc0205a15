"""Documents built in the background (the case collection R-306, the story book R-506): one abstract model for a
build's state and progress, which its task writes as it goes and its page polls, and the two steps every such build
ends with (storing its Word and PDF files with their SHA-256) or is read through (downloading one of them)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.scoping import ScopedModel

TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


class DocumentBuild(ScopedModel):
    """A build's state and progress. Subclasses add what they are built from and their `docx` and `pdf` files."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队等待")
        BUILDING = "building", _("正在生成")
        BUILT = "built", _("已生成")
        FAILED = "failed", _("生成失败")

    class Stage(models.TextChoices):
        WAITING = "waiting", _("等待开始")
        WORD = "word", _("正在生成Word文档")
        PDF = "pdf", _("正在排版PDF")
        SAVING = "saving", _("正在保存文件")
        DONE = "done", _("完成")

    ACTIVE = (State.QUEUED, State.BUILDING)

    number = models.PositiveIntegerField()
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.WAITING)
    done = models.PositiveIntegerField(default=0)  # stories laid out so far
    total = models.PositiveIntegerField(default=0)  # stories the build holds
    task_id = models.CharField(max_length=64, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)  # why the build failed, or why it has no PDF
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(ScopedModel.Meta):
        abstract = True

    @property
    def percent(self) -> int:
        """How far the build is, for the progress bar: Word is written story by story (up to 50); the PDF is laid
        out in one go (60 while it runs), then the files are stored (90)."""
        if self.state == self.State.BUILT:
            return 100
        if self.stage == self.Stage.PDF:
            return 60
        if self.stage == self.Stage.SAVING:
            return 90
        return 50 * self.done // self.total if self.total else 0


def store_documents(build: DocumentBuild, name: str, docx: bytes, pdf: bytes, pages: int | None,
                    problem: str | None) -> None:
    """Store the build's files (the PDF only when there is one) with their SHA-256, and mark it built."""
    build.docx.save(f"{name}.docx", ContentFile(docx), save=False)
    build.docx_sha256 = hashlib.sha256(docx).hexdigest()
    if pdf:
        build.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        build.pdf_sha256, build.pdf_pages = hashlib.sha256(pdf).hexdigest(), pages
    build.state, build.stage, build.finished_at = build.State.BUILT, build.Stage.DONE, timezone.now()
    build.problem = problem or ""
    build.save()


def document_response(build: DocumentBuild, kind: str, filename: str) -> FileResponse:
    """One of the build's files as a download; 404 for a kind it does not have."""
    field = {"docx": build.docx, "pdf": build.pdf}.get(kind)
    ensure(bool(field), NotFound)
    return stored_file_response(field, as_attachment=True, filename=filename, content_type=TYPES[kind])
