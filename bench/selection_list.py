"""One click on a round's selection list (issue 7): put a case on the list, and the page comes back with the
list's violations recomputed (the htmx form posts, follows the redirect and swaps the page in).

The world is bench/review_ranking's city, built again under other codes (济南市): 10 counties × 3 associations,
300 experts, every case scored by 5 experts (sheets submitted, per-expert normalisation and trimming on). A
click recomputes the composite score of every candidate (expert review aggregated from all sheets), the
candidates, the validator, and renders 100 rows. Figures at 1,000 and 5,000 cases: queries per click and
server time per click as a ratio to the `account` page measured in the same run (goal ≤ 15×), with the review
scores cached (apps.review.services.ranking_scores, the page as it runs) and with the cache emptied before
every click (what each click cost before the cache).
"""

from __future__ import annotations

import random
import time

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from bench.review_ranking import BASELINE_URL, K, add_cases, build_city, hot_spots

SIZES = (1_000, 5_000)
GOAL_RATIO = 15.0


def run(report, timed):
    from django.test import Client

    from apps.orgs.scoping import scopes_disabled
    from apps.rounds.models import RoundEntry

    world = build_city("370100", "370000", ("山东省", "济南市"), prefix="bench-selection")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(world["admin"])
    rng = random.Random(20261206)
    done = 0
    for size in SIZES:
        started = time.perf_counter()
        add_cases(world, done, size - done, rng)
        report.line(f"{size:,} cases: built with {(size - done) * K:,} sheets, s",
                    f"{time.perf_counter() - started:.1f}")
        done = size
        with scopes_disabled():
            case_ids = list(RoundEntry.plain.filter(round=world["round"]).order_by("id")
                            .values_list("case_id", flat=True)[:2])
        measure(report, timed, client, world, size, case_ids)


def measure(report, timed, client, world: dict, size: int, case_ids: list[int]) -> None:
    pk = world["round"].pk
    toggle = f"/selection/rounds/{pk}/list/toggle/"
    state = {"on": False}

    def click():
        action = "remove" if state["on"] else "add"
        response = client.post(toggle, {"case": case_ids[0], "action": action}, follow=True,
                               headers={"HX-Request": "true"})
        assert response.status_code == 200 and "名单现有" in response.content.decode()
        state["on"] = not state["on"]

    def cold_click():
        cache.clear()
        click()

    def base():
        assert client.get(BASELINE_URL).status_code == 200

    click(), click(), base()  # warm: templates compiled, translations loaded, scores cached
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        click()
    label = f"{size:,} cases"
    report.line(f"{label}: queries per click (POST and the page it returns)", f"{len(ctx.captured_queries)}")
    warm, cold, baseline = [], [], []
    for _ in range(5):  # interleaved, best of each: the machine's speed drifts
        baseline.append(timed(base, repeat=1, number=20))
        warm.append(timed(click, repeat=1, number=2))
        cold.append(timed(cold_click, repeat=1, number=1))
    best_base, best_warm, best_cold = min(baseline), min(warm), min(cold)
    ratio = best_warm / best_base
    report.line(f"{label}: {BASELINE_URL} page (the baseline), ms", f"{best_base * 1000:.2f}")
    report.line(f"{label}: one click, review scores cached / recomputed, ms",
                f"{best_warm * 1000:.0f} / {best_cold * 1000:.0f}")
    report.line(f"{label}: click / {BASELINE_URL} page (goal ≤ {GOAL_RATIO:.0f}x)",
                f"{ratio:.1f}x {'ok' if ratio <= GOAL_RATIO else 'OVER GOAL'} "
                f"(recomputing the scores each click: {best_cold / best_base:.1f}x)")
    if ratio > GOAL_RATIO:
        hot_spots(report, click, label)
