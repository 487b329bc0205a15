"""The selection solver: proposals from 1k, 10k and 50k candidates, pure Python and HiGHS (no database).

- P1, the province round (R-109 and a city cap): at most 100 cases (target 100), park-recommended share ≥ 30%,
  at most 1 per enterprise, at most 15 per city; N = 1k, 10k, 50k (goal: optimal, ≤ 1 s at 50k).
- P2, the city lists seen from the province (R-104, R-108): exact quotas per city summing to 1,000 from 50k
  candidates, at most 1 per enterprise (goal ≤ 15 s).

Candidates are seeded: 100 cities, enterprises inside one city with 1–3 cases each, 20% park-recommended,
composite scores with 4 decimals. Each line prints the solver's time, the candidates left after pruning, whether
the list is proved optimal and valid (apps.selection.validator), and a greedy baseline's time and score gap
(greedy: by ranking, park cases first up to the share, every cap respected).
"""

from __future__ import annotations

import random
import time

CITIES = 100
P1_SIZES = (1_000, 10_000, 50_000)
P2_SIZE, P2_TOTAL = 50_000, 1_000
GOAL_P1, GOAL_P2 = 1.0, 15.0


def candidates(n: int, rng: random.Random):
    from apps.rounds.rules import Candidate

    pool, enterprise = [], 0
    while len(pool) < n:
        enterprise += 1
        city = rng.randrange(CITIES)
        for _ in range(min(rng.randint(1, 3), n - len(pool))):
            pool.append(Candidate(id=len(pool) + 1, score=round(rng.uniform(40, 98), 4), enterprise=enterprise,
                                  city=city, channel="park" if rng.random() < 0.2 else "enterprise"))
    return pool


def p1_rules():
    from apps.rounds.rules import Count, PerGroup, Share

    return [Count("R-109", "<=", 100, "省级遴选案例不超过100件"),
            Share("R-109", "channel", "park", 0.30, "园区科协推荐案例占比不低于30%"),
            PerGroup("R-108", "enterprise", 1, "每个企业最多1件"), PerGroup("R-109", "city", 15, "每市最多15件")]


def p2_rules(pool, rng: random.Random):
    from apps.rounds.rules import PerGroup, Quota

    weights = {city: rng.randint(1, 30) for city in range(CITIES)}
    total = sum(weights.values())
    exact = {city: P2_TOTAL * w / total for city, w in weights.items()}
    table = {city: int(q) for city, q in exact.items()}
    for city in sorted(exact, key=lambda c: (table[c] - exact[c], c))[:P2_TOTAL - sum(table.values())]:
        table[city] += 1  # largest remainder, as R-104's apportionment
    return [Quota("R-104", "city", "==", table, "各市名额"), PerGroup("R-108", "enterprise", 1, "每个企业最多1件")]


def greedy(rules, pool):
    """By ranking: first the share's value up to its need, then anyone, as long as every cap holds."""
    from apps.rounds.rules import Count, PerGroup, Quota, Share

    size = min([r.n for r in rules if isinstance(r, Count)] +
               [sum(r.table.values()) for r in rules if isinstance(r, Quota)] or [len(pool)])
    caps = [(r.attribute, lambda g, m=r.maximum: m) for r in rules if isinstance(r, PerGroup)]
    caps += [(r.attribute, lambda g, t=r.table: t.get(g, 0)) for r in rules if isinstance(r, Quota)]
    shares = [r for r in rules if isinstance(r, Share)]
    ranked = sorted(pool, key=lambda c: (-c.score, c.id))
    chosen, used = [], {}

    def take(candidate):
        keys = [(a, getattr(candidate, a)) for a, _cap in caps]
        if len(chosen) >= size or any(used.get(k, 0) >= cap(k[1]) for k, (_a, cap) in zip(keys, caps)):
            return
        chosen.append(candidate)
        for k in keys:
            used[k] = used.get(k, 0) + 1

    for share in shares:
        for candidate in ranked:
            if sum(getattr(c, share.attribute) == share.value for c in chosen) >= share.needed(size):
                break
            if getattr(candidate, share.attribute) == share.value:
                take(candidate)
    taken = {c.id for c in chosen}
    for candidate in ranked:
        if candidate.id not in taken:
            take(candidate)
    return chosen


def measure(report, timed, name, rules, pool, target, goal):
    from apps.selection.solver import propose
    from apps.selection.validator import validate
    from bench.common import at_most, exactly  # here: standalone, bench/ is not importable until __main__ runs

    proposal = propose(rules, pool, target=target)
    seconds = timed(lambda: propose(rules, pool, target=target), repeat=3, number=1)
    valid = validate(rules, pool, proposal.chosen) == []
    started = time.perf_counter()
    baseline = greedy(rules, pool)
    greedy_seconds = time.perf_counter() - started
    greedy_valid = validate(rules, pool, [c.id for c in baseline]) == []
    gap = (proposal.total - sum(c.score for c in baseline)) / proposal.total * 100 if proposal.total else 0.0
    gap = round(gap, 3) + 0.0  # no "-0.000%" from float noise
    # The goal is in seconds, as stated above: no baseline does the same work (greedy solves an easier problem,
    # and is shown for its score).
    report.figure(f"{name}: solver seconds", seconds, goal=at_most(goal, " s"), fmt="{:.3f} s")
    report.figure(f"{name}: proposal optimal and valid", "yes" if proposal.optimal and valid else "no",
                  goal=exactly("yes"), fmt="{}")
    report.line(f"{name}: cases, optimal, valid, candidates after pruning",
                f"{proposal.count}, {'yes' if proposal.optimal else 'NO'}, {'yes' if valid else 'NO'}, "
                f"{proposal.considered:,} of {len(pool):,}")
    report.line(f"{name}: greedy s, its score below the optimum, valid",
                f"{greedy_seconds:.3f}, {gap:.3f}%, {'yes' if greedy_valid else 'no'}")


def run(report, timed):
    rng = random.Random(20260707)
    for n in P1_SIZES:
        measure(report, timed, f"P1 {n:,}", p1_rules(), candidates(n, rng), 100, GOAL_P1)
    pool = candidates(P2_SIZE, rng)
    measure(report, timed, f"P2 {P2_SIZE:,} → {P2_TOTAL:,}", p2_rules(pool, rng), pool, None, GOAL_P2)


if __name__ == "__main__":  # standalone: no database needed
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innocase.settings")
    os.environ.setdefault("DEBUG", "true")  # as bench/run.py: the settings default to production
    import django

    django.setup()
    from bench.run import Report, timed

    report = Report()
    report.bench = "solver"
    run(report, timed)
    report.table()
