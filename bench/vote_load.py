"""Public online voting under load: the vote as a ratio to a trivial view, on a real WSGI server.

One city (杭州市 here, in this benchmark's own province: bench.common.PROVINCES) with a selection round whose review
settings include online voting, its poll published and open (5 votes a voter a day, counts live), and 30,000
verified voters (made directly: a voter is a phone hash; the SMS flow is not what is measured). The app runs under
gunicorn (WSGI, 4 sync worker processes, DEBUG off, persistent DB connections, no Redis) on loopback with
PostgreSQL; a load generator in a process of its own keeps a fixed number of keep-alive connections busy
(bench/loadgen.py). A last pass runs granian (2 workers × 8 threads) beside it at 3,000 cases, for comparison (see
SERVERS).

Each phase is a fixed time. Baseline phases request /healthz/ (the middleware stack and a view that does
nothing); vote phases POST /v/<poll>/c/<case>/vote/ with a voter's signed cookie and a CSRF token, as a
browser does. Each voter asks for 1 to 9 different cases, half of the asks for the 10 most popular, in random
order and mostly at the same time as their other asks (as a script would), and 3 in 10 voters ask again
for a case they already asked for: so votes are cast, refused as already cast today, and refused past the
daily limit, and concurrent votes of one voter race for the day's slots. The machine's speed drifts over
seconds (a shared virtual machine), so baseline and vote phases alternate, and the ratio is the median of
the pairs; the CPU time each request costs the app server, PostgreSQL and the generator (from /proc, so
other load on the machine does not count) gives a second, steadier view of the same ratio.

Figures, at 300 and at 3,000 cases in the round (the same round, grown; fresh voters for each size): req/s
of both, their ratio (goal ≥ 0.30, and about the same at both sizes: a vote must not load the case list),
the vote's p50 / p99 latency as the generator sees it (every connection busy, so queueing included), CPU a
request, the outcomes, the SQL statements of one vote (Django's test client in this process, counting the
prepared statement on psycopg's own cursor: the same at both sizes); then a pass with Redis (hot counters)
at 3,000 cases whose counter must equal the votes; then a
reconciliation of what the server acknowledged with the database: acknowledged votes lost 0, duplicates 0,
voters over the daily limit 0, votes stored but never acknowledged 0, no voter refused a vote the rules
allowed. When the ratio misses its goal, votes are profiled in this process and their CPU split into parts.
"""
from __future__ import annotations

import cProfile
import datetime as dt
import http.client
import os
import pstats
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from bench.common import PROVINCES, at_least, exactly, org_node, the_center
from bench.loadgen import LoadGenerator, Phase

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = PROVINCES["vote_load"][0]
CITY = PROVINCE[:2] + "0100"
COUNTIES = 10
SIZES = (300, 3_000)
VOTERS = 30_000  # split evenly between the passes: each has voters who have not voted today, plenty
VOTES_PER_DAY = 5
# The servers measured: (name, worker processes, threads each). The goal is judged on the first; the second
# is printed beside it at the larger size. gunicorn's sync workers run one request at a time each and block
# on the database plainly; granian hands each request from its Rust runtime to a Python thread, which makes
# its trivial view 2.4× faster than gunicorn's here and each database wait dearer (about 0.45 ms of app CPU a
# vote against 0.06 ms for the statement itself), so it serves more votes a second at a lower ratio.
SERVERS = (("gunicorn", int(os.environ.get("VOTE_LOAD_WORKERS", "4")), 1), ("granian", 2, 8))
CONNECTIONS = 32  # the generator's concurrent keep-alive connections
PAIRS = 3  # baseline / vote phase pairs per size
BASE_SECONDS, VOTE_SECONDS, WARM_SECONDS = 2.0, 3.0, 1.0
GOAL_RATIO = 0.30
SAME_WITHIN = 0.8  # the ratio at 3,000 cases at least this share of the ratio at 300 (the machine drifts)
SHAPES = (1, 2, 3, 5, 5, 7, 9)  # how many different cases a voter asks for; past 5 they meet the daily limit
REPEAT_SHARE = 0.3  # voters who ask again for a case they already asked for
POPULAR, POPULAR_SHARE = 10, 0.5  # half the asks go to the 10 most mobilised cases
BLOCK = 64  # a voter's asks are shuffled among this many, so they are mostly in flight together
REDIS_URL = "redis://127.0.0.1:6379/13"  # not 14: the test suites use that one
HOST = "127.0.0.1"
CSRF = secrets.token_hex(16)  # a CSRF secret (32 characters): the cookie and the form field carry it as is


