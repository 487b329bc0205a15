"""State changes of the story book (R-506): its settings and preface, a new build (in the background), sending a
build for approval, and recording a print run. Each checks permission, validates at the field, and writes in one
transaction with its audit row. The book is the centre's: its people edit and build; its admins approve (not their
own submission)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.services import approval_submit
from apps.audit.services import audit_record
from apps.book.build import chapters_of
from apps.book.models import Book, BookBuild, PrintRun
from apps.campaigns.models import Campaign
from apps.core.errors import NotFound, ensure
from apps.core.numbering import next_number
from apps.orgs.models import Org, User
from apps.orgs.permissions import works_at
from apps.publicity import stories

ABANDONED_AFTER = dt.timedelta(minutes=30)
PREFACE_MAX = 20000


def centre() -> Org | None:
    return Org.plain.filter(kind=Org.Kind.CENTER).first()


def can_edit(user) -> bool:
    org = centre()
    return org is not None and works_at(user, org)


def book_of(campaign: Campaign) -> Book:
    book = Book.plain.filter(campaign=campaign).first()
    if book is None:
        book, _created = Book.plain.get_or_create(campaign=campaign, defaults={"org": centre()})
    return book


def book_update(*, book: Book, by: User, title: str, preface: str, page_size: str, bleed_mm) -> Book:
    ensure(can_edit(by), NotFound)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写书名")]
    elif len(title) > 60:
        errors["title"] = [_("书名最多60字")]
    safe = stories.clean(preface)
    if len(safe) > PREFACE_MAX:
        errors["preface"] = [_("前言过长，请精简到%(n)d字以内") % {"n": PREFACE_MAX // 2}]
    if page_size not in Book.PageSize.values:
        errors["page_size"] = [_("请选择开本")]
    try:
        bleed = int(bleed_mm)
    except (TypeError, ValueError):
        bleed = -1
    if not 0 <= bleed <= 5:
        errors["bleed_mm"] = [_("出血应为0至5毫米，印刷厂通常要求3毫米")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Book.plain.select_for_update().get(pk=book.pk)
        current.title, current.preface, current.page_size, current.bleed_mm = title, safe, page_size, bleed
        current.updated_by = by
        current.save()
        audit_record(actor=by, action="book.update", target=current, org=current.org,
                     data={"title": title, "page_size": page_size, "bleed_mm": bleed})
    return current


def book_build_request(*, book: Book, by: User) -> BookBuild:
    """A new build from the national list's published stories, queued with its task in one transaction."""
    from apps.book.tasks import build_story_book

    ensure(can_edit(by), NotFound)
    chapters, _missing = chapters_of(book.campaign)
    if not any(c.stories for c in chapters):
        raise ValidationError(_("全国故事集遴选名单中的案例尚无经中心审核发布的故事，暂不能生成故事集"))
    try:
        with transaction.atomic():
            Book.plain.select_for_update().get(pk=book.pk)
            cutoff = timezone.now() - ABANDONED_AFTER
            BookBuild.plain.filter(book=book, state__in=BookBuild.ACTIVE, requested_at__lt=cutoff).update(
                state=BookBuild.State.FAILED, finished_at=timezone.now(), problem=_("生成超时，已停止；请重新生成"))
            if BookBuild.plain.filter(book=book, state__in=BookBuild.ACTIVE).exists():
                raise ValidationError(_("故事集正在生成，请等待本次生成完成"))
            number = next_number(BookBuild.plain.filter(book=book))
            build = BookBuild.plain.create(book=book, org=book.org, number=number, requested_by=by)
            audit_record(actor=by, action="book.build", target=build, org=book.org, data={"number": number})
            result = build_story_book.enqueue(build.pk)
            BookBuild.plain.filter(pk=build.pk).update(task_id=str(result.id)[:64])
    except IntegrityError:
        raise ValidationError(_("故事集正在生成，请等待本次生成完成"))
    build.refresh_from_db()
    return build


def book_submit(*, build: BookBuild, by: User) -> BookBuild:
    """Send a finished build with its PDF to the centre's admin for approval as the version to print."""
    ensure(can_edit(by), NotFound)
    with transaction.atomic():
        current = BookBuild.plain.select_for_update().select_related("book").get(pk=build.pk)
        if current.state != BookBuild.State.BUILT or not current.pdf:
            raise ValidationError(_("只有已生成PDF的版本才能报送审核"))
        if current.review in (BookBuild.Review.PENDING, BookBuild.Review.APPROVED):
            raise ValidationError(_("该版本%(state)s") % {"state": current.get_review_display()})
        current.review = BookBuild.Review.PENDING
        current.save(update_fields=["review"])
        approval_submit(kind=BookBuild.APPROVAL_KIND, obj=current, by=by,
                        title=_("《%(title)s》第%(n)d次生成（付印审核）") % {"title": current.book.title,
                                                                     "n": current.number})
    return current


def approved_build(book: Book) -> BookBuild | None:
    """The build to print: the last one approved."""
    from apps.approvals.models import ApprovalRequest

    last = (ApprovalRequest.plain.filter(kind=BookBuild.APPROVAL_KIND, thread=f"book:{book.pk}",
                                         state=ApprovalRequest.State.APPROVED).order_by("-decided_at", "-id").first())
    return BookBuild.plain.filter(pk=last.object_id).first() if last else None


def print_run_record(*, book: Book, by: User, copies, printer: str, printed_on: dt.date | None,
                     pdf_sha256: str) -> PrintRun:
    """Record a print run of the approved build; the checksum the printer was given must be the approved PDF's."""
    ensure(can_edit(by), NotFound)
    errors: dict[str, list[str]] = {}
    build = approved_build(book)
    if build is None:
        raise ValidationError(_("尚无审核通过的付印版本，不能登记印刷"))
    try:
        copies = int(copies)
    except (TypeError, ValueError):
        copies = 0
    if copies < 1:
        errors["copies"] = [_("请填写印数（正整数）")]
    printer = (printer or "").strip()
    if not printer:
        errors["printer"] = [_("请填写印刷单位")]
    elif len(printer) > 100:
        errors["printer"] = [_("印刷单位最多100字")]
    if printed_on is None:
        errors["printed_on"] = [_("请填写印刷日期")]
    elif printed_on > timezone.localdate():
        errors["printed_on"] = [_("印刷日期不能晚于今天")]
    if (pdf_sha256 or "").strip().lower() != build.pdf_sha256:
        errors["pdf_sha256"] = [_("校验值与审核通过的付印版本不一致：付印文件应为第%(n)d次生成的PDF（校验值%(sha)s）") % {
            "n": build.number, "sha": build.pdf_sha256}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        run = PrintRun.plain.create(build=build, org=book.org, copies=copies, printer=printer, printed_on=printed_on,
                                    pdf_sha256=build.pdf_sha256, recorded_by=by)
        audit_record(actor=by, action="book.print", target=run, org=book.org,
                     data={"build": build.number, "copies": copies, "printer": printer, "sha256": build.pdf_sha256})
    return run
