"""Expert assignment: 5,000 cases × 300 experts × 5 experts per case, exact versus greedy.

Instance: case industries from 20 GB/T 4754 sections with a Zipf-like skew (manufacturing "C" dominates, as in
real case pools); experts with 1–3 sections from a flatter skew (a pool is recruited to cover every section, so
the common sections run short of matching experts and some mismatches are forced); ~2% of pairs forbidden;
loads 0..100 (25,000 assignments needed, capacity 30,000). Figures: the exact solver's time (mismatches only,
and with balanced loads) as a ratio to a greedy assignment measured in the same run, and what optimality buys:
the mismatch count of each, and the spread of loads. Needs no database.
"""

from __future__ import annotations

import random
import resource
import time

CASES = 5000
EXPERTS = 300
K = 5
MAX_LOAD = 100
FORBIDDEN_SHARE = 0.02
SECTIONS = "CIMLFEGKDNHBOPQRAJST"  # 20 sections, most common first


def build(seed: int = 20240701):
    from apps.review.assignment import CaseNeed, ExpertCapacity

    rng = random.Random(seed)
    case_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(SECTIONS))]
    expert_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(SECTIONS))]

    cases = [CaseNeed(case_id=i + 1, industry=f"{rng.choices(SECTIONS, case_weights)[0]}{rng.randint(13, 43)}",
                      label=f"案例{i + 1}") for i in range(CASES)]
    experts = []
    for j in range(EXPERTS):
        industries, wanted = set(), rng.randint(1, 3)
        while len(industries) < wanted:
            industries.add(rng.choices(SECTIONS, expert_weights)[0])
        experts.append(ExpertCapacity(expert_id=j + 1, industries=frozenset(industries), min_load=0,
                                      max_load=MAX_LOAD, label=f"专家{j + 1}"))
    draws = int(CASES * EXPERTS * FORBIDDEN_SHARE)
    forbidden = {(rng.randint(1, CASES), rng.randint(1, EXPERTS)) for _ in range(draws)}
    return cases, experts, forbidden


def greedy(cases, experts, k, forbidden):
    """Baseline: case by case, the matching experts first, then the least loaded; no look-ahead."""
    from apps.review.assignment import section

    load = {e.expert_id: 0 for e in experts}
    sections = {e.expert_id: {section(i) for i in e.industries} for e in experts}
    pairs, mismatches = [], 0
    for case in cases:
        s = section(case.industry)
        candidates = sorted((e for e in experts
                             if load[e.expert_id] < e.max_load and (case.case_id, e.expert_id) not in forbidden),
                            key=lambda e: (s not in sections[e.expert_id], load[e.expert_id], e.expert_id))[:k]
        if len(candidates) < k:
            return None, None, load
        for e in candidates:
            load[e.expert_id] += 1
            pairs.append((case.case_id, e.expert_id))
            mismatches += s not in sections[e.expert_id]
    return pairs, mismatches, load


def run(report, timed):
    from apps.review.assignment import solve_assignment

    started = time.perf_counter()
    cases, experts, forbidden = build()
    report.line("instance generation (s)", f"{time.perf_counter() - started:.2f}")
    report.line("instance", f"{CASES} cases × {EXPERTS} experts × k={K}, {len(forbidden)} forbidden pairs")

    report.line("peak RSS before solving (MiB)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    _pairs, greedy_mismatches, greedy_load = greedy(cases, experts, K, forbidden)
    greedy_seconds = timed(lambda: greedy(cases, experts, K, forbidden), repeat=3, number=1)
    report.line("baseline greedy: seconds (best of 3)", f"{greedy_seconds:.2f}")
    report.line("baseline greedy: mismatches", str(greedy_mismatches))
    report.line("baseline greedy: loads min / max", f"{min(greedy_load.values())} / {max(greedy_load.values())}")

    for balance in (False, True):
        name = "exact + balanced loads" if balance else "exact, mismatches only"
        result = solve_assignment(cases, experts, k=K, forbidden=forbidden, balance=balance)
        seconds = timed(lambda b=balance: solve_assignment(cases, experts, k=K, forbidden=forbidden, balance=b),
                        repeat=3, number=1)
        report.line(f"{name}: status", result.status)
        report.line(f"{name}: solver", result.solver)
        report.line(f"{name}: seconds (model build + solve)", f"{seconds:.2f}")
        report.figure(f"{name}: seconds / greedy", seconds / greedy_seconds, fmt="{:.1f}x")
        report.line(f"{name}: mismatches", str(result.mismatches))
        if greedy_mismatches:
            report.line(f"{name}: mismatches / greedy", f"{result.mismatches / greedy_mismatches:.3f}")
        report.line(f"{name}: loads min / max", f"{min(result.loads.values())} / {max(result.loads.values())}")
        report.line(f"{name}: Σ load² / greedy",
                    f"{sum(v * v for v in result.loads.values()) / sum(v * v for v in greedy_load.values()):.3f}")
    report.line("peak RSS after solving (MiB)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
