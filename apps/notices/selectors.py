"""Reads of the notice cascade (R-102) that pages, services and to-dos share."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ancestor_paths, subtree_q
from apps.notices.models import Notice, NoticeAttachment, NoticeDelivery
from apps.orgs.models import Org

ASSOCIATION = "association"
LEVEL_LABELS = {
    Org.Kind.CITY: _("市"),
    Org.Kind.COUNTY: _("区县"),
    ASSOCIATION: _("园区科协·企业科协"),
}
# The levels below an org, top down; the two association kinds form one level.
LEVELS_BELOW = {
    Org.Kind.CENTER: (Org.Kind.CITY, Org.Kind.COUNTY, ASSOCIATION),
    Org.Kind.PROVINCE: (Org.Kind.CITY, Org.Kind.COUNTY, ASSOCIATION),
    Org.Kind.CITY: (Org.Kind.COUNTY, ASSOCIATION),
    Org.Kind.COUNTY: (ASSOCIATION,),
}


def _level_of(kind: str) -> str:
    return ASSOCIATION if kind in Org.ASSOCIATIONS else kind


@dataclass
class OrgState:
    org: Org
    parent: Org | None
    delivery: NoticeDelivery | None

    @property
    def reached(self) -> bool:
        return self.delivery is not None

    @property
    def received(self) -> bool:
        return self.delivery is not None and self.delivery.received_at is not None

    @property
    def forwarded(self) -> bool:
        return self.delivery is not None and self.delivery.forwarded_at is not None


@dataclass
class Level:
    kind: str
    label: str
    forwards: bool
    orgs: list[OrgState] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.orgs)

    @property
    def delivered(self) -> int:
        return sum(s.reached for s in self.orgs)

    @property
    def received(self) -> int:
        return sum(s.received for s in self.orgs)

    @property
    def forwarded(self) -> int:
        return sum(s.forwarded for s in self.orgs)

    @property
    def done(self) -> int:
        return self.forwarded if self.forwards else self.received

    @property
    def missing(self) -> int:
        return self.total - self.done

    @property
    def not_reached(self) -> list[OrgState]:
        """Orgs the notice has not reached: the org above has not forwarded it."""
        return [s for s in self.orgs if not s.reached]

    @property
    def not_received(self) -> list[OrgState]:
        return [s for s in self.orgs if s.reached and not s.received]

    @property
    def not_forwarded(self) -> list[OrgState]:
        """Received (acknowledged) but not passed on."""
        return [s for s in self.orgs if s.received and not s.forwarded] if self.forwards else []

    @property
    def to_remind(self) -> list[Org]:
        """Orgs that have the notice and have not done their part: a reminder can make them act."""
        return [s.org for s in self.orgs if s.reached and not (s.forwarded if self.forwards else s.received)]

    @property
    def complete(self) -> bool:
        return self.missing == 0


@dataclass
class Cascade:
    notice: Notice
    root: Org
    root_delivery: NoticeDelivery | None
    levels: list[Level]

    @property
    def complete(self) -> bool:
        return all(level.complete for level in self.levels)


def notice_cascade(*, notice: Notice, root: Org, scoped: bool = True) -> Cascade:
    """Level by level below `root` (the issuer, or a city or county for its own part): who was
    reached, who acknowledged, who forwarded. Two queries whatever the size of the tree."""
    org_manager = Org.objects if scoped else Org.plain
    delivery_manager = NoticeDelivery.objects if scoped else NoticeDelivery.plain
    level_kinds = LEVELS_BELOW.get(root.kind, ())
    if root.is_municipality:  # no city level (直辖市): its districts are the first level below it
        level_kinds = tuple(k for k in level_kinds if k != Org.Kind.CITY)
    org_kinds = [k for lk in level_kinds for k in (Org.ASSOCIATIONS if lk == ASSOCIATION else (lk,))]
    orgs = list(
        org_manager.filter(subtree_q(root.path), kind__in=org_kinds, is_active=True)
        .only("id", "code", "name", "kind", "parent_id", "path", "depth").order_by("path")
    )
    deliveries = {
        d.org_id: d
        for d in delivery_manager.filter(Q(notice=notice) & subtree_q(root.path, "org__path"))
        .only("id", "org", "notice", "received_at", "forwarded_at", "delivered_at")
    }
    by_id = {o.pk: o for o in orgs}
    by_id[root.pk] = root
    levels = {k: Level(kind=k, label=str(LEVEL_LABELS[k]), forwards=NoticeDelivery.forwards(k)) for k in level_kinds}
    for org in orgs:
        levels[_level_of(org.kind)].orgs.append(OrgState(org, by_id.get(org.parent_id), deliveries.get(org.pk)))
    return Cascade(notice=notice, root=root, root_delivery=deliveries.get(root.pk),
                   levels=[levels[k] for k in level_kinds])


def cascade_root(notice: Notice, org: Org) -> Org:
    """Whose part of the cascade an org reads: the whole of it from the issuer up, else its own."""
    return notice.issuer if notice.issuer.is_under(org) else org


def notices_issued_by(org: Org) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(issuer=org)
        .annotate(
            delivered_count=Count("deliveries"),
            received_count=Count("deliveries", filter=Q(deliveries__received_at__isnull=False)),
        )
        .select_related("programme__campaign")
        .order_by("-created_at", "-id")
    )


def _state_q(state: str, kind: str) -> Q:
    forwards = NoticeDelivery.forwards(kind)
    if state == NoticeDelivery.State.TO_ACKNOWLEDGE:
        return Q(received_at__isnull=True)
    if state == NoticeDelivery.State.TO_FORWARD:
        return Q(received_at__isnull=False, forwarded_at__isnull=True) if forwards else Q(pk__in=[])
    if state == NoticeDelivery.State.DONE:
        return Q(forwarded_at__isnull=False) if forwards else Q(received_at__isnull=False)
    return Q()


def deliveries_received_by(org: Org, state: str = "") -> QuerySet[NoticeDelivery]:
    return (
        NoticeDelivery.objects.filter(Q(org=org) & _state_q(state, org.kind))
        .select_related("notice", "notice__issuer", "sender")
        .order_by("-delivered_at", "-id")
    )


def deliveries_to_act_on(org: Org) -> QuerySet[NoticeDelivery]:
    """The notices an org still has to acknowledge or forward (its to-dos)."""
    pending = Q(received_at__isnull=True)
    if NoticeDelivery.forwards(org.kind):
        pending |= Q(forwarded_at__isnull=True)
    return NoticeDelivery.objects.filter(Q(org=org) & pending).select_related("notice").order_by("notice__deadline", "id")


def chain_deliveries(notice: Notice, org: Org) -> QuerySet[NoticeDelivery]:
    """The deliveries of the orgs from the top of the chain down to `org` (their addenda reach it)."""
    return (
        NoticeDelivery.objects.filter(notice=notice, org__path__in=ancestor_paths(org.path))
        .select_related("org", "forwarded_by")
        .order_by("org__depth")
    )


def notice_attachments_for(notice: Notice, org_ids) -> QuerySet[NoticeAttachment]:
    return NoticeAttachment.objects.filter(notice=notice, added_by_org_id__in=list(org_ids)).order_by("created_at", "id")