def build_city() -> dict:
    """The tree, campaign, programme, the city's open selection round with voting in its review settings,
    its published open poll and the voters."""
    from django.utils import timezone

    from apps.campaigns.models import Campaign, Programme
    from apps.orgs.models import Org
    from apps.review.services import review_configure
    from apps.rounds.models import Round
    from apps.voting.hashing import phone_hash
    from apps.voting.models import Poll, Voter

    with transaction.atomic():
        center = the_center()
        province = org_node(Org.Kind.PROVINCE, PROVINCE, "浙江省", center)
        province.save()
        city = org_node(Org.Kind.CITY, CITY, "杭州市", province)
        city.save()
        counties = [org_node(Org.Kind.COUNTY, f"{CITY[:4]}{k + 2:02d}", f"杭州{k + 1}区", city) for k in range(COUNTIES)]
        Org.plain.bulk_create(counties)
        assocs = [org_node(Org.Kind.ENTERPRISE, f"{c.code}-E001", f"协会{c.code}", c) for c in counties]
        Org.plain.bulk_create(assocs)
        campaign, _ = Campaign.plain.get_or_create(year=2026, defaults={"name": "2026年企业典型创新案例征集及宣讲活动"})
        programme = Programme.plain.create(campaign=campaign, kind=Programme.Kind.PROVINCE, org=province,
                                           budget=200000, period_start=dt.date(2026, 7, 1),
                                           period_end=dt.date(2026, 11, 30))
        round = Round.plain.create(programme=programme, org=city, kind=Round.Kind.CITY_SELECTION,
                                   state=Round.State.OPEN, config={})
    review_configure(round=round, by=None, data={"methods": ["review", "voting"],
                                                 "weights": {"review": 70, "voting": 30}}, check=False)
    now = timezone.now()
    poll = Poll.plain.create(round=round, slug="benchvot", title="杭州市企业典型创新案例网络投票",
                             opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1),
                             published=True, votes_per_day=VOTES_PER_DAY, counts=Poll.Counts.LIVE)
    Voter.objects.bulk_create([Voter(phone_hash=phone_hash(f"139{n:08d}")) for n in range(VOTERS)],
                              batch_size=2000)
    voters = list(Voter.objects.order_by("pk").values_list("pk", flat=True))
    return {"counties": counties, "assocs": assocs, "campaign": campaign, "round": round, "poll": poll,
            "voters": voters}


