"""One click on a round's selection list: put a case on the list, and the page comes back with the
list's violations recomputed (the htmx form posts, follows the redirect and swaps the page in).

The world is bench/review_ranking's city, built again in this benchmark's own province (济南市): 10 counties × 3
associations, 300 experts, every case scored by 5 experts (sheets submitted, per-expert normalisation and trimming
on). A click recomputes the composite score of every candidate (expert review aggregated from all sheets), the
candidates, the validator, and renders 100 rows. Figures at 1,000 and 5,000 cases: queries per click and server
time per click as a ratio to the `account` page measured in the same run (goal ≤ 15×), each cold, the cache
emptied before every click (the list while score sheets are being submitted: every submission changes the cache
key of apps.review.services.ranking_scores, so the next click aggregates every sheet again), and cached (no sheet
changed since the last click). A missed goal at the larger size is profiled.
"""

from __future__ import annotations

import random
import time

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from bench.common import PROVINCES, at_most, empty_caches
from bench.review_ranking import BASELINE_URL, K, add_cases, build_city, hot_spots, recomputed

SIZES = (1_000, 5_000)
GOAL_RATIO = 15.0


def run(report, timed):
    from django.test import Client

    from apps.core.scoping import scopes_disabled
    from apps.rounds.models import RoundEntry

    province = PROVINCES["selection_list"][0]
    world = build_city(province[:2] + "0100", province, ("山东省", "济南市"), prefix="bench-selection")
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
        empty_caches()
        click()

    def base():
        assert client.get(BASELINE_URL).status_code == 200

    click(), click(), base()  # warm: templates compiled, translations loaded, scores cached
    made = (recomputed(cold_click), recomputed(click))
    assert made[0] >= 1 and made[1] == 0, f"rankings aggregated by a cold / a cached click: {made}"
    label = f"{size:,} cases"
    for name in ("cold", "cached"):
        if name == "cold":
            empty_caches()
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            click()
        report.line(f"{label}: queries per click, {name} (POST and the page it returns)",
                    f"{len(ctx.captured_queries)}")
    warm, cold, baseline = [], [], []
    for _ in range(5):  # interleaved, best of each: the machine's speed drifts
        baseline.append(timed(base, repeat=1, number=20))
        warm.append(timed(click, repeat=1, number=2))
        cold.append(timed(cold_click, repeat=1, number=1))
    best_base, best_warm, best_cold = min(baseline), min(warm), min(cold)
    ratio, cold_ratio = best_warm / best_base, best_cold / best_base
    report.line(f"{label}: {BASELINE_URL} page (the baseline), ms", f"{best_base * 1000:.2f}")
    report.line(f"{label}: one click, review scores recomputed (cold) / cached, ms",
                f"{best_cold * 1000:.0f} / {best_warm * 1000:.0f}")
    report.figure(f"{label}: cold click / {BASELINE_URL} page", cold_ratio, goal=at_most(GOAL_RATIO, "x"),
                  fmt="{:.1f}x", note="the cache emptied before each click")
    report.figure(f"{label}: cached click / {BASELINE_URL} page", ratio, goal=at_most(GOAL_RATIO, "x"), fmt="{:.1f}x")
    if size == SIZES[-1]:
        for name, fn, missed in (("cold", cold_click, cold_ratio > GOAL_RATIO), ("cached", click, ratio > GOAL_RATIO)):
            if missed:
                hot_spots(report, fn, f"{label}, {name}")
