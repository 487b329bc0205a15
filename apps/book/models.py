"""《企业创新故事集》 (R-506): the book of the stories of the national story round's locked list, built as a Word
document for editors and a print-ready PDF. The book's text settings (title, preface, page size, bleed) are one row
per campaign; every build is kept with its SHA-256 and goes to the centre's admin for approval; the last approved
build is the one to print, and each print run records the build's checksum. docs/book.md describes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Campaign
from apps.core.builds import DocumentBuild
from apps.core.scoping import ScopedModel
from apps.orgs.models import Org


class Book(ScopedModel):
    class PageSize(models.TextChoices):
        A5 = "a5", _("A5（148×210毫米）")
        K16 = "16k", _("16开（185×260毫米）")

    campaign = models.OneToOneField(Campaign, models.CASCADE, related_name="book")
    org = models.ForeignKey(Org, models.PROTECT, related_name="+")  # the centre
    title = models.CharField(_("书名"), max_length=60, default="企业创新故事集")
    preface = models.TextField(_("前言"), blank=True)  # the safe rich-text subset of stories
    page_size = models.CharField(_("开本"), max_length=4, choices=PageSize.choices, default=PageSize.K16)
    bleed_mm = models.PositiveSmallIntegerField(_("出血（毫米）"), default=3)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        constraints = [models.CheckConstraint(condition=Q(bleed_mm__lte=5), name="book_bleed_at_most_5mm")]

    def __str__(self) -> str:
        return f"《{self.title}》"


class BookBuild(DocumentBuild):
    """One build: its state and progress (written by the task as it goes), the stories it holds in book order, the
    layout it was built with, both files with their SHA-256, and its approval."""

    APPROVAL_KIND = "book_build"

    class Review(models.TextChoices):
        NONE = "none", _("未报送")
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已审核通过")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    book = models.ForeignKey(Book, models.PROTECT, related_name="builds")
    org = models.ForeignKey(Org, models.PROTECT, related_name="+")
    contents = models.JSONField(default=list)  # [{"publication", "case", "title", "province"}] in book order
    layout = models.JSONField(default=dict)  # the title, page size and bleed it was built with
    docx = models.FileField(upload_to="book/%Y/", blank=True)
    pdf = models.FileField(upload_to="book/%Y/", blank=True)
    review = models.CharField(_("审核"), max_length=10, choices=Review.choices, default=Review.NONE)

    scope_path = "org__path"

    class Meta(DocumentBuild.Meta):
        abstract = False
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="bookbuild_number_once"),
            models.UniqueConstraint(fields=["book"], condition=Q(state__in=["queued", "building"]),
                                    name="bookbuild_one_active"),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="bookbuild_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"《{self.book.title}》第{self.number}次生成"


class PrintRun(ScopedModel):
    """A print run of an approved build (R-506): copies, printer, date, and the checksum of the PDF it printed."""

    build = models.ForeignKey(BookBuild, models.PROTECT, related_name="print_runs")
    org = models.ForeignKey(Org, models.PROTECT, related_name="+")
    copies = models.PositiveIntegerField(_("印数"))
    printer = models.CharField(_("印刷单位"), max_length=100)
    printed_on = models.DateField(_("印刷日期"))
    pdf_sha256 = models.CharField(_("印刷文件校验值"), max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "org__path"

    class Meta(ScopedModel.Meta):
        ordering = ["-printed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(copies__gte=1), name="printrun_copies_positive")]