def add_cases(world: dict, start: int, count: int, rng: random.Random) -> None:
    """`count` more submitted cases in the round."""
    from django.utils import timezone

    from apps.cases.models import Case
    from apps.core.creditcode import make_code
    from apps.enterprises.models import Enterprise
    from apps.rounds.models import RoundEntry

    counties, now = world["counties"], timezone.now()
    with transaction.atomic():
        enterprises = [Enterprise(campaign=world["campaign"], name=f"杭州第{i + 1}科技有限公司",
                                  county=counties[i % COUNTIES],
                                  credit_code=make_code(region=counties[i % COUNTIES].code, serial=f"ML{i:07d}"),
                                  industry_section=rng.choice("CCCIM"))
                       for i in range(start, start + count)]
        Enterprise.plain.bulk_create(enterprises, batch_size=2000)
        cases = [Case(campaign=world["campaign"], enterprise=ent, recommender=world["assocs"][n % COUNTIES],
                      county_id=ent.county_id, channel="enterprise", status=Case.Status.SUBMITTED, version=1,
                      title=f"数字化转型创新实践案例{start + n + 1}", type=rng.choice(["technological", "process"]),
                      abstract="摘要" * 50, submitted_at=now)
                 for n, ent in enumerate(enterprises)]
        Case.plain.bulk_create(cases, batch_size=2000)
        RoundEntry.plain.bulk_create([RoundEntry(round=world["round"], case=c, case_version=1) for c in cases],
                                     batch_size=2000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


# -- the server ----------------------------------------------------------------------------------------------

class Server:
    """A WSGI server (SERVERS) serving innocase.wsgi on a free loopback port, in production settings (DEBUG
    off)."""

    def __init__(self, *, redis: bool, kind: tuple[str, int, int] = SERVERS[0]):
        name, workers, threads = kind
        self.name = name
        self.secret_key = secrets.token_urlsafe(48)
        self.pepper = secrets.token_urlsafe(48)
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        # Production settings want every secret set and an SMS gateway (none is called here: the voters are
        # made directly), and redirect plain HTTP to HTTPS: the generator speaks plain HTTP on loopback, in the
        # place of the TLS-terminating proxy.
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": self.secret_key, "VOTE_PHONE_PEPPER": self.pepper,
               "AUDIT_KEY": secrets.token_urlsafe(48), "SMS_BACKEND": "http", "SMS_HTTP_URL": "http://127.0.0.1:9/",
               "SECURE_SSL_REDIRECT": "0", "ALLOWED_HOSTS": HOST, "CONN_MAX_AGE": "60", "LOG_LEVEL": "ERROR",
               "DJANGO_SETTINGS_MODULE": "innocase.settings", "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("REDIS_URL", None)
        if redis:
            env["REDIS_URL"] = REDIS_URL
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"vote_load_{name}_", suffix=".log", delete=False)
        app = os.environ.get("VOTE_LOAD_APP", "innocase.wsgi:application")
        if name == "gunicorn":
            command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"{HOST}:{self.port}",
                       "--workers", str(workers), "--threads", str(threads), "--worker-class",
                       "gthread" if threads > 1 else "sync", "--keep-alive", "30", "--log-level", "warning",
                       "--chdir", str(ROOT), app]
        else:
            command = [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi", "--host", HOST, "--port",
                       str(self.port), "--workers", str(workers), "--blocking-threads", str(threads), "--http", "1",
                       "--no-access-log", "--log-level", "warning", "--working-dir", str(ROOT), app]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if self.get("/healthz/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /healthz/ within 60 s:\n{self.tail()}")

    def get(self, path: str) -> tuple[int, dict]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        finally:
            conn.close()

    def tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def server_version(name: str) -> str:
    program = Path(sys.executable).parent / name
    found = subprocess.run([str(program), "--version"], capture_output=True, text=True)
    return (found.stdout or found.stderr).strip().splitlines()[0] + " (WSGI)"


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes (all their threads) have used, from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return found


def backends() -> list[int]:
    """The PostgreSQL server processes serving this database (the app's persistent connections)."""
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [row[0] for row in cur.fetchall()]


class CpuMeter:
    """CPU seconds used by the app server, the database's backends and the generator during a phase."""

    def __init__(self, server: Server, generator: LoadGenerator):
        self.app = [server.process.pid, *children(server.process.pid)]
        self.generator = [generator.pid]
        self.spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])

    def measure(self, kind: str, phase):
        db = backends()  # local processes: PostgreSQL on this machine (loopback)
        before = (cpu_seconds(self.app), cpu_seconds(db), cpu_seconds(self.generator))
        result = phase()
        after = (cpu_seconds(self.app), cpu_seconds(db), cpu_seconds(self.generator))
        totals = self.spent[kind]
        for n in range(3):
            totals[n] += after[n] - before[n]
        totals[3] += len(result.results)
        return result

    def per_request(self, kind: str) -> tuple[float, float, float]:
        app, db, gen, count = self.spent[kind]
        return app / count, db / count, gen / count


def healthz_request(port: int) -> bytes:
    return (f"GET /healthz/ HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: innocase-bench\r\n"
            "Accept: text/plain\r\n\r\n").encode()


def vote_request(port: int, slug: str, entry: int, token: str) -> bytes:
    body = f"csrfmiddlewaretoken={CSRF}"
    return (f"POST /v/{slug}/c/{entry}/vote/ HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            "User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0.47 innocase-bench\r\n"
            f"Cookie: csrftoken={CSRF}; innocase_voter={token}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}").encode()


