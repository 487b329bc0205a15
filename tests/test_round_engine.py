"""The round engine is one thing (docs/architecture.md): only apps/rounds/services.py writes a round's state,
and every kind of round is one row of apps/rounds/kinds.py."""

import ast
from pathlib import Path

from apps.orgs.models import Org
from apps.rounds.kinds import KINDS, LIST_KINDS, SCORED_KINDS, SCORING_PLACES, TOP_DOWN, Kind, Place

APPS = Path(__file__).resolve().parent.parent / "apps"
STATE_WRITERS = {APPS / "rounds" / "services.py"}


def _mentions_round_state(node: ast.AST) -> bool:
    """The expression names Round.State (Round.State.OPEN, Round.State("sent") …)."""
    return any(isinstance(n, ast.Attribute) and n.attr == "State" and isinstance(n.value, ast.Name)
               and n.value.id == "Round" for n in ast.walk(node))


def _round_state_writes(tree: ast.AST) -> list[int]:
    """Lines that assign a round's state: `x.state = Round.State…`, `state=Round.State…` passed to a write
    (update, create, update_or_create, get_or_create), or any `Round.<manager>….update(state=…)`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for t in ast.walk(target):
                    if isinstance(t, ast.Attribute) and t.attr == "state" and node.value is not None \
                            and _mentions_round_state(node.value):
                        found.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "update", "create", "update_or_create", "get_or_create", "bulk_create"):
            for keyword in node.keywords:
                if keyword.arg == "state" and _mentions_round_state(keyword.value):
                    found.append(node.lineno)
                elif keyword.arg == "state" and node.func.attr == "update":
                    chain = node.func.value
                    while isinstance(chain, (ast.Attribute, ast.Call)):
                        chain = chain.func if isinstance(chain, ast.Call) else chain.value
                    if isinstance(chain, ast.Name) and chain.id == "Round":
                        found.append(node.lineno)
    return found


def _app_modules():
    for path in sorted(APPS.rglob("*.py")):
        parts = path.relative_to(APPS).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def test_only_the_rounds_services_write_a_rounds_state():
    offenders = []
    for path in _app_modules():
        lines = _round_state_writes(ast.parse(path.read_text(encoding="utf-8")))
        if lines and path not in STATE_WRITERS:
            offenders += [f"{path.relative_to(APPS.parent)}:{line}" for line in lines]
    assert offenders == [], "Round.state is written outside apps/rounds/services.py: " + ", ".join(offenders)


def test_the_check_finds_the_writes_it_looks_for():
    """The scan above would see a state written behind the services' back (so its silence means something)."""
    code = """
round.state = Round.State.OPEN
current.state, current.sent_at = Round.State.SENT, now
Round.plain.filter(pk=1).update(state="open")
Round.plain.create(org=org, kind=kind, state=Round.State.LOCKED)
sheet.state = ScoreSheet.State.SUBMITTED
"""
    assert _round_state_writes(ast.parse(code)) == [2, 3, 4, 5]


def test_every_kind_of_round_has_one_row():
    assert set(KINDS) == set(Kind.values) == set(TOP_DOWN)
    for key, row in KINDS.items():
        assert row.kind == key and row.rule.startswith("R-") and row.run_by
        assert all(isinstance(p, Place) and p.org_kind in Org.Kind.values for p in row.run_by)
        assert row.feeds is None or row.feeds in KINDS
        assert row.also_feeds is None or KINDS[row.also_feeds].run_by == row.run_by
        # A round either decides case by case or makes a list, and only a list is scored.
        assert row.makes_list == (not row.decisions)
        assert not row.scored or row.makes_list


def test_the_kinds_table_says_what_the_campaign_says():
    assert {k: KINDS[k].rule for k in KINDS} == {
        "county_screening": "R-107", "city_selection": "R-108", "province_selection": "R-109",
        "presenter_selection": "R-110", "national_story": "R-506"}
    chain, kind = [], Kind.COUNTY_SCREENING.value
    while kind:
        chain.append(kind)
        kind = KINDS[kind].feeds
    assert chain == ["county_screening", "city_selection", "province_selection", "national_story"]
    assert KINDS["province_selection"].also_feeds == "presenter_selection"
    assert LIST_KINDS == SCORED_KINDS == set(Kind.values) - {"county_screening"}
    assert {(p.org_kind, p.depth) for p in SCORING_PLACES} == {
        (Org.Kind.CENTER, 0), (Org.Kind.PROVINCE, 1), (Org.Kind.CITY, 2), (Org.Kind.COUNTY, 2)}


def test_a_municipality_s_district_runs_both_the_county_and_the_city_round_as_data():
    """直辖市 (issue 16, item 3): the shorter chain is rows of the table, read by runs() and runner_for()."""
    from apps.rounds.kinds import DISTRICT, runs

    assert DISTRICT in KINDS["county_screening"].run_by and DISTRICT in KINDS["city_selection"].run_by
    district = Org(kind=Org.Kind.COUNTY, depth=Org.CITY_DEPTH, code="310115", path="000000/310000/310115/")
    county = Org(kind=Org.Kind.COUNTY, depth=3, code="330106", path="000000/330000/330100/330106/")
    assert runs(district, "county_screening") and runs(district, "city_selection")
    assert runs(county, "county_screening") and not runs(county, "city_selection")
