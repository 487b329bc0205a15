"""Pieces the benchmarks share: each benchmark's own province, org nodes made directly (no audit rows, no
checks) for fast set-up, the goals figures are judged against, and emptying the cache for a cold measurement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# The province codes each benchmark builds its tree under; only the centre "000000" is shared (the_center).
# Every benchmark runs in the same database and may run alone or after any other, so a code (and the city,
# county and association codes made from it) belongs to one benchmark: a new one takes a province not listed.
PROVINCES: dict[str, tuple[str, ...]] = {
    "subtree": ("610000", "620000", "630000"),  # the measured province and two neighbours of its size
    "case_import": ("460000",),
    "case_list": ("440000",),
    "review_ranking": ("320000",),
    "vote_load": ("330000",),
    "selection_list": ("370000",),
    "case_collection": ("360000",),
    "topic_page": ("350000",),
    "story_book": ("340000", "530000"),
    "dashboard": ("110000", "120000", "130000", "140000", "150000", "210000",  # twelve; the brand is the centre's
                  "220000", "230000", "310000", "410000", "420000", "430000"),
}
_taken = [code for codes in PROVINCES.values() for code in codes]
assert len(_taken) == len(set(_taken)), f"two benchmarks share a province: {sorted(_taken)}"


def org_node(kind, code: str, name: str, parent):
    """An unsaved Org under `parent` with its materialised path (save it, or bulk_create a list of them)."""
    from apps.orgs.models import Org

    path = (parent.path if parent else "") + code + "/"
    return Org(kind=kind, code=code, name=name, parent=parent, path=path, depth=path.count("/") - 1,
               region_code=code[:6] if kind in Org.ADMINISTRATIVE else "")


def the_center():
    """The centre node, made the first time a benchmark needs it."""
    from apps.orgs.models import Org

    center = Org.plain.filter(code="000000").first()
    if center is None:
        center = org_node(Org.Kind.CENTER, "000000", "中心", None)
        center.save()
    return center


@dataclass(frozen=True)
class Goal:
    """A figure's goal as its benchmark states it: `text` as the table prints it, `test` whether a value meets it."""

    text: str
    test: Callable[[object], bool]


def at_most(limit: float, unit: str = "") -> Goal:
    return Goal(f"≤ {limit:g}{unit}", lambda value: value <= limit)


def at_least(limit: float, unit: str = "") -> Goal:
    return Goal(f"≥ {limit:g}{unit}", lambda value: value >= limit)


def exactly(expected) -> Goal:
    return Goal(str(expected), lambda value: value == expected)


def empty_caches() -> None:
    """The state a page is in after any score sheet is submitted: nothing of the ranking cached. The rankings
    and scores are cached only in Django's cache, under keys that change with the round's submitted sheets
    (apps.review.services.ranking_version); the benchmarks' cache is this process's memory (bench/run.py), so
    clearing it empties those and nothing of anyone else's."""
    from django.core.cache import cache

    cache.clear()


def in_child(work: Callable[[], str]) -> tuple[float, float, str]:
    """(seconds, peak resident MB, what `work` returned) of `work()` run in a forked child process of its own: its
    peak memory (ru_maxrss, which counts C libraries' memory as well as Python's) is then its own."""
    import os
    import resource
    import time

    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, report, leave without running the parent's clean-up
        code = 1
        try:
            started = time.perf_counter()
            value = work()
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            os.write(write, f"{seconds} {peak} {value}".encode())
            code = 0
        finally:
            connections.close_all()
            os._exit(code)
    os.close(write)
    _pid, status = os.waitpid(pid, 0)
    out = os.read(read, 400).decode()
    os.close(read)
    if status != 0 or not out:
        raise RuntimeError(f"the child process failed (status {status})")
    seconds, peak, value = out.split(" ", 2)
    return float(seconds), float(peak), value
