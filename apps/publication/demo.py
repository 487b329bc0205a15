"""Demo publication (R-404) and a populated topic page: each full province sends its reviewed stories, its passing
topic videos, two media reports, its held events and its provincial list; the centre approves most of them, returns
one story with a comment, takes one report down, and leaves one story and one video waiting in its queue. The
centre's brand team sends its topic-page item and its approved brand deliverables. Runs after
the publicity, events and selection seeders; idempotent."""

from __future__ import annotations

from django.db import transaction

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_approve, approval_return
from apps.campaigns.approvals import centre_of
from apps.campaigns.models import Campaign, Programme
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.orgs.models import Membership
from apps.publication.models import Publication
from apps.publication.services import publication_submit, publication_take_down, topic_item_save
from apps.publication.sources import SOURCES


def _request(publication: Publication) -> ApprovalRequest:
    return ApprovalRequest.plain.get(kind=Publication.APPROVAL_KIND, object_id=publication.pk)


def seed_publications(password: str = "") -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Publication.plain.filter(campaign=campaign).exists():
        return []
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org", "campaign").first()
        admin = demo_admin(programme.org) if programme else None
        centre = demo_admin(centre_of(programme.org)) if programme else None
        if admin is None or centre is None:
            continue
        sent = []
        with transaction.atomic():
            for kind, limit in (("story", 10), ("video", 10), ("media_report", 2), ("event", 5),
                                ("selected_list", 3)):
                source = SOURCES[kind]
                items = [item for item in source.candidates(programme)[:20] if source.problem(item) is None][:limit]
                sent += [publication_submit(programme=programme, kind=kind, object_id=item.pk, by=admin)
                         for item in items]
            stories = [p for p in sent if p.kind == "story"]
            videos = [p for p in sent if p.kind == "video"]
            waiting = {p.pk for p in (stories[-1:] + videos[-1:])} if len(stories) > 1 else set()
            returned = stories[-2] if len(stories) > 2 else None
            for publication in sent:
                if publication.pk in waiting:
                    continue
                if publication == returned:
                    approval_return(request=_request(publication), by=centre,
                                    comment="请补充企业简介，并核对文中数据来源")
                    continue
                approval_approve(request=_request(publication), by=centre)
            reports = [p for p in sent if p.kind == "media_report"]
            if code == "510000" and reports:
                reports[0].refresh_from_db()
                publication_take_down(publication=reports[0], by=centre, reason="报道链接已失效")
            item = topic_item_save(programme=programme, by=admin, title=f"{programme.org.name}企业典型创新案例征集活动进展",
                                   body="<p>各地园区科协和企业科协积极推荐案例，省级遴选有序推进。</p>")
            approval_approve(request=_request(publication_submit(programme=programme, kind="topic_item",
                                                                 object_id=item.pk, by=admin)), by=centre)
    _centre_item(campaign)
    return []


def _centre_item(campaign) -> None:
    """The centre's own item on the topic page, written by a member of its brand team and approved by its admin."""
    brand = Programme.plain.filter(campaign=campaign, kind=Programme.Kind.BRAND).select_related("org").first()
    writer = (Membership.plain.filter(org=brand.org, role=Membership.Role.STAFF, is_active=True)
              .select_related("user").first() if brand else None)
    admin = demo_admin(brand.org) if brand else None
    if writer is None or admin is None:
        return
    with transaction.atomic():
        item = topic_item_save(programme=brand, by=writer.user, title="全国企业典型创新案例征集及宣讲活动全面展开",
                               body="<p>12个省（直辖市）同步开展案例征集、遴选和宣讲，首批案例故事已在本专栏发布。</p>")
        approval_approve(request=_request(publication_submit(programme=brand, kind="topic_item", object_id=item.pk,
                                                             by=writer.user)), by=admin)
        # The approved brand deliverables for the public: all published but the last, left in the queue.
        source = SOURCES["brand_deliverable"]
        ready = [d for d in source.candidates(brand) if source.problem(d) is None]
        for n, deliverable in enumerate(ready):
            sent = publication_submit(programme=brand, kind="brand_deliverable", object_id=deliverable.pk,
                                      by=writer.user)
            if n < len(ready) - 1:
                approval_approve(request=_request(sent), by=admin)
