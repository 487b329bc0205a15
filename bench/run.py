"""innocase benchmarks: figures as ratios to a baseline measured in the same run.

Usage: make bench  (PostgreSQL on 127.0.0.1:5432; BENCH_DATABASE_URL overrides);
.venv/bin/python bench/run.py case_import  runs the named benchmarks only.
Each benchmark module in bench/ defines `run(report)`; this script sets up a fresh
throw-away database, migrates it, and runs them in order.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCHES = ["bench.subtree", "bench.case_import", "bench.case_list", "bench.assignment", "bench.review_ranking",
           "bench.vote_load", "bench.solver", "bench.selection_list"]


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn, *, repeat: int = 7, number: int = 5) -> float:
    """Best-of-`repeat` mean seconds per call: the least disturbed measurement on a shared machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


class Report:
    def __init__(self):
        self.rows: list[tuple[str, str]] = []

    def line(self, name: str, value: str) -> None:
        self.rows.append((name, value))
        print(f"  {name:<58} {value}", flush=True)


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/innocase_bench")
    if url.startswith("postgres"):
        fresh_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innocase.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    report = Report()
    wanted = [f"bench.{name}" for name in sys.argv[1:]] or BENCHES
    unknown = sorted(set(wanted) - set(BENCHES))
    if unknown:
        sys.exit(f"unknown benchmark: {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    for dotted in wanted:
        print(f"{dotted}:")
        importlib.import_module(dotted).run(report, timed)


if __name__ == "__main__":
    main()