def vote_plan(rng: random.Random, voters: list[int], entries: list[int]) -> list[tuple[int, int]]:
    """(voter, entry) asks: each voter asks for 1-9 different cases (some popular), 3 in 10 ask again for one;
    a voter's asks lie among the BLOCK around them, in random order."""
    popular = entries[:POPULAR]
    plan, block = [], []
    for voter in voters:
        wanted: list[int] = []
        for _n in range(rng.choice(SHAPES)):
            while True:
                entry = rng.choice(popular if rng.random() < POPULAR_SHARE else entries)
                if entry not in wanted:
                    wanted.append(entry)
                    break
        block.extend((voter, entry) for entry in wanted)
        if rng.random() < REPEAT_SHARE:
            block.append((voter, rng.choice(wanted)))
        if len(block) >= BLOCK:
            rng.shuffle(block)
            plan.extend(block)
            block = []
    rng.shuffle(block)
    return plan + block


# -- measuring -----------------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Ledger:
    """Every vote ask sent and what the server answered, for the reconciliation."""

    def __init__(self):
        self.answers: list[tuple[int, int, int, str]] = []  # (voter, entry, status, outcome)

    def add(self, plan: list[tuple[int, int]], phase: Phase) -> None:
        for n, (status, outcome, _latency) in enumerate(phase.results, start=phase.start):
            voter, entry = plan[n]
            self.answers.append((voter, entry, status, outcome))


def load_pass(report, world: dict, label: str, voters: list[int], rng: random.Random, ledger: Ledger, *,
              redis: bool, kind: tuple[str, int, int] = SERVERS[0]) -> float:
    """Start the server, alternate baseline and vote phases, stop it; print the figures; return the ratio."""
    from apps.rounds.models import RoundEntry
    from apps.voting.voter import voter_token

    poll = world["poll"]
    entries = list(RoundEntry.plain.filter(round=world["round"]).order_by("pk").values_list("pk", flat=True))
    plan = vote_plan(rng, voters, entries)
    server = Server(redis=redis, kind=kind)
    generator = None
    try:
        with override_settings(SECRET_KEY=server.secret_key):  # the server's key signs the voters' cookies
            tokens = {v: voter_token(v) for v in voters}
        requests = [vote_request(server.port, poll.slug, entry, tokens[voter]) for voter, entry in plan]
        generator = LoadGenerator(HOST, server.port, CONNECTIONS)
        meter = CpuMeter(server, generator)
        generator.plan("healthz", [healthz_request(server.port)])
        generator.plan("votes", requests)
        generator.run("healthz", seconds=WARM_SECONDS, cycle=True)  # each worker thread: its DB connection, code
        check = generator.run("healthz", seconds=0.2, cycle=True)
        assert check.results and all(s == 200 for s, _o, _l in check.results), check.results[:3]
        phase = generator.run("votes", seconds=WARM_SECONDS)
        ledger.add(plan, phase)
        cursor = len(phase.results)
        assert any(o == "ok" for _s, o, _l in phase.results), (
            f"no vote acknowledged: {Counter((s, o) for s, o, _l in phase.results).most_common(3)}")
        base_rates, vote_rates, latencies, outcomes = [], [], [], Counter()
        for _pair in range(PAIRS):
            base = meter.measure("base", lambda: generator.run("healthz", seconds=BASE_SECONDS, cycle=True))
            base_rates.append(base.rate)
            phase = meter.measure("vote", lambda: generator.run("votes", start=cursor, seconds=VOTE_SECONDS))
            ledger.add(plan, phase)
            cursor += len(phase.results)
            if cursor >= len(plan):
                raise RuntimeError(f"the vote plan ran out ({len(plan):,} asks): add voters")
            vote_rates.append(phase.rate)
            latencies += [latency for _s, _o, latency in phase.results]
            outcomes.update(o if s == 303 else f"HTTP {s}" for s, o, _l in phase.results)
    finally:
        if generator is not None:
            generator.close()
        server.stop()
    ratios = [v / b for v, b in zip(vote_rates, base_rates, strict=True)]
    ratio = statistics.median(ratios)
    report.line(f"{label}: /healthz/ req/s (median of {PAIRS}; each)",
                f"{statistics.median(base_rates):,.0f} ({', '.join(f'{r:,.0f}' for r in base_rates)})")
    report.line(f"{label}: vote req/s (median of {PAIRS}; each)",
                f"{statistics.median(vote_rates):,.0f} ({', '.join(f'{r:,.0f}' for r in vote_rates)})")
    judged = kind == SERVERS[0]  # the other server is printed beside it, not judged
    report.figure(f"{label}: vote / healthz req/s", ratio, goal=at_least(GOAL_RATIO) if judged else None, fmt="{:.2f}",
                  note=("" if judged else "for comparison; ") + f"pairs: {', '.join(f'{r:.2f}' for r in ratios)}")
    report.line(f"{label}: vote latency p50 / p99, ms ({CONNECTIONS} connections busy)",
                f"{percentile(latencies, 0.50) * 1000:.0f} / {percentile(latencies, 0.99) * 1000:.0f}")
    (base_app, base_db, base_gen), (app, db, gen) = meter.per_request("base"), meter.per_request("vote")
    report.line(f"{label}: CPU a request, ms: app / PostgreSQL / generator",
                f"/healthz/ {base_app * 1000:.2f} / {base_db * 1000:.2f} / {base_gen * 1000:.2f}, "
                f"vote {app * 1000:.2f} / {db * 1000:.2f} / {gen * 1000:.2f} "
                f"(CPU ratio {(base_app + base_db + base_gen) / (app + db + gen):.2f})")
    total = sum(outcomes.values())
    report.line(f"{label}: vote outcomes of {total:,} asks",
                " / ".join(f"{name} {n / total:.0%}" for name, n in outcomes.most_common()))
    return ratio


