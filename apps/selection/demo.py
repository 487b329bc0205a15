"""Demo data of selection up the tree (issue 7): each demo province's cities lock and send their lists, the
province reviews the cases it received, locks its list after a 公示 with an answered objection and sends it to
the centre; its presenter list is locked and in 公示 with one objection waiting for an answer.

Per province, by city code:
- the first city keeps its live expert review and online vote (apps.review.demo, apps.voting.demo) and has not
  sent a list yet;
- the second city has fewer candidates than its surplus rule needs (R-105): its few cases are on its list, so
  its list page shows the violation and 「求最优名单」 explains why no valid list exists;
- every other city receives a few more cases "collected offline" until its list can satisfy R-105, then its list
  is proposed by the solver, locked, publicly noticed (dates in the past) and sent to the province.
The province's experts log in as expert-<province code>-<n>. Runs after seed_voting; idempotent.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from apps.campaigns.models import Campaign, Programme
from apps.cases.demo_cases import FIELD, TECH, VERB, _text
from apps.cases.models import Case
from apps.enterprises.models import Enterprise
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.orgs.models import Org
from apps.orgs.services import user_create
from apps.review.config import review_config
from apps.review.demo import EMPLOYERS, FIELDS
from apps.review.models import Assignment, Expert, PoolMember, ScoreSheet
from apps.review.services import review_assign, review_configure
from apps.rounds.kinds import quota_line
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_for
from apps.selection import services
from apps.selection.models import LockedList, Objection
from apps.selection.selectors import rule_inputs

EXPERTS = 9
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def seed_selection(password: str, seed: int = 110) -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or LockedList.plain.filter(round__programme__campaign=campaign).exists():
        return []
    rng = random.Random(seed)
    rows = []
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org").first()
        if programme is not None:
            with transaction.atomic():
                rows += _seed_province(programme, rng, password)
    return rows


def _seed_province(programme: Programme, rng: random.Random, password: str) -> list:
    cities = list(Round.plain.filter(programme=programme, kind=Round.Kind.CITY_SELECTION, state=Round.State.OPEN)
                  .select_related("org", "programme__campaign").order_by("org__code"))
    if len(cities) < 3:
        return []
    short = cities[1]  # R-105 fails here: its cases stay on its list, short of the surplus
    admin = demo_admin(short.org)
    eligible = list(RoundEntry.plain.filter(round=short).exclude(decision__in=("out", "returned"))
                    .values_list("case_id", flat=True))
    if admin is not None and eligible:
        services.list_set(round=short, by=admin, add=eligible)
    for city in cities[2:]:
        _send_city(city, rng)
    province = Round.plain.filter(programme=programme, kind=Round.Kind.PROVINCE_SELECTION).first()
    if province is None:
        return []
    logins, pool = _pool(programme.org, rng, password)
    _review(province, pool, rng)
    locked = _lock(province, days_ago=9)
    if locked is None:
        return logins
    _object(locked, rng, answer=True)
    services.list_send(round=province, by=demo_admin(programme.org))
    presenters = Round.plain.get(programme=programme, org=programme.org, kind=Round.Kind.PRESENTER_SELECTION)
    _review(presenters, pool, rng)
    shown = _lock(presenters, days_ago=0)
    if shown is None:
        return logins
    _object(shown, rng, answer=False)
    return logins + [(f"/gs/{shown.slug}/", programme.org.name, "宣讲人名单公示页（无需登录）")]


def _send_city(city: Round, rng: random.Random) -> None:
    """Top the city's candidates up past its surplus minimum, then propose, lock, notice and send its list."""
    line = quota_line(city, rule_inputs(city).quotas)
    admin = demo_admin(city.org)
    if line is None or admin is None:
        return
    have = RoundEntry.plain.filter(round=city).exclude(decision__in=("out", "returned"))
    used = set(have.values_list("case__enterprise_id", flat=True))
    missing = line.min_list_length + rng.randint(0, 2) - len(used)
    spare = list(Enterprise.plain.filter(county__path__startswith=city.org.path).exclude(pk__in=used).select_related("county")
                 .order_by("pk"))
    for enterprise in spare[:max(0, missing)]:
        _offline_case(city, enterprise, rng)
    found = services.list_propose(city)
    if found.infeasible:
        return
    services.list_adopt(round=city, by=admin, case_ids=found.chosen)
    locked = services.list_lock(round=city, by=admin)
    _backdate(locked, days_ago=14)
    services.list_send(round=city, by=admin)


