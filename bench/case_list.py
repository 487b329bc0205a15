"""The case list at 50,000 cases: queries and DB time per page.

One province of 10 cities × 10 counties × 3 associations, 5,000 enterprises and 50,000 submitted cases,
each in its county's screening round. The province's admin opens the list through the full view
(Django's test client: session, person, memberships, filters, the page): the first page, a deep page
(?after= near the oldest row), and a filtered page (one type, little giants only, one city). Figures:
queries per page, and DB time per page (the sum of the page's query times, best of several), each as a
ratio to a plain indexed SELECT of 50 rows (`… WHERE id < x ORDER BY id DESC LIMIT 50`).
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection, transaction

from bench.common import PROVINCES, org_node, the_center

CITIES, COUNTIES, ASSOCIATIONS = 10, 10, 3
ENTERPRISES = 5_000
CASES = 50_000


def build():
    from django.utils import timezone

    from apps.campaigns.models import Campaign, Programme
    from apps.cases.models import Case
    from apps.core.creditcode import make_code
    from apps.enterprises.models import Enterprise
    from apps.orgs.models import Membership, Org, User
    from apps.rounds.models import Round, RoundEntry

    add = org_node

    rng = random.Random(50)
    with transaction.atomic():
        center = the_center()
        code = PROVINCES["case_list"][0]
        province = add(Org.Kind.PROVINCE, code, "广东省", center)
        province.save()
        cities = [add(Org.Kind.CITY, f"{code[:2]}{c + 1:02d}00", f"市{c}", province) for c in range(CITIES)]
        Org.plain.bulk_create(cities)
        counties = [add(Org.Kind.COUNTY, f"{city.code[:4]}{k + 1:02d}", f"区{city.code[2:4]}{k}", city)
                    for city in cities for k in range(COUNTIES)]
        Org.plain.bulk_create(counties)
        assocs = [add(Org.Kind.PARK if i == 0 else Org.Kind.ENTERPRISE, f"{county.code}-{'P' if i == 0 else 'E'}{i + 1:03d}",
                      f"协会{county.code}{i}", county) for county in counties for i in range(ASSOCIATIONS)]
        Org.plain.bulk_create(assocs)
        admin = User.objects.create_user("bench-list-admin", password="x")
        Membership.plain.create(user=admin, org=province, role=Membership.Role.ADMIN)
        campaign, _ = Campaign.plain.get_or_create(year=2026, defaults={"name": "2026年企业典型创新案例征集及宣讲活动"})
        programme = Programme.plain.create(campaign=campaign, kind=Programme.Kind.PROVINCE, org=province,
                                           budget=200000, period_start=dt.date(2026, 7, 1),
                                           period_end=dt.date(2026, 11, 30))
        enterprises = [Enterprise(campaign=campaign, name=f"广东第{i}科技有限公司", county=counties[i % len(counties)],
                                  credit_code=make_code(region=counties[i % len(counties)].code, serial=f"MB{i:07d}"),
                                  industry_section=rng.choice("CCCIM"),
                                  little_giant_batch=rng.choice([None] * 9 + [2021]))
                       for i in range(ENTERPRISES)]
        Enterprise.plain.bulk_create(enterprises, batch_size=2000)
        by_county = {c.pk: [a for a in assocs if a.parent_id == c.pk] for c in counties}
        now = timezone.now()
        cases = []
        for i in range(CASES):
            ent = enterprises[i % ENTERPRISES]
            rec = by_county[ent.county_id][i % ASSOCIATIONS]
            cases.append(Case(campaign=campaign, enterprise=ent, recommender=rec, county_id=ent.county_id,
                              channel="park" if rec.kind == Org.Kind.PARK else "enterprise",
                              status=rng.choice(["submitted"] * 9 + ["returned"]), version=1,
                              title=f"案例{i}", type=rng.choice(["technological", "organisational", "process"]),
                              abstract="摘要" * 50, submitted_at=now))
        Case.plain.bulk_create(cases, batch_size=2000)
        rounds = {c.pk: Round(programme=programme, org=c, kind="county_screening", state="open") for c in counties}
        Round.plain.bulk_create(rounds.values())
        RoundEntry.plain.bulk_create([RoundEntry(round=rounds[c.county_id], case=c, case_version=1,
                                                 decision=rng.choice(["pending", "passed", "out"])) for c in cases],
                                     batch_size=2000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return province, admin, cities, [c.pk for c in cases]


def run(report, timed):
    from django.test import Client

    from apps.cases.listing import apply_filters, cases_for, filter_form, keyset_page, with_list_columns
    from apps.core.scoping import scope

    province, admin, cities, ids = build()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    ids.sort()
    deep = ids[len(ids) // 20]  # near the oldest rows: 47,500 rows newer than it
    pages = {
        "first page": {},
        "deep page (?after=, 47,500 rows in)": {"after": deep},
        "filtered page (type, little giant, city)": {"type": "process", "little_giant": "1", "county": cities[3].code},
    }

    def baseline():
        with connection.cursor() as cur:
            cur.execute("SELECT id, title, type, status, channel, submitted_at FROM cases_case "
                        "WHERE id < %s ORDER BY id DESC LIMIT 50", [deep])
            return cur.fetchall()

    assert len(baseline()) == 50
    base = timed(baseline)
    report.line("baseline: plain indexed SELECT of 50 rows, ms", f"{base * 1000:.2f}")
    for name, params in pages.items():
        best, queries, rows = float("inf"), 0, 0
        for _ in range(7):
            spent = []

            def clock(execute, sql, params, many, context, spent=spent):
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent.append(time.perf_counter() - start)

            with connection.execute_wrapper(clock):
                response = client.get("/cases/", params)
            assert response.status_code == 200, response.status_code
            queries = len(spent)
            best = min(best, sum(spent))
            rows = response.content.decode().count("<tr>") - 1
        report.line(f"{name}: rows / queries", f"{rows} / {queries}")
        report.line(f"{name}: DB ms per page, all queries", f"{best * 1000:.2f}")
        report.figure(f"{name}: DB time per page / baseline", best / base, fmt="{:.1f}x")

        def main_query(params=params):
            with scope(org=province):
                form = filter_form({k: str(v) for k, v in params.items() if k != "after"} or None, province)
                qs = with_list_columns(apply_filters(cases_for(province), form).qs)
                page = keyset_page(qs, after=params.get("after"))
                assert len(page.rows) == 50
        orm = timed(main_query)
        report.line(f"{name}: filters + page through the ORM, ms (ratio)", f"{orm * 1000:.2f} ({orm / base:.1f}x)")
    # The page's main query, as the database plans it (first page).

    with scope(org=province):
        form = filter_form(None, province)
        qs = with_list_columns(apply_filters(cases_for(province), form).qs).order_by("-pk")[:51]
        sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        plan = " ".join(r[0].strip() for r in cur.fetchall())
    report.line("first page plan walks the primary key backwards", "yes" if "Index Scan Backward" in plan
                else f"no: {plan[:160]}")
