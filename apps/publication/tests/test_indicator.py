"""R-503, the brand project's publishing: stories and reports (media reports, topic-page items) published on the topic
page count only once the centre approved them and while they stay published, against the rulebook's minimums of the
brand programme; a brand plan that names the WeChat official account asks for at least one use of it."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.approvals.models import ApprovalRequest
from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve
from apps.brand.approvals import KIND as PLAN_KIND
from apps.brand.approvals import thread as plan_thread
from apps.brand.models import ChannelUse
from apps.brand.services import brand_plan_submit
from apps.brand.tests.world import plan_phases
from apps.campaigns import rules
from apps.campaigns.indicators import Status, indicator_for, indicators_for
from apps.campaigns.models import Rulebook
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.publication.services import publication_submit, publication_take_down, topic_item_save
from apps.publicity.tests.test_case_collection import reviewed  # noqa: F401 (fixture)
from tests.factories import admin_of

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 8, 1, 4, tzinfo=dt.UTC)
AFTER = dt.datetime(2027, 1, 2, 4, tzinfo=dt.UTC)


def r503(w, now=BEFORE):
    with scopes_disabled():
        return indicator_for(w.brand_programme, "R-503", now=now)


def publish(w, kind, item, by=None):
    by = by or w.zhejiang_admin
    programme = w.zhejiang_programme if kind != "topic_item" or item.programme_id == w.zhejiang_programme.pk \
        else w.brand_programme
    sent = publication_submit(programme=programme, kind=kind, object_id=item.pk, by=by)
    with scopes_disabled():
        request = ApprovalRequest.plain.get(kind="publication", object_id=sent.pk)
    approval_approve(request=request, by=w.center_admin)
    sent.refresh_from_db()
    return sent


def minimums(w, stories: int, reports: int) -> None:
    with scopes_disabled():
        book, _ = Rulebook.plain.get_or_create(programme=w.brand_programme, defaults={"values": {}})
        book.values = {**book.values, "brand_topic_stories_min": stories, "brand_topic_reports_min": reports}
        book.save()


def test_r503_is_the_brand_programme_s_with_the_centre_s_numbers(reviewed, system):
    assert (rules.spec("brand_topic_stories_min").default, rules.spec("brand_topic_reports_min").default) == (100, 12)
    assert "brand_topic_stories_min" not in {s.key for s in rules.province_specs()}
    with scopes_disabled():
        assert "R-503" in [i.rule for i in indicators_for(reviewed.brand_programme)]
        assert "R-503" not in [i.rule for i in indicators_for(reviewed.zhejiang_programme)]
    empty = r503(reviewed)
    assert (empty.value, empty.target, empty.status) == (0, 112, Status.NOT_DUE)
    assert empty.value_text == "案例故事0篇，报道和图文0篇，微信公众号0次"
    assert r503(reviewed, AFTER).status == Status.FAILED


def test_r503_counts_what_is_published_and_stops_counting_what_is_taken_down(reviewed, system):
    w = reviewed
    minimums(w, stories=2, reports=1)
    pending = publication_submit(programme=w.zhejiang_programme, kind="story", object_id=w.stories[0].pk,
                                 by=w.zhejiang_admin)
    assert r503(w).value == 0  # waiting for the centre: not on the topic page, not counted
    approval_approve(request=ApprovalRequest.plain.get(kind="publication", object_id=pending.pk),
                     by=w.center_admin)
    publish(w, "story", w.stories[1])
    item = topic_item_save(programme=w.zhejiang_programme, by=w.zhejiang_admin, title="浙江进展", body="稳步推进。")
    report = publish(w, "topic_item", item)
    met = r503(w)
    assert (met.value, met.target, met.status) == (3, 3, Status.MET)
    assert met.value_text == "案例故事2篇，报道和图文1篇，微信公众号0次"
    publication_take_down(publication=report, by=w.center_admin, reason="数据有误")
    short = r503(w)
    assert (short.value, short.status) == (2, Status.NOT_DUE) and short.notes == ("活动专栏还差1篇报道或图文",)


def test_r503_asks_for_the_wechat_account_when_the_plan_names_it(reviewed, system):
    w = reviewed
    minimums(w, stories=0, reports=0)
    assert r503(w).status == Status.MET  # no plan in force: the account is not asked for
    with scopes_disabled():
        staff = admin_of(w.center, "brand-planner", role=Membership.Role.STAFF)
    plan = brand_plan_submit(programme=w.brand_programme, by=staff, phases=plan_phases(w.brand_programme))
    with scopes_disabled():
        approval_approve(request=latest_of(PLAN_KIND, plan_thread(plan.programme_id)), by=w.center_admin)
    planned = r503(w)
    assert planned.status == Status.NOT_DUE and planned.notes == ("品牌项目方案安排了微信公众号，尚无发布记录",)
    with scopes_disabled():
        ChannelUse.plain.create(programme=w.brand_programme, outlet="中心微信公众号", level="national",
                                channel="wechat", used_on=dt.date(2026, 7, 20), title="首批案例故事",
                                url="https://mp.weixin.qq.com/s/abc", url_key="https://mp.weixin.qq.com/s/abc",
                                evidence="brand/x.png", evidence_name="x.png", evidence_type="image/png")
    assert r503(w).status == Status.MET and r503(w).value_text.endswith("微信公众号1次")
