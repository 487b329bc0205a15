"""The indicator of the story book (R-506), on the brand programme: copies printed of the approved build against
the campaign's print run (1,500), with the stories the approved build holds against the campaign's number (100).
Registered in BookConfig.ready."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.book.models import Book, PrintRun
from apps.book.services import approved_build
from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.campaigns.models import Programme


def story_book(m: Measuring) -> Indicator:
    campaign = m.programme.campaign
    need_copies, need_stories = campaign.print_copies, campaign.stories
    book = Book.plain.filter(campaign=campaign).first()
    build = approved_build(book) if book else None
    printed = (PrintRun.plain.filter(build__book=book).aggregate(n=Sum("copies"))["n"] or 0) if book else 0
    notes = []
    if build is None:
        notes.append(_("尚无审核通过的付印版本"))
    elif len(build.contents) < need_stories:
        notes.append(_("付印版本收录%(n)d篇，少于%(need)d篇") % {"n": len(build.contents), "need": need_stories})
    met = build is not None and len(build.contents) >= need_stories and printed >= need_copies
    return Indicator(
        rule="R-506", title=_("《企业创新故事集》印刷"), target=need_copies, value=printed,
        target_text=_("收录%(s)d篇，印刷 ≥ %(c)d册") % {"s": need_stories, "c": need_copies},
        value_text=_("已印%(c)d册") % {"c": printed},
        status=m.status(met, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("故事集"), reverse("book:home")),), notes=tuple(notes))


register("R-506", story_book, kinds=(Programme.Kind.BRAND,))
