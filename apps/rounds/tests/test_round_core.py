"""The round machinery every level shares: states move only along draft → open → closed → locked → sent."""

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEntry
from apps.core.scoping import scopes_disabled
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_for, round_receive, round_transition
from tests.factories import make_case, make_enterprise


@pytest.fixture
def submitted(tree):
    from apps.campaigns.tests.world import build_campaign

    with scopes_disabled():
        build_campaign(tree)
        tree.enterprise = make_enterprise(tree.campaign, tree.xihu)
        tree.case = make_case(tree.enterprise, tree.xihu_park, status="submitted", version=1)
        yield tree


def test_r107_a_submitted_case_enters_its_countys_open_screening_round(submitted):
    entry = round_receive(case=submitted.case, by=submitted.xihu_park_admin)
    assert entry.round.org == submitted.xihu
    assert entry.round.kind == Round.Kind.COUNTY_SCREENING and entry.round.state == Round.State.OPEN
    assert entry.decision == RoundEntry.Decision.PENDING and entry.case_version == 1
    assert AuditEntry.plain.filter(action="round.receive", target_id=str(entry.pk)).exists()


def test_a_resubmitted_case_is_pending_again_with_its_new_version(submitted):
    entry = round_receive(case=submitted.case, by=submitted.xihu_park_admin)
    RoundEntry.plain.filter(pk=entry.pk).update(decision=RoundEntry.Decision.RETURNED)
    submitted.case.version = 2
    again = round_receive(case=submitted.case, by=submitted.xihu_park_admin)
    assert again.pk == entry.pk and again.decision == "pending" and again.case_version == 2


def test_rounds_move_only_along_their_states(submitted):
    screening = round_for(programme=submitted.zhejiang_programme, org=submitted.xihu, kind="county_screening")
    with pytest.raises(ValidationError, match="不能改为“已上报”"):
        round_transition(round=screening, to="sent", by=submitted.xihu_admin)
    for state in ("open", "locked", "sent"):
        round_transition(round=screening, to=state, by=submitted.xihu_admin)
    assert screening.state == "sent" and screening.sent_by == submitted.xihu_admin
    with pytest.raises(ValidationError):
        round_transition(round=screening, to="open", by=submitted.xihu_admin)
    moves = list(AuditEntry.plain.filter(action="round.transition", target_type="rounds.Round",
                                       target_id=str(screening.pk)).values_list("data", flat=True))
    assert len(moves) == 3


def test_a_locked_county_list_takes_no_more_cases(submitted):
    screening = round_for(programme=submitted.zhejiang_programme, org=submitted.xihu, kind="county_screening")
    round_transition(round=screening, to="open", by=submitted.xihu_admin)
    round_transition(round=screening, to="locked", by=submitted.xihu_admin)
    with pytest.raises(ValidationError, match="西湖区已锁定"):
        round_receive(case=submitted.case, by=submitted.xihu_park_admin)
    assert RoundEntry.plain.count() == 0


def test_only_a_county_runs_a_county_screening(submitted):
    with pytest.raises(ValidationError, match="杭州市不能组织区县筛查"):
        round_for(programme=submitted.zhejiang_programme, org=submitted.hangzhou, kind="county_screening")
