"""A municipality (直辖市, issue 16 item 3): 上海市 has no city level, so its districts take the city's role. The
notice reaches the districts and, through them, the associations; quotas are apportioned among the districts; a
district screens its associations' cases and then selects its own list, which it locks and sends to the
municipality; presenters are counted per district. All through the services, as the pages call them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.campaigns.models import Programme, Rulebook
from apps.campaigns.selectors import programme_quotas, quota_table
from apps.campaigns.services import campaign_create
from apps.core.scoping import scopes_disabled
from apps.notices.models import NoticeDelivery
from apps.notices.selectors import notice_cascade
from apps.notices.services import notice_delivery_acknowledge, notice_delivery_forward, notice_issue
from apps.orgs.models import Org
from apps.rounds.kinds import Inputs, kind_of
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_entries_decide, round_report
from apps.rounds.tests.conftest import CONFIRMED, distinct_fields
from apps.selection import services as selection
from apps.selection.models import LockedList
from apps.selection.selectors import candidates_for
from tests.factories import build_municipality, make_case, make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def shanghai(tree):
    with scopes_disabled():
        t = build_municipality(tree)
        t.campaign = campaign_create(year=timezone.localdate().year, name="测试活动", by=t.center_admin,
                                     provinces=[t.shanghai])
        t.programme = Programme.plain.get(campaign=t.campaign, org=t.shanghai)
        book = Rulebook.plain.get(programme=t.programme)
        # A small target and no surplus, so that three cases make a district's list.
        book.values = {**book.values, "target": 6, "surplus_ratio": "0", "presenters": 2,
                       "presenters_per_city_max": 1, "presenters_park_share_min": "0"}
        book.save()
    return t


def test_the_municipality_is_recognised_from_the_region_data(shanghai):
    assert shanghai.shanghai.is_municipality and not shanghai.zhejiang.is_municipality
    assert shanghai.pudong.takes_city_role and not shanghai.xihu.takes_city_role


def test_quotas_are_apportioned_among_the_districts(shanghai):
    with scopes_disabled():
        table = quota_table(shanghai.programme)
        lines = {q.org_code: q.quota for q in programme_quotas(shanghai.programme)}
    assert [c.name for c in table.cities] == ["黄浦区", "徐汇区", "浦东新区"]
    assert sum(lines.values()) == 6 and lines["310115"] > lines["310101"]  # 浦东 has 3 of the 5 associations


def test_the_notice_goes_to_the_districts_and_from_them_to_the_associations(shanghai):
    t = shanghai
    with scopes_disabled():
        notice = notice_issue(programme=t.programme, by=t.shanghai_admin, title="关于开展案例征集的通知",
                              body="请各区科协转发。")
        first = NoticeDelivery.plain.filter(notice=notice).select_related("org")
        assert sorted(d.org.name for d in first) == ["徐汇区", "浦东新区", "黄浦区"]
        pudong = first.get(org=t.pudong)
        notice_delivery_forward(delivery=pudong, by=t.pudong_admin, addendum="请浦东各园区确认。")
        park = NoticeDelivery.plain.get(notice=notice, org=t.pudong_park)
        notice_delivery_acknowledge(delivery=park, by=t.pudong_park_admin)
        cascade = notice_cascade(notice=notice, root=t.shanghai, scoped=False)
    assert [level.kind for level in cascade.levels] == [Org.Kind.COUNTY, "association"]
    assert [s.org.name for s in cascade.levels[0].orgs] == ["黄浦区", "徐汇区", "浦东新区"]
    assert sum(1 for s in cascade.levels[1].orgs if s.received) == 1


def _submit(t, county, recommender, n):
    from apps.rounds.services import round_receive

    enterprise = make_enterprise(t.campaign, county, name=f"{county.name}测试企业{n}", serial=f"MAT{n:06d}")
    when = timezone.now() - dt.timedelta(days=1)
    case = make_case(enterprise, recommender, status="submitted", version=1, submitted_at=when, title=f"上海案例{n}",
                     **distinct_fields(900 + n))
    return round_receive(case=case, by=None)


def test_a_district_screens_then_selects_its_own_list_and_sends_it_to_the_municipality(shanghai):
    t = shanghai
    with scopes_disabled():
        entries = [_submit(t, t.pudong, park, n) for n, park in
                   enumerate([t.pudong_park, t.pudong_park2, t.pudong_ent, t.pudong_park], start=1)]
        screening = entries[0].round
        assert (screening.org, screening.kind, screening.send_label) == (t.pudong, "county_screening", "转入本区遴选")
        round_entries_decide(round=screening, entry_ids=[e.pk for e in entries], by=t.pudong_admin,
                             decision="passed", despite={e.pk: CONFIRMED for e in entries})
        round_report(round=screening, by=t.pudong_admin)
        # The district's own selection round received them: the shorter chain, no city in between.
        city_round = Round.plain.get(programme=t.programme, kind="city_selection")
        assert city_round.org == t.pudong
        assert RoundEntry.plain.filter(round=city_round).count() == 4
        candidates = candidates_for(city_round)
        assert {c.city for c in candidates} == {t.pudong.pk} and {c.province for c in candidates} == {t.shanghai.pk}
        quota = {q.org_code: q for q in programme_quotas(t.programme)}["310115"]
        chosen = [e.case_id for e in RoundEntry.plain.filter(round=city_round).order_by("id")][:quota.min_list_length]
        violations = selection.list_set(round=city_round, by=t.pudong_admin, add=chosen)
        assert violations == []
        locked = selection.list_lock(round=city_round, by=t.pudong_admin)
        today = timezone.localdate()
        LockedList.plain.filter(pk=locked.pk).update(starts_on=today - dt.timedelta(days=6),
                                                     ends_on=today - dt.timedelta(days=1))
        selection.list_send(round=city_round, by=t.pudong_admin)
        province = Round.plain.get(programme=t.programme, kind="province_selection")
    assert province.org == t.shanghai
    with scopes_disabled():
        assert RoundEntry.plain.filter(round=province).count() == len(chosen)


def test_presenters_are_counted_per_district(shanghai):
    """R-110's per-city limit applies to each district: two presenters of 浦东新区 break a limit of 1."""
    from apps.campaigns.selectors import rulebook_values
    from apps.rounds.rules import Candidate, PerGroup
    from apps.selection.validator import validate

    t = shanghai
    with scopes_disabled():
        presenters = Round.plain.create(programme=t.programme, org=t.shanghai, kind="presenter_selection")
        rules = kind_of(presenters).rules(Inputs(presenters, rulebook_values(t.programme)))
    per_city = next(r for r in rules if isinstance(r, PerGroup))
    assert set(per_city.names.values()) == {"黄浦区", "徐汇区", "浦东新区"}
    two_in_pudong = [Candidate(id=n, score=1.0, enterprise=n, city=t.pudong.pk, province=t.shanghai.pk,
                               channel="park", eligible=True, label=str(n)) for n in (1, 2)]
    broken = validate(rules, two_in_pudong, [1, 2])
    assert any(v.rule == "R-110" and "浦东新区" in v.message for v in broken)
