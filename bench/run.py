"""innocase benchmarks: figures as ratios to a baseline measured in the same run.

Usage: make bench  (PostgreSQL on 127.0.0.1:5432; BENCH_DATABASE_URL overrides);
.venv/bin/python bench/run.py case_import  runs the named benchmarks only.
Each benchmark module in bench/ defines `run(report, timed)`; this script sets up a fresh
throw-away database, migrates it, runs them in order (each on its own province, bench/common.PROVINCES),
and ends with one table of the figures beside the goals their benchmarks state. A benchmark that fails is
shown in the table and the others still run; the exit status is 1 if any failed (a goal not met is a
figure, not a failure).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCHES = ["bench.subtree", "bench.case_import", "bench.case_list", "bench.assignment", "bench.review_ranking",
           "bench.vote_load", "bench.solver", "bench.selection_list", "bench.case_collection",
           "bench.topic_page", "bench.story_book", "bench.dashboard"]


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        # FORCE: a server left behind by an interrupted run (bench/vote_load) may still hold connections.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
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


@dataclass(frozen=True)
class Figure:
    bench: str
    name: str
    shown: str
    goal: str
    verdict: str


class Report:
    """Lines printed as they come; figures (report.figure) are printed too and kept for the closing table."""

    def __init__(self):
        self.rows: list[tuple[str, str]] = []
        self.figures: list[Figure] = []
        self.bench = ""

    def line(self, name: str, value: str) -> None:
        self.rows.append((name, value))
        print(f"  {name:<58} {value}", flush=True)

    def figure(self, name: str, value, *, goal=None, fmt: str = "{:.2f}x", note: str = "") -> None:
        """A figure for the table, judged against `goal` (bench.common.Goal; None: its benchmark states none,
        and the table shows it as the benchmark's headline)."""
        shown = fmt.format(value)
        verdict = "" if goal is None else "met" if goal.test(value) else "NOT MET"
        number = re.search(r"-?\d[\d,]*(\.\d+)?", shown) if isinstance(value, float) and goal else None
        if number and goal.test(float(number[0].replace(",", ""))) != goal.test(value):
            # Rounded, the value would read as meeting its goal ("0.30 NOT MET" against ≥ 0.3): show more of it.
            shown = shown.replace(number[0], f"{value:.4f}", 1)
        self.figures.append(Figure(self.bench, name, shown, goal.text if goal else "none stated", verdict or "-"))
        self.line(f"{name} (goal {goal.text})" if goal else name,
                  " ".join(part for part in (shown, verdict, f"({note})" if note else "") if part))

    def failed(self, bench: str, error: BaseException) -> None:
        self.figures.append(Figure(bench, "did not finish", type(error).__name__, "-", "FAILED"))

    def table(self) -> None:
        rows = [Figure("benchmark", "figure", "value", "goal", "verdict"), *self.figures]
        widths = [max(_width(cell) for cell in column) for column in zip(*((r.bench, r.name, r.shown, r.goal)
                                                                             for r in rows), strict=True)]
        verdicts = [f.verdict for f in self.figures]
        print(f"\nFigures and their goals: {verdicts.count('met')} met, {verdicts.count('NOT MET')} not met, "
              f"{verdicts.count('-')} without a stated goal"
              + (f", {verdicts.count('FAILED')} benchmark{'s' * (verdicts.count('FAILED') > 1)} failed"
                 if "FAILED" in verdicts else ""))
        for n, r in enumerate(rows):
            cells = (_pad(r.bench, widths[0]), _pad(r.name, widths[1]),
                     _pad(r.shown, widths[2], right=n > 0), _pad(r.goal, widths[3]), r.verdict)
            print("  " + "  ".join(cells), flush=True)


def _width(text: str) -> int:
    """Columns a terminal gives the text: a Chinese character takes two."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/innocase_bench")
    if url.startswith("postgres"):
        fresh_database(url)
    os.environ["DATABASE_URL"] = url
    # The benchmarks' own cache is this process's memory: a cold measurement empties it (bench.common.empty_caches)
    # without flushing a Redis anyone else uses. bench/vote_load gives its servers Redis where it measures it.
    os.environ.pop("REDIS_URL", None)
    # As `make bench` says: the settings default to production (secrets, HTTPS), and this process measures
    # through Django's test client as development does. bench/vote_load's servers run in production settings.
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innocase.settings")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    report = Report()
    wanted = list(dict.fromkeys(f"bench.{name}" for name in sys.argv[1:])) or BENCHES  # each once: one province
    unknown = sorted(set(wanted) - set(BENCHES))
    if unknown:
        sys.exit(f"unknown benchmark: {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    for dotted in wanted:
        print(f"{dotted}:", flush=True)
        report.bench = dotted.removeprefix("bench.")
        try:
            importlib.import_module(dotted).run(report, timed)
        except Exception as error:  # noqa: BLE001 - the rest still run; the table and the exit status say so
            traceback.print_exc()
            report.failed(report.bench, error)
            connection.close()  # the next benchmark starts on a fresh connection, whatever state this one left
    report.table()
    if any(f.verdict == "FAILED" for f in report.figures):
        sys.exit(1)


if __name__ == "__main__":
    main()
