"""The public topic page (活动专栏, R-301) as a phone fetches it: the landing page's weight, gzipped, HTML and CSS
together (it loads no script), against the issue's budget of 60 KB; and its queries with 10 and with 200 published
items, whose ratio must be 1 (a fixed number, however many items are published).

The items are stories of 福建省 (bench.common.PROVINCES) published with the centre's approval, each with a 1,500-
character body; the page lists the newest twelve, so the weight must not grow with them either."""

from __future__ import annotations

import datetime as dt
import gzip
import re

from bench.common import PROVINCES, at_most, exactly, org_node, the_center

BUDGET_KB = 60


def build():
    from django.utils import timezone

    from apps.campaigns.models import Campaign, Programme
    from apps.orgs.models import Org
    from apps.publication.models import Publication

    code = PROVINCES["topic_page"][0]
    province = org_node(Org.Kind.PROVINCE, code, "福建省", the_center())
    province.save()
    campaign, _ = Campaign.plain.get_or_create(year=2026, defaults={"name": "2026年企业典型创新案例征集及宣讲活动"})
    programme = Programme.plain.create(campaign=campaign, kind=Programme.Kind.PROVINCE, org=province, budget=200000,
                                       period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 11, 30))

    def publish(n: int) -> None:
        now = timezone.now()
        Publication.plain.bulk_create([Publication(
            campaign=campaign, programme=programme, org=province, kind="story", object_id=10_000 + i, number=1,
            title=f"福建创新故事第{i + 1}篇：以数字化改造推动产线升级", state="published", published_at=now,
            content={"body": "<p>" + "企业围绕关键工序持续攻关，形成可复制的经验。" * 70 + "</p>",
                     "enterprise": f"福州第{i + 1}科技有限公司", "region": "福州市鼓楼区", "form_label": "介绍式"},
            media=[]) for i in range(Publication.plain.filter(programme=programme).count(), n)])

    return publish


def run(report, timed):
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    publish = build()
    client = Client(HTTP_HOST="127.0.0.1")
    figures = {}
    for n in (10, 200):
        publish(n)
        client.get("/topic/")  # the provinces' progress is cached for five minutes
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/topic/")
        assert page.status_code == 200, (page.status_code, page.content[:3000])
        html = page.content
        styles = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
        css = b"".join(open(finders.find(href.decode().removeprefix(settings.STATIC_URL)), "rb").read()
                       for href in styles)
        scripts = re.findall(rb"<script[^>]*src=", html)
        weight = (len(gzip.compress(html, 9)) + len(gzip.compress(css, 9))) / 1024
        figures[n] = (len(queries), weight, len(scripts))
        report.line(f"{n} published items: queries / gzipped KB (HTML + CSS) / scripts",
                    f"{len(queries)} / {weight:.1f} / {len(scripts)}")
    report.figure("landing page, gzipped, against the 60-KB budget (200 items)", figures[200][1] / BUDGET_KB,
                  goal=at_most(1.0, "x"), note=f"{figures[200][1]:.1f} KB")
    report.figure("queries with 200 items / with 10", figures[200][0] / figures[10][0], goal=exactly(1.0))