def _offline_case(city: Round, enterprise: Enterprise, rng: random.Random) -> None:
    """A case collected offline (as the Excel import records it): submitted, passed by its county, and in the
    city's round."""

    associations = list(Org.plain.filter(parent=enterprise.county, kind__in=Org.ASSOCIATIONS).order_by("code"))
    if not associations:
        return
    parks = [a for a in associations if a.kind == Org.Kind.PARK]
    association = rng.choice(parks if parks and rng.random() < 0.5 else associations)
    tech, field = rng.choice(TECH), rng.choice(FIELD)
    now = timezone.now()
    case = Case.plain.create(
        campaign=city.programme.campaign, enterprise=enterprise, recommender=association, county=enterprise.county,
        channel=Case.Channel.PARK if association.kind == Org.Kind.PARK else Case.Channel.ENTERPRISE,
        title=f"{tech}赋能{field}{rng.choice(VERB)}"[:Case.TITLE_MAX], status=Case.Status.SUBMITTED, version=1,
        submitted_at=now, consent_publicity=True, consent_truthful=True, contact_name="王工",
        contact_phone=f"139{rng.randint(10000000, 99999999)}", **_text(rng, tech, field, enterprise.name))
    county = round_for(programme=city.programme, org=enterprise.county, kind=Round.Kind.COUNTY_SCREENING)
    source = RoundEntry.plain.create(round=county, case=case, decision=RoundEntry.Decision.PASSED, case_version=1,
                                     decided_at=now)
    RoundEntry.plain.create(round=city, case=case, source=source, case_version=1)


def _pool(org: Org, rng: random.Random, password: str) -> tuple[list, list[Expert]]:

    logins, pool = [], []
    for n in range(1, EXPERTS + 1):
        username = f"expert-{org.code}-{n}"
        name = rng.choice(SURNAMES) + rng.choice(("振华", "红梅", "建军", "雪莲", "永刚", "慧敏"))
        user = user_create(username=username, full_name=name, phone=f"135{org.code[:4]}{n:04d}", password=password)
        expert = Expert.plain.create(user=user, name=name, employer=rng.choice(EMPLOYERS), field=rng.choice(FIELDS),
                                     industries=["C", "I", "M"], title="正高级工程师")
        PoolMember.plain.create(org=org, expert=expert)
        pool.append(expert)
        logins.append((username, org.name, "评审专家"))
    return logins, pool


def _review(target: Round, pool: list[Expert], rng: random.Random) -> None:
    """Expert review of every case by 3 experts of the province's pool, every sheet submitted."""
    cases = RoundEntry.plain.filter(round=target).count()
    k = 3
    review_configure(round=target, by=None, check=False, data={
        "methods": ["review"], "experts_per_case": k, "min_load": 0,
        "max_load": max(3, -(-cases * k // len(pool)) + 2)})
    review_assign(round=target, by=None, check=False)
    rubric = review_config(target).rubric
    quality: dict[int, float] = {}
    now = timezone.now()
    for a in Assignment.plain.filter(round=target).order_by("case_id", "expert_id"):
        level = quality.setdefault(a.case_id, rng.uniform(0.55, 0.95))
        scores = {i.key: round(min(i.maximum, max(0, rng.gauss(level, 0.04) * i.maximum)), 1) for i in rubric}
        total = sum(scores[i.key] / i.maximum * i.weight for i in rubric)
        ScoreSheet.plain.create(assignment=a, scores=scores, state="submitted", total=round(total, 4),
                                submitted_at=now)
    Assignment.plain.filter(round=target).update(state=Assignment.State.SUBMITTED)


def _lock(target: Round, *, days_ago: int) -> LockedList | None:
    admin = demo_admin(target.org)
    found = services.list_propose(target)
    if found.infeasible:
        return None
    services.list_adopt(round=target, by=admin, case_ids=found.chosen)
    locked = services.list_lock(round=target, by=admin)
    _backdate(locked, days_ago=days_ago)
    return locked


def _backdate(locked: LockedList, *, days_ago: int) -> None:
    """Move the 公示 to have started `days_ago` days ago (its length stays the rulebook's)."""
    length = (locked.ends_on - locked.starts_on).days
    starts = timezone.localdate() - dt.timedelta(days=days_ago)
    LockedList.plain.filter(pk=locked.pk).update(starts_on=starts, ends_on=starts + dt.timedelta(days=length))
    locked.refresh_from_db()


def _object(locked: LockedList, rng: random.Random, *, answer: bool) -> None:
    """One objection from the public to a case on the list; answered (not founded) when `answer`."""
    case_id = locked.case_ids[rng.randrange(len(locked.case_ids))]
    objection = Objection.plain.create(
        locked_list=locked, case_id=case_id, name=rng.choice(("李明", "张华", "陈静")), contact="13800138000",
        reason="该案例所述年节约成本的数据明显高于企业公开的年度报告，请核实数据来源。")
    if answer:
        services.objection_answer(objection=objection, by=demo_admin(locked.round.org), outcome="dismissed",
                                  answer="经核实，节约成本数据来自第三方审计报告，统计口径为集团合并口径，数据属实。")
