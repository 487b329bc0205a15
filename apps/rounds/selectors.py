"""Reads of rounds that pages, the API and other apps share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from apps.audit.models import AuditEntry
from apps.cases.models import Case
from apps.core.scoping import subtree_q
from apps.orgs.models import Org
from apps.rounds import similarity
from apps.rounds.kinds import TOP_DOWN
from apps.rounds.models import Round, RoundEntry

Decision = RoundEntry.Decision


def _counted(qs: QuerySet[Round]) -> QuerySet[Round]:
    return qs.annotate(
        total=Count("entries"),
        pending=Count("entries", filter=Q(entries__decision=Decision.PENDING)),
        passed=Count("entries", filter=Q(entries__decision=Decision.PASSED)),
        out=Count("entries", filter=Q(entries__decision=Decision.OUT)),
        returned=Count("entries", filter=Q(entries__decision=Decision.RETURNED)),
    )


def rounds_under(org: Org, *, place: str = "", kind: str = "") -> QuerySet[Round]:
    """The rounds of the org and the orgs below it; `place` keeps those whose org, or the org above it, has
    the text in its name (「西湖」 finds 西湖区; 「杭州」 finds 杭州市 and its districts)."""
    qs = Round.objects.filter(subtree_q(org.path, "org__path"))
    place = place.strip()
    if place:
        qs = qs.filter(Q(org__name__icontains=place) | Q(org__parent__name__icontains=place))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


# The level of a round, as a number to order by: TOP_DOWN's position of its kind.
LEVEL = models.Case(*[models.When(kind=k, then=models.Value(i)) for i, k in enumerate(TOP_DOWN)],
                    output_field=models.IntegerField())


def rounds_of(org: Org, *, place: str = "", kind: str = "") -> QuerySet[Round]:
    """rounds_under with their counts, newest campaign first, then level by level from the top (the org's
    own rounds first), places in tree order within a level (a city's districts together)."""
    return _counted(rounds_under(org, place=place, kind=kind)
                    .select_related("org__parent", "programme__campaign")
                    .annotate(level=LEVEL)
                    .order_by("-programme__campaign__year", "level", "org__path"))


@dataclass
class Level:
    year: int
    kind: str
    count: int

    @property
    def label(self) -> str:
        return Round.Kind(self.kind).label


def round_levels(org: Org, *, place: str = "") -> list[Level]:
    """How many rounds of each (campaign year, kind) rounds_under holds, in rounds_of's order: one query."""
    rows = (rounds_under(org, place=place).values("programme__campaign__year", "kind")
            .annotate(n=Count("id")).order_by())
    levels = [Level(r["programme__campaign__year"], r["kind"], r["n"]) for r in rows]
    return sorted(levels, key=lambda lv: (-lv.year, TOP_DOWN.index(lv.kind)))


def round_counts(round: Round) -> dict[str, int]:
    row = _counted(Round.plain.filter(pk=round.pk)).values("total", "pending", "passed", "out", "returned").first()
    return row or {"total": 0, "pending": 0, "passed": 0, "out": 0, "returned": 0}


def round_entries(round: Round, decision: str = "") -> QuerySet[RoundEntry]:
    """The received cases of a round, in the order they arrived, with what a list row shows."""
    qs = (RoundEntry.objects.filter(round=round)
          .select_related("case__enterprise__county", "case__recommender", "case__county", "decided_by",
                          "source__round__org")
          .prefetch_related("case__attachments")
          .order_by("id"))
    if decision:
        qs = qs.filter(decision=decision)
    return qs


def case_outcomes(case: Case) -> QuerySet[RoundEntry]:
    """What each level decided about a case, county first: round kind and org, decision, the reason
    (screened out) or comments (returned), and when. For the case page the submitter reads."""
    return (RoundEntry.objects.filter(case=case)
            .select_related("round__org", "decided_by")
            .order_by("-round__org__depth", "id"))


# -- flags ----------------------------------------------------------------------------------------

@dataclass
class Flag:
    kind: str  # "enterprise" | "similar"
    text: str
    rule: str = ""
    other_id: int | None = None
    other_title: str = ""
    other_county: str = ""
    other_visible: bool = False
    similarity: float = 0.0


def enterprise_counts(round: Round) -> dict[int, int]:
    """{enterprise id: cases of it in the round's list (not screened out)} for enterprises with several."""
    rows = (RoundEntry.plain.filter(round=round).exclude(decision=Decision.OUT)
            .values("case__enterprise_id").annotate(n=Count("id")).filter(n__gt=1))
    return {r["case__enterprise_id"]: r["n"] for r in rows}


def entry_flags(round: Round, entries: list[RoundEntry]) -> dict[int, list[Flag]]:
    """{entry id: flags}: several cases of one enterprise (allowed here, the city keeps one, R-108), and
    near-duplicate texts anywhere in the province (R-107). Of another org's case the flag names only the
    title and county; its text is for those whose scope holds it."""
    flags: dict[int, list[Flag]] = {e.pk: [] for e in entries}
    if not entries:
        return flags
    several = enterprise_counts(round)
    for e in entries:
        n = several.get(e.case.enterprise_id)
        if n:
            flags[e.pk].append(Flag("enterprise", _("同一企业在本名单中有%(n)d件案例（市级遴选每家企业最多1个）") % {"n": n},
                                    rule="R-108"))
    by_case = {e.case_id: e for e in entries}
    pairs = similarity.flagged_pairs(round.programme, by_case)
    if not pairs:
        return flags
    others = {p.other(c) for p in pairs for c in (p.a, p.b) if c in by_case}
    info = {row["id"]: row for row in Case.plain.filter(pk__in=others).values("id", "title", "county__name")}
    visible = set(Case.objects.filter(pk__in=others).values_list("pk", flat=True))
    for p in pairs:
        for mine in (p.a, p.b):
            if mine not in by_case:
                continue
            other = p.other(mine)
            row = info.get(other, {})
            flags[by_case[mine].pk].append(Flag(
                "similar", _("与“%(title)s”（%(county)s）文字高度相似（%(pct)d%%）") % {
                    "title": row.get("title", ""), "county": row.get("county__name", ""),
                    "pct": int(p.similarity * 100 + 0.5)},
                rule="R-107", other_id=other, other_title=row.get("title", ""),
                other_county=row.get("county__name", ""), other_visible=other in visible,
                similarity=p.similarity))
    return flags


# -- a flagged pair side by side ------------------------------------------------------------------

@dataclass
class PairSide:
    case: Case
    visible: bool
    fields: list[tuple[str, list[tuple[str, bool]]]]  # (label, highlighted runs); empty when not visible


def similar_pair(round: Round, a: int, b: int) -> tuple[list[PairSide], float] | None:
    """The two cases of a flagged pair, or None unless both are compared cases of the round's province,
    at least one is in the round's list and they really are above the threshold (so the page cannot be
    used to read titles of arbitrary cases)."""
    if a == b:
        return None
    cases = {c.pk: c for c in Case.plain.filter(similarity.province_cases_q(round.programme), pk__in=[a, b])
             .select_related("county", "enterprise", "recommender")}
    if len(cases) != 2:
        return None
    if not RoundEntry.plain.filter(round=round, case_id__in=[a, b]).exists():
        return None
    shared, score = similarity.shared_shingles(similarity.case_text(cases[a]), similarity.case_text(cases[b]))
    if score < similarity.THRESHOLD:
        return None
    visible = set(Case.objects.filter(pk__in=[a, b]).values_list("pk", flat=True))
    labels = [("title", Case._meta.get_field("title").verbose_name),
              ("abstract", Case._meta.get_field("abstract").verbose_name), *Case.SECTIONS]
    sides = []
    for pk in (a, b):
        case = cases[pk]
        fields = []
        if pk in visible:
            fields = [(str(label), similarity.highlight(getattr(case, name) or "", shared)) for name, label in labels]
        sides.append(PairSide(case=case, visible=pk in visible, fields=fields))
    return sides, score


# -- the lock of a round ------------------------------------------------------------------------------------------
# A lock is recorded once: by the move to "locked" (apps.rounds.services._move), whose audit row says who and when.
# A list round's locked list (apps.selection) keeps its own copy of the list, not a second record of the round.

def _locks() -> QuerySet[AuditEntry]:
    return AuditEntry.plain.filter(action="round.transition", target_type=Round._meta.label,
                                   data__contains='"to":"locked"')


@dataclass(frozen=True)
class LockRecord:
    at: dt.datetime
    by: str


def round_lock_record(round: Round) -> LockRecord | None:
    """When and by whom the round was last locked (None if never)."""
    row = _locks().filter(target_id=str(round.pk)).order_by("-id").values("created_at", "actor_id", "actor_label").first()
    if row is None:
        return None
    user = get_user_model().objects.filter(pk=row["actor_id"]).first() if row["actor_id"] else None
    return LockRecord(at=row["created_at"], by=user.display_name if user else (row["actor_label"] or _("系统")))


def with_locked_at(qs: QuerySet[Round]) -> QuerySet[Round]:
    """`locked_at` on each round: when it was last locked (None if never)."""
    last = _locks().filter(target_id=Cast(OuterRef("pk"), CharField())).order_by("-id").values("created_at")[:1]
    return qs.annotate(locked_at=Subquery(last))
