"""Lists going up the tree (R-106, R-109, R-110): a city's sent list enters its province's round; a province's
enters the centre's national story round and its own presenter round, where the presenter rules apply. A
round that already locked its own list takes nothing more, and a county's list never goes through selection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.campaigns.models import Rulebook
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.review.tests.conftest import add_case, add_cases
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_for, round_transition
from apps.rounds.tests.conftest import submit
from apps.selection import services
from apps.selection.models import LockedList
from apps.selection.selectors import candidates_for, rules_for


@pytest.fixture
def world(campaign):
    with scopes_disabled():
        yield campaign


def _rulebook(round, **values):
    rulebook = Rulebook.plain.get(programme=round.programme)
    rulebook.values = {**rulebook.values, **values}
    rulebook.save()


def _end_publicity(locked: LockedList) -> None:
    today = timezone.localdate()
    LockedList.plain.filter(pk=locked.pk).update(starts_on=today - dt.timedelta(days=6),
                                                 ends_on=today - dt.timedelta(days=1))


def _open(round: Round) -> Round:
    round_transition(round=round, to=Round.State.OPEN, by=None, check=False)
    return round


@pytest.fixture
def hangzhou_locked(poll, entries, world):
    """杭州市's round (quota 2, no surplus) with entries[0] and entries[1] locked and their 公示 over."""
    _rulebook(poll.round, target=3, surplus_ratio="0")
    services.list_set(round=poll.round, by=world.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
    _end_publicity(services.list_lock(round=poll.round, by=world.hangzhou_admin))
    return poll.round


@pytest.fixture
def province_round(world):
    """浙江省's selection round, open, with five cases: four of 杭州市 (two of them from parks) and one of 宁波市's
    海曙智造园科协 (a park), all passed below."""
    found = _open(round_for(programme=world.zhejiang_programme, org=world.zhejiang,
                            kind=Round.Kind.PROVINCE_SELECTION))
    found.hangzhou_cases = add_cases(world, found, 4)
    found.ningbo_case = add_case(world, found, recommender=world.haishu_park)
    return found


def _province_sent(province_round, world) -> LockedList:
    ids = [c.id for c in province_round.hangzhou_cases] + [province_round.ningbo_case.id]
    services.list_set(round=province_round, by=world.zhejiang_admin, add=ids)
    locked = services.list_lock(round=province_round, by=world.zhejiang_admin)
    _end_publicity(locked)
    services.list_send(round=province_round, by=world.zhejiang_admin)
    return locked


def test_a_sent_city_list_enters_the_province_round_as_eligible_candidates(hangzhou_locked, entries, world):
    services.list_send(round=hangzhou_locked, by=world.hangzhou_admin)
    province = Round.plain.get(org=world.zhejiang, kind=Round.Kind.PROVINCE_SELECTION)
    sent = sorted([entries[0].case_id, entries[1].case_id])
    candidates = candidates_for(province)
    assert sorted(c.id for c in candidates) == sent and all(c.eligible for c in candidates)
    assert services.list_check(province, sent) == []  # 2 ≤ 100 cases, one of two from a park
    assert province.state == Round.State.OPEN
    # The province works on them through the same selection functions.
    assert services.list_set(round=province, by=world.zhejiang_admin, add=sent) == []


def test_r110_a_sent_province_list_enters_the_centre_story_round_and_its_own_presenter_round(province_round,
                                                                                          world):
    locked = _province_sent(province_round, world)
    story = Round.plain.get(kind=Round.Kind.NATIONAL_STORY)
    presenter = Round.plain.get(kind=Round.Kind.PRESENTER_SELECTION)
    assert (story.org, story.programme) == (world.center, world.brand_programme)
    assert (presenter.org, presenter.programme) == (world.zhejiang, world.zhejiang_programme)
    for target in (story, presenter):
        assert target.state == Round.State.OPEN
        received = RoundEntry.plain.filter(round=target)
        assert sorted(received.values_list("case_id", flat=True)) == sorted(locked.case_ids)
        assert {e.source.round_id for e in received} == {province_round.pk}
    assert Round.plain.get(pk=province_round.pk).state == Round.State.SENT
    assert [(r.rule, r.op, r.n) for r in rules_for(story)[1:]] == [("R-506", "==", 100)]


def test_r110_the_presenter_round_checks_the_presenter_rules(province_round, world):
    _rulebook(province_round, presenters=2, presenters_per_city_max=1, presenters_park_share_min="0.50")
    _province_sent(province_round, world)
    presenter = Round.plain.get(kind=Round.Kind.PRESENTER_SELECTION)
    assert {r.rule for r in rules_for(presenter)} == {"R-107", "R-110"}
    hangzhou_park, _, shangcheng_park, _ = province_round.hangzhou_cases
    two_of_hangzhou = services.list_check(presenter, [hangzhou_park.id, shangcheng_park.id])
    assert [(v.rule, v.kind) for v in two_of_hangzhou] == [("R-110", "per_group")]
    assert (two_of_hangzhou[0].needed, two_of_hangzhou[0].have) == (1, 2)
    assert "杭州市有2件" in two_of_hangzhou[0].message
    assert [v.rule for v in services.list_check(presenter, [hangzhou_park.id])] == ["R-110"]  # 1 of 2 presenters
    one_each = [hangzhou_park.id, province_round.ningbo_case.id]
    assert services.list_check(presenter, one_each) == []
    services.list_set(round=presenter, by=world.zhejiang_admin, add=one_each)
    assert services.list_lock(round=presenter, by=world.zhejiang_admin).violations == []


def test_a_city_cannot_send_into_a_province_round_that_locked_its_list(hangzhou_locked, world):
    province = _open(round_for(programme=world.zhejiang_programme, org=world.zhejiang,
                               kind=Round.Kind.PROVINCE_SELECTION))
    round_transition(round=province, to=Round.State.LOCKED, by=None, check=False)
    with pytest.raises(ValidationError, match="浙江省已锁定省级遴选名单，不再接收下级上报；请联系浙江省"):
        services.list_send(round=hangzhou_locked, by=world.hangzhou_admin)
    assert Round.plain.get(pk=hangzhou_locked.pk).state == Round.State.LOCKED
    assert services.live_list(hangzhou_locked) is not None
    assert not RoundEntry.plain.filter(round=province).exists()
    assert not AuditEntry.plain.filter(action="round.send").exists()


def test_a_province_send_refused_by_its_locked_presenter_round_changes_no_round(province_round, world):
    presenter = _open(round_for(programme=world.zhejiang_programme, org=world.zhejiang,
                                kind=Round.Kind.PRESENTER_SELECTION))
    round_transition(round=presenter, to=Round.State.LOCKED, by=None, check=False)
    with pytest.raises(ValidationError, match="已锁定宣讲案例遴选名单"):
        _province_sent(province_round, world)
    assert Round.plain.get(pk=province_round.pk).state == Round.State.LOCKED
    assert not Round.plain.filter(kind=Round.Kind.NATIONAL_STORY).exists()  # made inside the refused send
    assert not RoundEntry.plain.filter(round__kind__in=[Round.Kind.NATIONAL_STORY,
                                                        Round.Kind.PRESENTER_SELECTION]).exists()


def test_a_county_list_does_not_go_through_selection(world):
    entry = submit(world)
    county = entry.round
    with pytest.raises(NotFound):
        services.list_set(round=county, by=world.xihu_admin, add=[entry.case_id])
    with pytest.raises(NotFound):
        services.list_lock(round=county, by=world.xihu_admin)
    with pytest.raises(NotFound):
        services.list_send(round=county, by=world.xihu_admin)
    assert Round.plain.get(pk=county.pk).state == Round.State.OPEN
    assert not Round.plain.filter(kind=Round.Kind.CITY_SELECTION).exists()


def test_a_city_round_is_locked_and_unlocked_on_the_selection_page_only(poll, entries, world):
    city = poll.round
    for target in (Round.State.LOCKED, Round.State.SENT):
        with pytest.raises(ValidationError, match="遴选名单"):
            round_transition(round=city, to=target, by=world.hangzhou_admin)
    assert Round.plain.get(pk=city.pk).state == Round.State.OPEN
    _rulebook(city, target=3, surplus_ratio="0")
    services.list_set(round=city, by=world.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
    services.list_lock(round=city, by=world.hangzhou_admin)
    with pytest.raises(ValidationError, match="遴选名单"):  # reopening would skip the unlock and its reason
        round_transition(round=city, to=Round.State.OPEN, by=world.hangzhou_admin)
    assert Round.plain.get(pk=city.pk).state == Round.State.LOCKED
