"""Demo enterprises with valid 统一社会信用代码, two to five per county that has associations (more in a
municipality's district, which takes a city's role)."""

from __future__ import annotations

import random

from django.db import transaction

from apps.campaigns.models import Campaign
from apps.core.creditcode import ALPHABET, make_code
from apps.enterprises.models import Enterprise
from apps.orgs.models import Org

TRADE = ["智能装备", "精密制造", "新能源", "生物医药", "集成电路", "新材料", "工业软件", "节能环保", "汽车电子", "数控机床",
         "光电技术", "海洋装备", "食品科技", "纺织新材", "物联网"]
SUFFIX = ["科技有限公司", "股份有限公司", "技术有限公司", "集团有限公司"]
SECTIONS = [("C", "34"), ("C", "35"), ("C", "39"), ("I", "65"), ("C", "27"), ("M", "73"), ("C", "26"), ("C", "36")]


@transaction.atomic
def seed_enterprises(password: str, seed: int = 4754) -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Enterprise.plain.filter(campaign=campaign).exists():
        return []
    rng = random.Random(seed)
    counties = {c.pk: c for c in Org.plain.filter(kind=Org.Kind.COUNTY)}
    parks_by_county: dict[int, list[Org]] = {}
    for park in Org.plain.filter(kind=Org.Kind.PARK):
        parks_by_county.setdefault(park.parent_id, []).append(park)
    with_assocs = set(Org.plain.filter(kind__in=Org.ASSOCIATIONS).values_list("parent_id", flat=True))
    rows, seen = [], set()
    for county_id in sorted(with_assocs):
        county = counties[county_id]
        short = county.name.rstrip("区县市")
        # A municipality's district (直辖市) is a county in the city's role: its list needs a city's worth of enterprises.
        for i in range(rng.randint(14, 20) if county.depth == Org.CITY_DEPTH else rng.randint(2, 5)):
            code = make_code(region=county.region_code, serial="".join(rng.choice(ALPHABET) for _ in range(9)))
            if code in seen:
                continue
            seen.add(code)
            section, division = rng.choice(SECTIONS)
            parks = parks_by_county.get(county_id, [])
            rows.append(Enterprise(
                campaign=campaign, name=f"{short}{rng.choice(TRADE)}{rng.choice(SUFFIX)}" if i else f"{short}{TRADE[county_id % len(TRADE)]}{SUFFIX[0]}",
                credit_code=code, county=county, park=parks[i % len(parks)] if parks and i % 2 == 0 else None,
                industry_section=section, industry_division=division,
                size=rng.choice(Enterprise.Size.values), rd_staff=rng.randint(5, 400),
                rd_spend=rng.randint(50, 20000), is_high_tech=rng.random() < 0.6, is_specialised=rng.random() < 0.4,
                little_giant_batch=rng.choice([None, None, None, 2021, 2022, 2023, 2024]),
            ))
    Enterprise.plain.bulk_create(rows, batch_size=1000)
    return []
