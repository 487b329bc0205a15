"""Subtree listing: every association under a province of 3,000 associations.

Figure: the ORM listing through the scoped manager (one range scan on the materialised
path) as a ratio to a plain indexed SELECT of the same rows by primary-key range, and
the number of queries each takes. A recursive walk down the tree (one query per node,
what a parent-pointer-only model needs) is shown for contrast.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.common import PROVINCES, org_node, the_center

ASSOCIATIONS = 3000


def build():
    from apps.orgs.models import Org

    add = org_node
    with transaction.atomic():
        center = the_center()
        provinces = []
        for p, code in enumerate(PROVINCES["subtree"]):  # the measured province has two neighbours of its size
            prov = add(Org.Kind.PROVINCE, code, f"省{p}", center)
            prov.save()
            provinces.append(prov)
            cities = [add(Org.Kind.CITY, f"{code[:2]}{c + 1:02d}00", f"市{c}", prov) for c in range(12)]
            Org.plain.bulk_create(cities)
            counties = [add(Org.Kind.COUNTY, f"{city.code[:4]}{k + 1:02d}", f"区{k}", city)
                        for city in cities for k in range(10)]
            Org.plain.bulk_create(counties)
            per_county = ASSOCIATIONS // len(counties)
            assocs = [add(Org.Kind.PARK if i % 3 == 0 else Org.Kind.ENTERPRISE, f"{county.code}-P{i + 1:03d}",
                          f"协会{i}", county) for county in counties for i in range(per_county)]
            Org.plain.bulk_create(assocs, batch_size=2000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE orgs_org")
    return provinces[0]


def run(report, timed):
    from apps.core.scoping import scope
    from apps.orgs.models import Org
    from apps.orgs.selectors import orgs_under

    province = build()
    lo, hi = (Org.plain.filter(kind__in=Org.ASSOCIATIONS, path__startswith=province.path)
              .values_list("id", flat=True).order_by("id")[::ASSOCIATIONS - 1])

    def subtree():
        with scope(org=province):
            return list(orgs_under(province, kinds=Org.ASSOCIATIONS).values_list("id", "code", "name", "kind", "path"))

    def baseline():
        with connection.cursor() as cur:
            cur.execute("SELECT id, code, name, kind, path FROM orgs_org WHERE id BETWEEN %s AND %s", [lo, hi])
            return cur.fetchall()

    def walk():
        found, frontier = [], [province.pk]
        while frontier:
            children = list(Org.plain.filter(parent_id__in=frontier).values_list("id", "code", "name", "kind", "path"))
            found.extend(c for c in children if c[3] in Org.ASSOCIATIONS)
            frontier = [c[0] for c in children]
        return found

    def walk_per_node():
        found, stack = [], [province.pk]
        while stack:
            node = stack.pop()
            for child in Org.plain.filter(parent_id=node).values_list("id", "code", "name", "kind", "path"):
                if child[3] in Org.ASSOCIATIONS:
                    found.append(child)
                stack.append(child[0])
        return found

    assert len(subtree()) == len(baseline()) == ASSOCIATIONS, (len(subtree()), len(baseline()))
    for name, fn in (("subtree (path range)", subtree), ("baseline (indexed pk range)", baseline),
                     ("walk, one query per level", walk), ("walk, one query per node", walk_per_node)):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        report.line(f"{name}: queries", str(len(ctx.captured_queries)))
    base = timed(baseline)
    report.line("baseline: ms per listing of 3,000 rows", f"{base * 1000:.2f}")
    report.figure("subtree listing / baseline", timed(subtree) / base)
    report.line("walk per level / baseline", f"{timed(walk) / base:.2f}x")
    report.line("walk per node / baseline", f"{timed(walk_per_node, repeat=3, number=1) / base:.2f}x")
    with scope(org=province):
        sql, params = orgs_under(province, kinds=Org.ASSOCIATIONS).values_list("id").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        plan = " ".join(r[0].strip() for r in cur.fetchall())
    report.line("subtree plan uses an index", "yes" if "Index" in plan else f"no: {plan[:120]}")
