"""The matrix world: the test tree plus one object of each kind. Builders run in order."""

from __future__ import annotations

import importlib

# Dotted paths of functions world -> None that add objects to the world.
WORLD_BUILDERS: list[str] = [
    "apps.orgs.tests.world.build",
    "apps.campaigns.tests.world.build_campaign",
    "apps.campaigns.tests.world.build_application",
    "apps.approvals.tests.world.build",
    "apps.notices.tests.world.build",
    "apps.enterprises.tests.world.build",
    "apps.cases.tests.case_world.build",
    "apps.cases.tests.attachment_world.build",
    "apps.rounds.tests.world.build",
    "apps.review.tests.world.build",
    "apps.voting.tests.world.build",
    "apps.cases.tests.list_world.build",
    "apps.events.tests.world.build",
    "apps.publicity.tests.world.build",
    "apps.exhibits.tests.world.build",
    "apps.brand.tests.world.build",
    "apps.publication.tests.world.build",
    "apps.book.tests.world.build",
    "apps.finance.tests.world.build",
    "apps.reports.tests.world.build",
    "apps.reports.tests.world.build_final",
]


def build_world(tree):
    for dotted in WORLD_BUILDERS:
        module, name = dotted.rsplit(".", 1)
        getattr(importlib.import_module(module), name)(tree)
    return tree