def queries_per_vote(world: dict, voter: int, entries: list[int]) -> dict[str, int]:
    """The statements of one vote through the full stack (Django's test client, this process), by outcome:
    cast, refused as already cast, refused past the limit. `voter` must not have voted today."""
    from django.db import reset_queries
    from django.test import Client

    from apps.voting.voter import VOTER_COOKIE, voter_token

    client = Client(HTTP_HOST=HOST)
    client.cookies[VOTER_COOKIE] = voter_token(voter)
    slug = world["poll"].slug
    counts = {}

    import psycopg

    raw_calls = []
    plain_execute = psycopg.Cursor.execute

    def counted(cursor, *args, **kwargs):  # the vote's prepared statement runs on psycopg's own cursor
        if type(cursor) is psycopg.Cursor:
            raw_calls.append(args[0])
        return plain_execute(cursor, *args, **kwargs)

    def vote(entry: int) -> tuple[str, int]:
        reset_queries()
        raw_calls.clear()
        psycopg.Cursor.execute = counted
        try:
            with CaptureQueriesContext(connection) as ctx:
                response = client.post(f"/v/{slug}/c/{entry}/vote/")
        finally:
            psycopg.Cursor.execute = plain_execute
        statements = len(ctx.captured_queries) + len(raw_calls)
        return response.headers.get("X-Vote-Outcome", f"HTTP {response.status_code}"), statements

    for n, entry in enumerate(entries[:VOTES_PER_DAY]):
        outcome, queries = vote(entry)
        assert outcome == "ok", outcome
        if n == 0:
            counts["cast"] = queries
    outcome, counts["already"] = vote(entries[0])
    assert outcome == "already", outcome
    outcome, counts["limit"] = vote(entries[VOTES_PER_DAY])
    assert outcome == "limit", outcome
    return counts


# What the profile of one vote is split into: (label, file ending, function), cumulative time each.
PARTS = (
    ("the poll by its slug (views_public._poll)", "apps/voting/views_public.py", "_poll"),
    ("services.vote_cast", "apps/voting/services.py", "vote_cast"),
    ("  of which the address hashes", "apps/voting/hashing.py", "address_hashes"),
    ("messages (add + cookie)", "django/contrib/messages/api.py", "add_message"),
    ("messages (add + cookie)", "django/contrib/messages/storage/base.py", "update"),
    ("URL resolving", "django/core/handlers/base.py", "resolve_request"),
    ("ORM: compiling SQL (all queries)", "django/db/models/sql/compiler.py", "as_sql"),
    ("psycopg: executing, commit (CPU only)", "psycopg/cursor.py", "execute"),
    ("psycopg: executing, commit (CPU only)", "psycopg/connection.py", "commit"),
)


