"""Demo data of expert review: an expert pool for the first city of each demo province with cases in its
selection round, an optimal assignment, and scores partly filled (one case with a wide disagreement), so the
review page, the expert's page and the ranking have data. Experts log in as expert-<city code>-<n>."""

from __future__ import annotations

import random
from collections.abc import Iterator

from django.db import transaction

from apps.orgs.demo import FULL_PROVINCES
from apps.orgs.models import Org
from apps.orgs.services import user_create
from apps.review.config import review_config
from apps.review.models import Assignment, Expert, PoolMember, ScoreSheet
from apps.review.services import review_assign, review_cases, review_configure
from apps.rounds.models import Round

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
EMPLOYERS = ("浙江大学", "四川大学", "华南理工大学", "省科学技术情报研究院", "省生产力促进中心", "省工业和信息化研究院",
             "中国电子科技集团第五十二研究所", "省标准化研究院", "省中小企业服务中心", "电子科技大学")
FIELDS = ("智能制造", "工业互联网", "新材料", "生物医药", "节能环保", "技术经济", "企业管理", "知识产权")
EXPERTS_PER_POOL = 14


def demo_city_rounds() -> Iterator[Round]:
    """The demo's reviewed (and voted) round of each demo province: its first city's open selection round, when
    that has cases to review."""
    for code in FULL_PROVINCES:
        city_round = (Round.plain.filter(kind=Round.Kind.CITY_SELECTION, state=Round.State.OPEN,
                                         programme__org__code=code)
                      .select_related("org", "programme").order_by("org__code").first())
        if city_round is not None and review_cases(city_round).exists():
            yield city_round


def seed_review(password: str, seed: int = 108) -> list:
    rng = random.Random(seed)
    logins = []
    for city_round in demo_city_rounds():
        if PoolMember.plain.filter(org=city_round.org).exists():
            continue
        with transaction.atomic():
            logins += _seed_city(city_round, rng, password)
    return logins


def _seed_city(city_round: Round, rng: random.Random, password: str) -> list:
    city: Org = city_round.org
    cases = list(review_cases(city_round))
    sections = sorted({c.enterprise.industry_section for c in cases if c.enterprise.industry_section}) or ["C"]
    logins = []
    for n in range(1, EXPERTS_PER_POOL + 1):
        username = f"expert-{city.code}-{n}"
        name = rng.choice(SURNAMES) + rng.choice(("建华", "晓明", "丽娟", "志强", "海燕", "国庆", "文静", "立新"))
        user = user_create(username=username, full_name=name, phone=f"136{city.code[:4]}{n:04d}", password=password)
        expert = Expert.plain.create(
            user=user, name=name, employer=rng.choice(EMPLOYERS), field=rng.choice(FIELDS),
            industries=sorted(set(rng.sample(sections, k=min(len(sections), rng.choice((1, 2)))))),
            title=rng.choice(("教授", "研究员", "高级工程师", "正高级经济师")),
            region_code=city.region_code if n % 7 == 0 else "")
        PoolMember.plain.create(org=city, expert=expert)
        logins.append((username, city.name, "评审专家"))
    k = min(5, EXPERTS_PER_POOL - 2)
    max_load = max(3, -(-len(cases) * k // EXPERTS_PER_POOL) + 2)
    review_configure(round=city_round, by=None, data={"experts_per_case": k, "max_load": max_load}, check=False)
    review_assign(round=city_round, by=None, check=False)
    _score(city_round, rng)
    return logins


def _score(city_round: Round, rng: random.Random) -> None:
    """About two thirds of the sheets submitted, some drafts; the first case's experts disagree widely."""
    rubric = review_config(city_round).rubric
    assignments = list(Assignment.plain.filter(round=city_round).order_by("case_id", "expert_id"))
    first_case = assignments[0].case_id if assignments else None
    quality = {}
    for n, a in enumerate(assignments):
        level = quality.setdefault(a.case_id, rng.uniform(0.6, 0.92))
        if a.case_id == first_case:
            level = (0.95, 0.5, 0.9, 0.55, 0.92)[n % 5]  # a split panel: the ranking flags it
        draw = rng.random()
        if draw > 0.8 and a.case_id != first_case:
            continue  # not opened yet
        scores = {i.key: round(min(i.maximum, max(0, rng.gauss(level, 0.05) * i.maximum)), 1) for i in rubric}
        submitted = draw < 0.65 or a.case_id == first_case
        total = sum(scores[i.key] / i.maximum * i.weight for i in rubric)
        ScoreSheet.plain.create(assignment=a, scores=scores, state="submitted" if submitted else "draft",
                                total=round(total, 4) if submitted else None,
                                submitted_at=city_round.updated_at if submitted else None)
        if submitted:
            Assignment.plain.filter(pk=a.pk).update(state=Assignment.State.SUBMITTED)
