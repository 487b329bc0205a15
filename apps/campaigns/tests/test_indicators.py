"""Rule indicators (issue 16, item 2): each of R-101…R-110 measured in states crafted to be met, at risk and failed,
with deadlines counted in Beijing dates, and the page and API that show them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.campaigns.indicators import Status, indicator_for, indicators_for, registered_rules
from apps.campaigns.models import Rulebook, WorkRules
from apps.campaigns.tests.world import approved_quota_table
from apps.core.scoping import scopes_disabled
from apps.notices.models import Notice, NoticeDelivery
from apps.orgs.models import Org
from apps.rounds.kinds import Kind
from apps.rounds.models import Round
from apps.selection.models import LockedList
from tests.factories import make_case, make_enterprise

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 12) -> dt.datetime:
    """A moment on a Beijing date (noon unless told)."""
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=BEIJING)


def set_values(programme, **values) -> None:
    with scopes_disabled():
        book = Rulebook.plain.get(programme=programme)
        book.values = {**book.values, **values}
        book.save()


def measure(programme, rule: str, when: str = "2026-07-01", hour: int = 12):
    with scopes_disabled():
        return indicator_for(programme, rule, now=at(when, hour))


def test_every_rule_of_the_flow_is_measured_once_and_only_for_provinces(campaign_world):
    assert {f"R-{n}" for n in range(101, 111)} <= set(registered_rules())
    with scopes_disabled():
        rules = [i.rule for i in indicators_for(campaign_world.zhejiang_programme, now=at("2026-07-01"))]
        brand = [i.rule for i in indicators_for(campaign_world.brand_programme, now=at("2026-07-01"))]
    assert [r for r in rules if r.startswith("R-1")] == [f"R-{n}" for n in range(101, 111)]
    assert not [r for r in brand if r.startswith("R-1")]


def test_a_second_function_for_a_measured_rule_is_refused():
    from apps.campaigns.indicators import register

    with pytest.raises(ValueError):
        register("R-102", lambda m: None)


# -- R-101 work rules: not yet due → at risk → failed, met when complete ---------------------------------

def test_r101_status_moves_with_the_beijing_date_and_is_met_when_all_sections_are_written(campaign_world):
    programme = campaign_world.zhejiang_programme  # mobilisation deadline defaults to 31 July
    assert measure(programme, "R-101", "2026-07-01").status == Status.NOT_DUE
    assert measure(programme, "R-101", "2026-07-20").status == Status.AT_RISK  # within 14 days
    assert measure(programme, "R-101", "2026-07-31", hour=23).status == Status.AT_RISK  # the deadline day itself
    # 1 August 00:30 in Beijing is still 31 July in UTC: the deadline has passed in Beijing.
    late = dt.datetime(2026, 7, 31, 16, 30, tzinfo=dt.timezone.utc)
    with scopes_disabled():
        assert indicator_for(programme, "R-101", now=late).status == Status.FAILED
        assert indicator_for(programme, "R-101", now=late - dt.timedelta(hours=1)).status == Status.AT_RISK
        WorkRules.plain.filter(programme=programme).update(**{name: "内容" for name, _t in WorkRules.SECTIONS})
    found = measure(programme, "R-101", "2026-08-15")
    assert (found.status, found.value, found.target) == (Status.MET, 7, 7)
    assert found.evidence[0].url == reverse("campaigns:work_rules", args=[programme.pk])


# -- R-102 the notice acknowledged by every association ----------------------------------------------------

def _notice(world, programme):
    with scopes_disabled():
        return Notice.plain.create(programme=programme, issuer=programme.org, title="关于开展案例征集的通知",
                                   body="请各地认真组织。")


def _acknowledge(notice, *orgs):
    with scopes_disabled():
        for org in orgs:
            NoticeDelivery.plain.create(notice=notice, org=org, sender=org.parent, received_at=timezone.now())


def test_r102_is_the_share_of_associations_that_acknowledged_the_province_notice(campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    none = measure(programme, "R-102", "2026-08-02")
    assert none.status == Status.FAILED and none.value == 0 and "尚未发布" in none.notes[0]
    notice = _notice(w, programme)
    # A city and a county acknowledging do not count: only associations do.
    _acknowledge(notice, w.hangzhou, w.xihu, w.xihu_park, w.xihu_ent)
    with scopes_disabled():
        total = Org.plain.filter(path__startswith=w.zhejiang.path, kind__in=Org.ASSOCIATIONS).count()
    partial = measure(programme, "R-102", "2026-07-25")
    assert (partial.value, partial.target, partial.status) == (2, total, Status.AT_RISK)
    assert partial.value_text.startswith(f"2/{total}")
    assert measure(programme, "R-102", "2026-08-01").status == Status.FAILED
    # A delivery made but not acknowledged is not counted.
    with scopes_disabled():
        NoticeDelivery.plain.create(notice=notice, org=w.shangcheng_park, sender=w.shangcheng)
    assert measure(programme, "R-102", "2026-07-25").value == 2
    with scopes_disabled():
        NoticeDelivery.plain.filter(notice=notice, org=w.shangcheng_park).update(received_at=timezone.now())
    _acknowledge(notice, w.haishu_park, w.haishu_ent)
    met = measure(programme, "R-102", "2026-08-20")
    assert (met.value, met.status) == (total, Status.MET)
    assert met.evidence[0].url == reverse("notices:notice_cascade", args=[notice.pk])


# -- R-104 the quota table --------------------------------------------------------------------------------

def test_r104_is_met_by_the_computed_table_and_by_an_approved_manual_one(campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    set_values(programme, target=4)
    computed = measure(programme, "R-104")
    assert (computed.value, computed.target, computed.status) == (4, 4, Status.MET)
    with scopes_disabled():
        approved_quota_table(w, {"330100": 3, "330200": 1}, "杭州市园区数量年内增加")
    manual = measure(programme, "R-104")
    assert manual.status == Status.MET and "中心已审核" in manual.value_text
    # The target raised after the table was approved: the table no longer adds up.
    set_values(programme, target=6)
    assert measure(programme, "R-104", "2026-07-20").status == Status.AT_RISK
    broken = measure(programme, "R-104", "2026-08-05")
    assert (broken.value, broken.target, broken.status) == (4, 6, Status.FAILED)


# -- R-106 cases recommended, R-107 counties reported --------------------------------------------------------

def test_r106_counts_submitted_cases_per_city_against_the_surplus_lists(campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    set_values(programme, target=2, surplus_ratio="0.5")  # 杭州 1 → 2 cases, 宁波 1 → 2 cases
    with scopes_disabled():
        for n in range(3):
            enterprise = make_enterprise(w.campaign, w.xihu, name=f"杭州企业{n}", serial=f"MA2PBME{n}X")
            make_case(enterprise, w.xihu_park, status="submitted", title=f"杭州案例{n}")
        draft = make_enterprise(w.campaign, w.haishu, name="宁波企业", serial="MA2PBMF0X")
        make_case(draft, w.haishu_park, title="宁波草稿")
    short = measure(programme, "R-106", "2026-08-20")
    assert (short.value, short.target, short.status) == (3, 4, Status.AT_RISK)
    assert "宁波市" in short.notes[0] and "杭州市" not in short.notes[0]
    assert measure(programme, "R-106", "2026-09-01").status == Status.FAILED
    with scopes_disabled():
        for n in range(2):
            enterprise = make_enterprise(w.campaign, w.haishu, name=f"宁波企业{n}", serial=f"MA2PBMG{n}X")
            make_case(enterprise, w.haishu_ent, status="submitted", title=f"宁波案例{n}")
    assert measure(programme, "R-106", "2026-08-20").status == Status.MET


def _round(programme, org, kind, state=Round.State.OPEN):
    with scopes_disabled():
        return Round.plain.create(programme=programme, org=org, kind=kind, state=state)


def test_r107_every_county_that_received_cases_has_reported(campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    assert measure(programme, "R-107").status == Status.NOT_DUE
    _round(programme, w.xihu, Kind.COUNTY_SCREENING, Round.State.SENT)
    waiting = _round(programme, w.haishu, Kind.COUNTY_SCREENING, Round.State.OPEN)
    found = measure(programme, "R-107", "2026-09-05")
    assert (found.value, found.target, found.status) == (1, 2, Status.AT_RISK) and "海曙区" in found.notes[0]
    assert measure(programme, "R-107", "2026-09-11").status == Status.FAILED
    with scopes_disabled():
        Round.plain.filter(pk=waiting.pk).update(state=Round.State.SENT)
    assert measure(programme, "R-107", "2026-09-11").status == Status.MET


# -- lists: from the locked lists ------------------------------------------

def _lock(round, lines, violations=()):
    """A live locked list of `lines` [(channel, city name)] as the lock freezes it."""
    ids = list(range(round.pk * 1000, round.pk * 1000 + len(lines)))
    inputs = [{"case_id": c, "title": f"案例{c}", "enterprise": f"企业{c}", "city": city, "channel": channel}
              for c, (channel, city) in zip(ids, lines)]
    today = dt.date(2026, 9, 1)
    with scopes_disabled():
        number = LockedList.plain.filter(round=round).count() + 1
        return LockedList.plain.create(
            round=round, number=number, slug=f"t{round.pk}n{number}", case_ids=ids, starts_on=today,
            ends_on=today, result={"inputs": inputs}, sha256="0" * 64, violations=list(violations),
            override_reason="候选案例不足" if violations else "")


def test_r105_and_r108_read_each_city_list_against_its_quota_and_surplus(campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    set_values(programme, target=4)  # 杭州 3 (3 associations), 宁波 1 (2)? the split decides: read it
    from apps.campaigns.selectors import programme_quotas

    with scopes_disabled():
        quotas = {q.org_code: q for q in programme_quotas(programme)}
    need_hz, need_nb = quotas["330100"].min_list_length, quotas["330200"].min_list_length
    hz = _round(programme, w.hangzhou, Kind.CITY_SELECTION, Round.State.SENT)
    _lock(hz, [("park", "杭州市")] * need_hz)
    waiting = measure(programme, "R-105", "2026-09-15")  # 宁波 has no list yet, ten days before the deadline
    assert (waiting.value, waiting.status) == (1, Status.AT_RISK) and "宁波市" in waiting.notes[0]
    assert measure(programme, "R-105", "2026-08-15").status == Status.NOT_DUE
    nb = _round(programme, w.ningbo, Kind.CITY_SELECTION, Round.State.LOCKED)
    _lock(nb, [("park", "宁波市")] * (need_nb - 1), violations=[{"rule": "R-105", "message": "未达差额"}])
    r105 = measure(programme, "R-105", "2026-09-20")
    assert (r105.value, r105.target, r105.status) == (1, 2, Status.FAILED)  # locked over the ratio: broken
    assert "宁波市" in " ".join(r105.notes)
    r108 = measure(programme, "R-108", "2026-09-20")
    assert (r108.value, r108.target, r108.status) == (1, 2, Status.AT_RISK)  # 宁波 locked, not yet sent
    assert measure(programme, "R-108", "2026-09-26").status == Status.FAILED
    # 宁波 unlocks, relocks a full list and sends it.
    with scopes_disabled():
        LockedList.plain.filter(round=nb).update(withdrawn_at=timezone.now())
        Round.plain.filter(pk=nb.pk).update(state=Round.State.SENT)
    _lock(nb, [("enterprise", "宁波市")] * need_nb)
    assert measure(programme, "R-105", "2026-09-20").status == Status.MET
    assert measure(programme, "R-108", "2026-09-20").status == Status.MET


def test_r103_and_r109_read_the_provincial_list(campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    set_values(programme, target=10, province_max=10, province_park_share_min="0.3")
    assert measure(programme, "R-109", "2026-09-01").status == Status.NOT_DUE
    assert measure(programme, "R-109", "2026-10-05").status == Status.AT_RISK
    assert measure(programme, "R-109", "2026-10-16").status == Status.FAILED
    province = _round(programme, w.zhejiang, Kind.PROVINCE_SELECTION, Round.State.LOCKED)
    _lock(province, [("park", "杭州市")] * 3 + [("enterprise", "宁波市")] * 7)
    r109 = measure(programme, "R-109", "2026-10-05")
    assert (r109.value, r109.status) == (10, Status.MET) and "30%" in r109.value_text
    r103 = measure(programme, "R-103", "2026-10-05")
    assert (r103.value, r103.target, r103.status) == (10, 10, Status.MET)
    # Relocked with too few park cases (over the rule, with a reason): failed whatever the date.
    with scopes_disabled():
        LockedList.plain.filter(round=province).update(withdrawn_at=timezone.now())
    _lock(province, [("park", "杭州市")] * 2 + [("enterprise", "宁波市")] * 7,
          violations=[{"rule": "R-109", "message": "园区比例不足"}])
    low = measure(programme, "R-109", "2026-09-01")
    assert low.status == Status.FAILED and "22.2%" in low.value_text
    r103 = measure(programme, "R-103", "2026-10-05")
    assert (r103.value, r103.status) == (9, Status.AT_RISK)
    with scopes_disabled():
        Round.plain.filter(pk=province.pk).update(state=Round.State.SENT)
    assert measure(programme, "R-103", "2026-10-05").status == Status.FAILED  # sent short: final


def test_r110_counts_presenters_per_city(campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    set_values(programme, presenters=4, presenters_per_city_max=2, presenters_park_share_min="0.5")
    presenters = _round(programme, w.zhejiang, Kind.PRESENTER_SELECTION, Round.State.OPEN)
    assert measure(programme, "R-110", "2026-10-05").status == Status.AT_RISK  # not locked, ten days left
    assert measure(programme, "R-110", "2026-10-16").status == Status.FAILED
    _lock(presenters, [("park", "杭州市"), ("park", "杭州市"), ("park", "杭州市"), ("enterprise", "宁波市")])
    crowded = measure(programme, "R-110", "2026-10-01")
    assert crowded.status == Status.FAILED and "杭州市" in crowded.notes[0]
    with scopes_disabled():
        LockedList.plain.filter(round=presenters).update(withdrawn_at=timezone.now())
    _lock(presenters, [("park", "杭州市"), ("park", "杭州市"), ("enterprise", "宁波市"), ("enterprise", "宁波市")])
    met = measure(programme, "R-110", "2026-10-01")
    assert (met.value, met.target, met.status) == (4, 4, Status.MET)


# -- where they are read -------------------------------------------------------------------------------------

def test_the_programme_page_shows_the_indicators_to_the_province_and_the_centre_not_to_a_city(client, campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    url = reverse("campaigns:programme_detail", args=[programme.pk])
    for user in (w.zhejiang_admin, w.center_admin):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'data-rule="R-102"' in page and 'data-rule="R-110"' in page and "规则指标" in page
    client.force_login(w.hangzhou_admin)
    page = client.get(url)
    assert page.status_code == 200 and "规则指标" not in page.content.decode()


def api_client_for(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_returns_the_indicators_and_hides_them_below_the_province(client, campaign_world):
    w, programme = campaign_world, campaign_world.zhejiang_programme
    url = f"/api/v1/programmes/{programme.pk}/indicators/"
    body = api_client_for(w.zhejiang_admin).get(url).json()
    assert [row["rule"] for row in body][:10] == [f"R-{n}" for n in range(101, 111)]
    row = body[0]
    assert row["status"] in {"met", "at_risk", "failed", "not_due"} and row["deadline"]
    assert set(row) >= {"target", "value", "target_text", "value_text", "evidence", "notes", "status_label"}
    assert api_client_for(w.center_admin).get(url).status_code == 200
    assert api_client_for(w.hangzhou_admin).get(url).status_code == 404
    assert api_client_for(w.sichuan_admin).get(url).status_code == 404