def hot_spots(report, world: dict, voters: list[int], entries: list[int]) -> None:
    """Where a vote spends its CPU, in this process (Django's test client: the same middleware and view, no
    server; DEBUG off and the DB connection kept, as in the server): CPU time of a vote and of /healthz/,
    then the vote's CPU split into parts (cProfile, scaled to the unprofiled time)."""
    from django.test import Client

    from apps.voting.voter import VOTER_COOKIE, voter_token

    slug = world["poll"].slug
    client = Client(HTTP_HOST=HOST)
    tokens = [voter_token(v) for v in voters]
    asks = [(token, entry) for token in tokens for entry in entries]

    def vote(ask):
        client.cookies[VOTER_COOKIE] = ask[0]
        client.cookies.pop("messages", None)  # a browser follows the redirect, whose page shows and drops them
        client.post(f"/v/{slug}/c/{ask[1]}/vote/")

    def cpu(calls) -> float:
        started = time.process_time()
        for call in calls:
            call()
        return (time.process_time() - started) / len(calls)

    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60  # as the server: no new connection per request
    connection.close()
    try:
        with override_settings(DEBUG=False), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # whitenoise: no collected static files (none are needed here)
            cpu([lambda: client.get("/healthz/")] * 100)
            base = cpu([lambda: client.get("/healthz/")] * 500)
            half = len(asks) // 2
            spent = cpu([lambda a=a: vote(a) for a in asks[:half]])
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for ask in asks[half:]:
                vote(ask)
            profiler.disable()
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = kept
    report.line("profile: CPU of a vote / of a /healthz/ in this process, ms",
                f"{spent * 1000:.2f} / {base * 1000:.2f} (ratio {base / spent:.2f}; test client, DEBUG off)")
    if os.environ.get("VOTE_LOAD_PROFILE_TOP"):
        pstats.Stats(profiler).sort_stats("tottime").print_stats(int(os.environ["VOTE_LOAD_PROFILE_TOP"]))
    stats = pstats.Stats(profiler).stats
    total = sum(tottime for (_cc, _calls, tottime, _cum, _callers) in stats.values())
    parts: dict[str, float] = {}
    for label, ending, name in PARTS:
        parts.setdefault(label, 0.0)
        parts[label] += sum(cum for (filename, _line, function), (_cc, _calls, _tt, cum, _callers) in stats.items()
                            if filename.endswith(ending) and function == name)
    for label, cum in parts.items():
        report.line(f"profile: a vote's CPU: {label}, ms", f"{spent * cum / total * 1000:.2f} ({cum / total:.0%})")


def reconcile(report, world: dict, ledger: Ledger, extra_acknowledged: list[tuple[int, int]]) -> None:
    """What the server acknowledged against the votes in the database."""
    from apps.voting.models import Vote

    poll = world["poll"]
    acknowledged = Counter((v, e) for v, e, s, o in ledger.answers if s == 303 and o == "ok")
    acknowledged.update(extra_acknowledged)
    stored = Counter(Vote.plain.filter(poll=poll).values_list("voter_id", "entry_id"))
    lost = sum(1 for pair in acknowledged if pair not in stored)
    unacknowledged = sum(1 for pair in stored if pair not in acknowledged)
    twice = sum(n - 1 for n in acknowledged.values() if n > 1)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM (SELECT 1 FROM voting_vote WHERE poll_id = %s "
                    "GROUP BY poll_id, voter_id, entry_id, day HAVING count(*) > 1) d", [poll.pk])
        duplicates = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM (SELECT 1 FROM voting_vote WHERE poll_id = %s "
                    "GROUP BY voter_id, day HAVING count(*) > %s) o", [poll.pk, poll.votes_per_day])
        over = cur.fetchone()[0]
    # A voter who asked for k different cases (and got an answer to every ask) is owed min(k, limit) votes.
    asked, answered_all, got = defaultdict(set), defaultdict(lambda: True), Counter()
    for voter, entry, status, outcome in ledger.answers:
        asked[voter].add(entry)
        answered_all[voter] &= status == 303
        got[voter] += outcome == "ok"
    owed = sum(max(0, min(len(entries), poll.votes_per_day) - got[voter])
               for voter, entries in asked.items() if answered_all[voter])
    errors = sum(1 for _v, _e, s, _o in ledger.answers if s != 303)
    report.line("reconciliation: asks / acknowledged votes / votes stored",
                f"{len(ledger.answers):,} / {sum(acknowledged.values()):,} / {sum(stored.values()):,}")
    for name, value in (("acknowledged votes lost", lost), ("duplicate votes (voter, case, day)", duplicates),
                        ("voters over the daily limit", over), ("votes stored but never acknowledged", unacknowledged),
                        ("votes acknowledged twice", twice), ("votes refused that the rules allowed", owed),
                        ("answers other than 303 (errors, no answer)", errors)):
        report.figure(f"reconciliation: {name}", value, goal=exactly(0), fmt="{}")


