"""The API keeps the contract its OpenAPI document states, for every kind of caller (schemathesis).

Every operation of /api/schema/ is called in-process (WSGI) through schemathesis's examples, coverage and fuzzing
phases, with every check it has: no 500; every status code, content type and body as documented; a request the
schema allows is accepted and one it forbids is refused; a method the path does not have answers 405; a secured
operation refuses a request without a token. Path ids are drawn half the time from the objects of the test world
(else made up), so the serializers answer with real rows and the 404s are exercised too.

The callers: a county, a province and the centre (they read), 杭州市, which runs the world's city round (its
changes really happen: lock, unlock, answer, invalidate...), and an expert, who belongs to no org. Each runs
against its own copy of the world (the test's transaction, rolled back afterwards), with its own tokens, on a fixed
seed and a bounded number of examples, so that a run is the same every time.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from knox.models import AuthToken

from apps.core.scoping import scopes_disabled
from innocase.wsgi import application

# Examples per operation in the fuzzing phase; the coverage phase adds the schema's boundaries, wrong types and
# unsupported methods on top.
EXAMPLES = 12

# The contract is the API's, not the database's: it runs once, on PostgreSQL (production's database), where the
# suite's second pass runs. With 104 operations × 5 callers it is a third of a pass's time, and `make test` must stay
# inside CI's 20 minutes.
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the API contract runs once, on PostgreSQL (`make test`'s second pass)")
SEED = 20260101

ROLES = {
    "county": "xihu_admin",
    "province": "zhejiang_admin",
    "centre": "center_admin",
    "city": "hangzhou_admin",
    "expert": "expert_a_user",
}

# Path parameters and the world's objects they name: (operations' path, parameter, dictionary of real values).
REAL_VALUES = [
    (r"^/api/v1/cases/\{id\}/$", "id", "cases"),
    (r"^/api/v1/enterprises/\{id\}/$", "id", "enterprises"),
    (r"^/api/v1/programmes/\{id\}/", "id", "programmes"),
    (r"^/api/v1/orgs/\{code\}/$", "code", "orgs"),
    (r"^/api/v1/review/pools/\{org_code\}/", "org_code", "orgs"),
    (r"^/api/v1/rounds/\{id\}/", "id", "rounds"),
    (r"^/api/v1/(review|voting)/rounds/\{round_id\}/", "round_id", "rounds"),
    (r"^/api/v1/voting/polls/\{id\}/", "id", "polls"),
    (r"^/api/v1/voting/invalidations/\{id\}/", "id", "invalidations"),
    (r"^/api/v1/selection/objections/\{id\}/", "id", "objections"),
    (r"^/api/v1/review/my/assignments/\{id\}/", "id", "assignments"),
    (r"^/api/v1/approvals/\{id\}/", "id", "approvals"),
    (r"^/api/v1/exhibits/\{id\}/", "id", "exhibits"),
    (r"^/api/v1/brand/plans/\{id\}/", "id", "brand_plans"),
    (r"^/api/v1/brand/media-contacts/\{id\}/", "id", "media_contacts"),
    (r"^/api/v1/brand/channel-uses/\{id\}/", "id", "channel_uses"),
    (r"^/api/v1/brand/deliverables/\{id\}/", "id", "brand_deliverables"),
    (r"^/api/v1/brand/overview-reports/\{id\}/", "id", "overview_reports"),
    (r"^/api/v1/ledgers/\{programme_id\}/", "programme_id", "programmes"),
    (r"^/api/v1/expenses/\{id\}/", "id", "expenses"),
    (r"^/api/v1/budgets/\{id\}/", "id", "budgets"),
    (r"^/api/v1/monthly-reports/\{id\}/", "id", "monthly_reports"),
    (r"^/api/v1/final-reports/\{id\}/", "id", "final_reports"),
    (r"^/api/v1/dashboard/\{programme_id\}/$", "programme_id", "programmes"),
]
# Query parameters that name the world's objects, the same way.
REAL_QUERY_VALUES = [
    (r"^/api/v1/budgets/$", "programme", "programmes"),
]
REAL_VALUE_PROBABILITY = 0.5

# Changes whose outcome depends on the state of the data, not only on the request's shape.
RULED_CHANGES = [
    "POST /api/v1/review/rounds/{round_id}/assign/",
    "POST /api/v1/review/my/assignments/{id}/sheet/",
    "POST /api/v1/rounds/{id}/lock/",
    "POST /api/v1/rounds/{id}/unlock/",
    "POST /api/v1/rounds/{id}/send/",
    "POST /api/v1/selection/objections/{id}/answer/",
    "POST /api/v1/voting/polls/{id}/invalidations/",
    "POST /api/v1/voting/polls/{id}/certify/",
    "POST /api/v1/voting/invalidations/{id}/revert/",
    "POST /api/v1/approvals/{id}/approve/",
    "POST /api/v1/approvals/{id}/return/",
    "POST /api/v1/approvals/{id}/withdraw/",
    "POST /api/v1/exhibits/propose/",
    "POST /api/v1/exhibits/{id}/shortlist/",
    "POST /api/v1/exhibits/{id}/decline/",
    "POST /api/v1/case-collections/",
    "POST /api/v1/brand/media-contacts/",
    "POST /api/v1/brand/channel-uses/",
    "POST /api/v1/brand/deliverables/",
    "POST /api/v1/brand/overview-reports/",
    "POST /api/v1/ledgers/{programme_id}/expenses/",
    "POST /api/v1/ledgers/{programme_id}/budget/",
    "POST /api/v1/expenses/{id}/reverse/",
    "POST /api/v1/expenses/{id}/clear/",
    "POST /api/v1/monthly-reports/{id}/save/",
    "POST /api/v1/monthly-reports/{id}/submit/",
    "POST /api/v1/monthly-reports/draft/",
    "POST /api/v1/final-reports/{id}/save/",
    "POST /api/v1/final-reports/{id}/submit/",
    "POST /api/v1/final-reports/draft/",
    "POST /api/v1/acceptance-evaluations/",
]


def real_values(world) -> dict[str, list]:
    """The world's objects by kind, the richest first (generation favours the first entry): 杭州市's city round has
    a review, a poll with votes and an invalidation, and a locked list in 公示 with an objection."""
    from apps.selection.tests.matrix import locked_list

    with scopes_disabled():
        objection = locked_list(world).objections.get()
    return {
        "cases": [world.xihu_submitted_case.pk, world.xihu_case.pk, world.shangcheng_twin_case.pk],
        "enterprises": [world.xihu_submitted_case.enterprise_id, world.shangcheng_twin_case.enterprise_id],
        "programmes": [world.zhejiang_programme.pk, world.sichuan_programme.pk, world.brand_programme.pk],
        "orgs": [org.code for org in (world.hangzhou, world.xihu, world.zhejiang, world.center, world.chengdu)],
        "rounds": [world.hangzhou_round.pk, world.xihu_round.pk],
        "polls": [world.poll.pk],
        "invalidations": [world.invalidation.pk],
        "objections": [objection.pk],
        "assignments": [world.review_assignment.pk],
        "approvals": [world.approval.pk],
        "exhibits": [world.exhibit.pk],
        "brand_plans": [world.brand_plan.pk],
        "media_contacts": [world.media_contact.pk],
        "channel_uses": [world.channel_use.pk],
        "brand_deliverables": [world.brand_deliverable.pk],
        "overview_reports": [world.overview_report.pk],
        "expenses": [world.risky_expense.pk, world.expense.pk],
        "budgets": [world.budget.pk],
        "monthly_reports": [world.monthly_report.pk],
        "final_reports": [world.final_report.pk],
    }


def contract_config(world) -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        # No NUL characters in generated text: DRF refuses them in every text field and PostgreSQL cannot store them,
        # a rule the schema does not spell out on each string; test_api_errors holds their 400 and 404.
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none", "allow-x00": False},
        "dictionaries": {name: {"values": values} for name, values in real_values(world).items()},
        "operations": [
            *({"include-path-regex": path,
               "parameters": {f"path.{name}": {"dictionary": values, "probability": REAL_VALUE_PROBABILITY}}}
              for path, name, values in REAL_VALUES),
            *({"include-path-regex": path,
               "parameters": {f"query.{name}": {"dictionary": values, "probability": REAL_VALUE_PROBABILITY}}}
              for path, name, values in REAL_QUERY_VALUES),
            # A made-up user name and password are well formed and still wrong: the token endpoint refuses them
            # with 400, as DRF's own token view does (test_api_tokens holds it), not with a missing token's 401.
            {"include-name": "POST /api/v1/auth/token/",
             "checks": {"positive_data_acceptance": {"expected-statuses": ["200", "400"]}}},
            # A change the data does not allow yet or any more (a list already locked, 公示 not over, voting still
            # open, a reason the service finds blank) is refused with 400 and its reason, as the pages refuse it;
            # the tests of each endpoint hold those answers.
            *({"include-name": name,
               "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}}}
              for name in RULED_CHANGES),
            # A county code outside the caller's subtree is well formed and refused with 400 and its reason, as the
            # page refuses it (test_api_cases holds it): which codes are inside is data, not schema.
            {"include-name": "GET /api/v1/cases/",
             "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}}},
        ],
    })


@pytest.fixture
def in_test_transaction():
    """Django's WSGI handler closes the database connection after each request; the test client keeps it open for
    the test's transaction, and so does this, around the real WSGI application."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=list(ROLES))
def caller(request, world):
    return getattr(world, ROLES[request.param])


@pytest.fixture
def api_schema(request, world, caller, in_test_transaction):
    # schemathesis 4.32 renames the running item per operation through Node._nodeid, which pytest 9.2 no longer has.
    request.node._nodeid = request.node.nodeid
    return schemathesis.openapi.from_wsgi("/api/schema/", application, config=contract_config(world))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_the_api_keeps_its_contract(case, caller):
    # A token for each request, ended after it: an example that ends its own token (DELETE auth/tokens/{key}/)
    # cannot lock the role out of the examples that follow, and tokens do not pile up (knox reads them all).
    token, text = AuthToken.objects.create(user=caller)
    try:
        case.call_and_validate(headers={"Authorization": f"Token {text}"})
    finally:
        AuthToken.objects.filter(pk=token.pk).delete()
