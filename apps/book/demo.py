"""Demo story book (R-506): the centre locks the national story list the solver proposes from the provinces' sent
lists; each full province writes, reviews and publishes (with the centre's approval) the stories of some of its
listed cases; the centre's editor sets the preface, builds the book (Word and PDF where this machine can make PDFs),
and sends the build for approval, which the centre's admin gives. No print run yet: R-506 waits for the printing.
Runs after seed_publications; idempotent."""

from __future__ import annotations

from django.db import transaction

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_approve
from apps.book.build import book_build, national_list
from apps.book.models import Book
from apps.book.services import book_build_request, book_of, book_submit, book_update
from apps.campaigns.models import Campaign, Programme
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.orgs.models import Membership
from apps.publication.models import Publication
from apps.publication.services import publication_submit
from apps.publicity.models import Story
from apps.publicity.selectors import province_list_cases
from apps.publicity.services import story_move, story_save
from apps.rounds.models import Round
from apps.selection import services as selection

PER_PROVINCE = 8
PREFACE = ("<p>企业是科技创新的主体。本书收录全国企业典型创新案例征集及宣讲活动中遴选出的企业创新故事，"
           "记录企业在技术攻关、工艺改进和组织变革中的探索与收获。</p>"
           "<p>感谢各省科协、园区科协和企业科协的组织推荐，感谢每一位讲述者。</p>")


def _approve(publication: Publication, by) -> None:
    approval_approve(request=ApprovalRequest.plain.get(kind=Publication.APPROVAL_KIND, object_id=publication.pk),
                     by=by)


def seed_book(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Book.plain.filter(campaign=campaign).exists():
        return []
    story_round = Round.plain.filter(programme__campaign=campaign, kind="national_story").first()
    brand = Programme.plain.filter(campaign=campaign, kind=Programme.Kind.BRAND).select_related("org").first()
    admin = demo_admin(brand.org) if brand else None
    editor = (Membership.plain.filter(org=brand.org, role=Membership.Role.STAFF, is_active=True)
              .select_related("user").first() if brand else None)
    if story_round is None or admin is None or editor is None:
        return []
    if story_round.state == Round.State.OPEN:
        found = selection.list_propose(story_round)
        if found.infeasible:
            return []
        selection.list_adopt(round=story_round, by=admin, case_ids=found.chosen)
        selection.list_lock(round=story_round, by=admin)
    listed = set(national_list(campaign).case_ids)
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org").first()
        province_admin = demo_admin(programme.org) if programme else None
        if province_admin is None:
            continue
        cases = [c for c in province_list_cases(programme) if c.pk in listed][:PER_PROVINCE]
        with transaction.atomic():
            for case in cases:
                story = Story.plain.filter(programme=programme, case=case).first()
                if story is not None and Publication.plain.filter(kind="story", object_id=story.pk).exists():
                    continue  # sent already by the publication seeder: published, waiting or returned
                body = (f"<h3>背景</h3><p>{case.enterprise.name}面对行业转型压力，把创新作为发展的第一动力。</p>"
                        f"<h3>主要做法</h3><p>围绕“{case.title}”，企业组建跨部门团队，<strong>边试点边推广</strong>。</p>"
                        "<h3>成效</h3><p>项目落地后，效率和质量同步提升，经验在园区内推广。</p>")
                story = story_save(programme=programme, case_id=case.pk, by=province_admin, title=case.title,
                                   form="introduction", body=body)
                story = story_move(story=story_move(story=story, by=province_admin, to="edited"),
                                   by=province_admin, to="reviewed")
                _approve(publication_submit(programme=programme, kind="story", object_id=story.pk,
                                            by=province_admin), admin)
    book = book_of(campaign)
    book_update(book=book, by=editor.user, title=book.title, preface=PREFACE, page_size=Book.PageSize.K16,
                bleed_mm=3)
    built = book_build(book_build_request(book=book, by=editor.user).pk)
    if built is not None and built.pdf:
        book_submit(build=built, by=editor.user)
        approval_approve(request=ApprovalRequest.plain.get(kind="book_build", object_id=built.pk), by=admin)
    return []