def redis_running() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_counter_check(report, world: dict) -> None:
    """With Redis, the hot counter the server kept must equal the count of the votes."""
    from apps.voting import counters

    poll = world["poll"]
    with override_settings(REDIS_URL=REDIS_URL):
        client = counters.redis_client()
        raw = client.hgetall(counters._key(poll))
        raw.pop(b"_built", None)
        hot = {int(k): int(v) for k, v in raw.items() if int(v)}
        client.delete(counters._key(poll))
    record = counters.from_database(poll)
    differ = sum(1 for entry in set(hot) | set(record) if hot.get(entry, 0) != record.get(entry, 0))
    report.figure("redis: cases whose hot counter differs from the votes", differ, goal=exactly(0), fmt="{}",
                  note=f"{sum(hot.values()):,} counted")


def run(report, timed):
    from apps.rounds.models import RoundEntry
    from apps.voting import counters

    started = time.perf_counter()
    world = build_city()
    rng = random.Random(20260706)
    voters = world["voters"]
    spare, voters = voters[-202:], voters[:-202]  # for the in-process checks
    share = len(voters) // (len(SIZES) + 2)  # a share of fresh voters for each pass
    (name, workers, threads), other = SERVERS
    report.line("server", f"{server_version(name)}, {workers} workers × {threads} thread{'s' * (threads > 1)}, "
                          f"DEBUG off, DB connections kept 60 s; generator: 1 process, {CONNECTIONS} connections")
    ledger, extra_acknowledged, ratios, queries, done = Ledger(), [], {}, {}, 0
    for n, size in enumerate(SIZES):
        add_cases(world, done, size - done, rng)
        done = size
        label = f"{size:,} cases"
        if n == 0:
            report.line(f"{label}: built with {len(world['voters']):,} voters, s",
                        f"{time.perf_counter() - started:.1f}")
        entries = list(RoundEntry.plain.filter(round=world["round"]).order_by("-pk").values_list("pk", flat=True))
        queries[size] = queries_per_vote(world, spare[n], entries)
        extra_acknowledged += [(spare[n], e) for e in entries[:VOTES_PER_DAY]]
        report.line(f"{label}: SQL statements of one vote (Django's and psycopg's own): cast / already / limit",
                    " / ".join(str(v) for v in queries[size].values()))
        ratios[size] = load_pass(report, world, label, voters[n * share:(n + 1) * share], rng, ledger, redis=False)
    same = len({tuple(q.values()) for q in queries.values()}) == 1
    report.figure("statements of one vote the same at both sizes", "yes" if same else "no", goal=exactly("yes"),
                  fmt="{}", note="" if same else str(queries))
    kept = ratios[SIZES[-1]] / ratios[SIZES[0]]
    report.figure(f"ratio at {SIZES[-1]:,} ÷ ratio at {SIZES[0]:,} cases", kept, goal=at_least(SAME_WITHIN),
                  fmt="{:.2f}")
    if redis_running():
        with override_settings(REDIS_URL=REDIS_URL):
            counters.rebuild(world["poll"])  # the hot counter exists: each vote adds to it
        load_pass(report, world, f"{SIZES[-1]:,} cases, Redis", voters[len(SIZES) * share:(len(SIZES) + 1) * share],
                  rng, ledger, redis=True)
        redis_counter_check(report, world)
    else:
        report.line("redis", f"not answering at {REDIS_URL}: the pass with Redis is left out")
    label = f"{SIZES[-1]:,} cases, {server_version(other[0])} ({other[1]} workers × {other[2]} threads)"
    load_pass(report, world, label, voters[(len(SIZES) + 1) * share:], rng, ledger, redis=False, kind=other)
    reconcile(report, world, ledger, extra_acknowledged)
    if min(ratios.values()) < GOAL_RATIO:
        entries = list(RoundEntry.plain.filter(round=world["round"]).values_list("pk", flat=True)[:3])
        hot_spots(report, world, spare[len(SIZES):], entries)  # 3 votes cast by each
    report.line("total time, s", f"{time.perf_counter() - started:.0f}")
