"""The permission matrix: every URL × relation → expected status.

Each app lists its rows in `apps/<app>/tests/matrix.py` as `ROWS = [Row(...), ...]`;
`tests/test_permission_matrix.py` runs them all and fails when a URL pattern has no row.

A row names the URL, how to build its arguments from the `world` (the test tree of
tests/factories.py plus whatever `make` creates), and the org that owns the object.
People are chosen by their relation to that org:

    own         an admin of the owning org
    staff       a staff member of the owning org (where the tree has one)
    ancestor    an admin of the org directly above
    descendant  an admin of an org directly below
    sibling     an admin of another org under the same parent
    foreign     an admin of an org at the same level in another province
    anon        nobody signed in
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

RELATIONS = ("anon", "own", "staff", "ancestor", "descendant", "sibling", "foreign")

# For each org of the test tree: its relatives by relation (attribute names on the tree).
RELATIVES: dict[str, dict[str, str | None]] = {
    # The centre's staff member is built by apps.brand.tests.world (the brand team is every member of the centre).
    "center": dict(own="center_admin", staff="center_staff", ancestor=None, descendant="zhejiang_admin", sibling=None,
                   foreign=None),
    "zhejiang": dict(own="zhejiang_admin", ancestor="center_admin", descendant="hangzhou_admin",
                     sibling="sichuan_admin", foreign="sichuan_admin"),
    "hangzhou": dict(own="hangzhou_admin", staff="hangzhou_staff", ancestor="zhejiang_admin",
                     descendant="xihu_admin", sibling="ningbo_admin", foreign="chengdu_admin"),
    "xihu": dict(own="xihu_admin", ancestor="hangzhou_admin", descendant="xihu_park_admin",
                 sibling="shangcheng_admin", foreign="wuhou_admin"),
    "xihu_park": dict(own="xihu_park_admin", ancestor="xihu_admin", descendant=None,
                      sibling="xihu_ent_admin", foreign="wuhou_park_admin"),
    # An expert's own pages (apps/review): "own" is the assigned expert, "sibling" another expert of the same
    # pool, "ancestor" an admin of the org running the round (not an expert), "foreign" another city's admin.
    "expert": dict(own="expert_a_user", ancestor="hangzhou_admin", descendant=None, sibling="expert_b_user",
                   foreign="chengdu_admin"),
}


@dataclass
class Row:
    url_name: str
    # make(world) -> (url kwargs, owning org attribute name on the tree, e.g. "hangzhou")
    make: Callable[[Any], tuple[dict, str | None]]
    expect: dict[str, int]
    method: str = "GET"
    data: Callable[[Any], dict] | dict | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    def id(self) -> str:
        return f"{self.method} {self.url_name}"


def no_args(org: str | None = None):
    return lambda world: ({}, org)


def public(url_name: str, status: int = 200, **kw) -> Row:
    """A page everyone may open (login, API docs)."""
    return Row(url_name, no_args(), {r: status for r in ("anon", "own")}, **kw)


def signed_in(url_name: str, org: str = "hangzhou", status: int = 200, **kw) -> Row:
    """A page every signed-in person may open for their own org; anonymous goes to log-in."""
    return Row(url_name, no_args(org), {"anon": 302, "own": status, "foreign": status}, **kw)
