"""A build of the story book as an approvable kind (R-506): the book's editor sends a built version to the centre's
admin; the approved build is the one to print (a later approval replaces it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.approvals.kinds import ApprovableKind
from apps.book.models import BookBuild

Review = BookBuild.Review


def _set(review: str):
    def apply(build: BookBuild, by, *comment) -> None:
        build.review = review
        build.save(update_fields=["review"])
    return apply


def _summary(build: BookBuild) -> list[str]:
    provinces = sorted({c["province"] for c in build.contents})
    return [_("收录故事%(n)d篇，%(p)d个省份") % {"n": len(build.contents), "p": len(provinces)},
            _("开本：%(size)s；出血：%(bleed)s毫米") % {"size": build.layout.get("page_size", ""),
                                                  "bleed": build.layout.get("bleed_mm", "")},
            _("PDF共%(n)s页，校验值%(sha)s") % {"n": build.pdf_pages or "—", "sha": build.pdf_sha256[:16] or "—"},
            _("请下载PDF通读后再审核；审核通过的版本即为付印版本")]


BOOK_BUILD = ApprovableKind(
    key=BookBuild.APPROVAL_KIND, label=gettext_lazy("故事集付印版本"), rule="R-506", model=BookBuild,
    submitter=lambda b: b.org, approver=lambda b: b.org,
    thread=lambda b: f"book:{b.book_id}",
    on_approve=_set(Review.APPROVED), on_return=_set(Review.RETURNED), on_withdraw=_set(Review.WITHDRAWN),
    url=lambda b: reverse("book:home"), summary=_summary,
)
