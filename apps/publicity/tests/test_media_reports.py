"""Media reports (issue 17, item 3, R-303): recorded with evidence, a link only once in a campaign (however it is
written), counted against the rulebook's targets, and coverage links of held events offered for recording."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.campaigns.indicators import Status, indicator_for
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.cases.tests.attachment_world import png_bytes
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.events.models import Event
from apps.publicity import services
from apps.publicity.models import MediaReport

pytestmark = pytest.mark.django_db


def shot():
    return SimpleUploadedFile("截图.png", png_bytes(size=(120, 90)), content_type="image/png")


def record(w, url, *, kind="report", level="provincial", org=None, by=None, **more):
    return services.media_report_add(org=org or w.zhejiang, programme=w.zhejiang_programme,
                                     by=by or w.zhejiang_admin, outlet="浙江日报", level=level, kind=kind,
                                     published_on=timezone.localdate(), title="浙江启动企业创新案例征集", url=url,
                                     evidence=more.pop("evidence", shot()), **more)


@pytest.mark.parametrize("again", ["https://ZJRB.example.cn/a/1/", "http://www.zjrb.example.cn/a/1?utm_source=wx",
                                   "https://zjrb.example.cn/a/1#top"])
def test_r303_the_same_link_is_refused_however_it_is_written(campaign_world, system, again):  # noqa: F811
    w = campaign_world
    record(w, "https://zjrb.example.cn/a/1")
    with pytest.raises(ValidationError) as refused:
        record(w, again, org=w.hangzhou, by=w.hangzhou_admin)
    assert "已登记（浙江省" in refused.value.message_dict["url"][0]
    assert MediaReport.plain.count() == 1


def test_r303_a_report_needs_its_fields_and_evidence_and_nothing_is_half_written(campaign_world, system):  # noqa: F811
    w = campaign_world
    with pytest.raises(ValidationError) as refused:
        services.media_report_add(org=w.zhejiang, programme=w.zhejiang_programme, by=w.zhejiang_admin, outlet="",
                                  level="x", kind="report", published_on=timezone.localdate() + dt.timedelta(days=2),
                                  title="", url="javascript:alert(1)", evidence=None)
    assert set(refused.value.message_dict) == {"outlet", "level", "published_on", "title", "url", "evidence"}
    with pytest.raises(ValidationError) as refused:
        record(w, "https://zjrb.example.cn/a/2",
               evidence=SimpleUploadedFile("截图.png", b"<html>not an image</html>", content_type="image/png"))
    assert refused.value.message_dict["evidence"]
    assert not MediaReport.plain.exists() and not AuditEntry.plain.filter(action="media_report.add").exists()
    with pytest.raises(NotFound):
        record(w, "https://zjrb.example.cn/a/3", by=w.sichuan_admin)


def test_r303_counts_reports_and_national_overviews_against_the_rulebook(campaign_world, system):  # noqa: F811
    w = campaign_world
    for n in range(4):
        record(w, f"https://zjrb.example.cn/r/{n}")
    record(w, "https://www.example-news.cn/overview", kind="overview", level="provincial")  # not national: no count
    year = w.campaign.year
    with scopes_disabled():
        short = indicator_for(w.zhejiang_programme, "R-303", now=dt.datetime(year, 11, 20, tzinfo=dt.timezone.utc))
    assert (short.value, short.status) == (4, Status.AT_RISK) and short.value_text == "报道4篇，综述0篇"
    record(w, "https://zjrb.example.cn/r/5")
    record(w, "https://news.example.cn/national/1", kind="overview", level="national")
    with scopes_disabled():
        met = indicator_for(w.zhejiang_programme, "R-303", now=dt.datetime(year, 11, 20, tzinfo=dt.timezone.utc))
    assert (met.value, met.status) == (5, Status.MET)


def test_coverage_links_of_held_events_wait_to_be_recorded(campaign_world, system):  # noqa: F811
    w = campaign_world
    start = timezone.now() - dt.timedelta(days=1)
    with scopes_disabled():
        event = Event.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, title="宣讲会", venue="杭州",
                                   starts_at=start, ends_at=start + dt.timedelta(hours=1), state="held",
                                   held_at=start, coverage=["https://zjrb.example.cn/e/1", "https://tv.example.cn/e/2"])
    assert [link for _e, link in services.unrecorded_coverage(w.zhejiang, w.zhejiang_programme)] == [
        "https://zjrb.example.cn/e/1", "https://tv.example.cn/e/2"]
    report = record(w, "https://zjrb.example.cn/e/1/", event=event)
    assert report.event == event
    assert [link for _e, link in services.unrecorded_coverage(w.zhejiang, w.zhejiang_programme)] == [
        "https://tv.example.cn/e/2"]


def test_a_report_is_removed_only_with_a_reason(campaign_world, system):  # noqa: F811
    w = campaign_world
    report = record(w, "https://zjrb.example.cn/x/1")
    with pytest.raises(ValidationError):
        services.media_report_remove(report=report, by=w.zhejiang_admin, reason="")
    services.media_report_remove(report=report, by=w.zhejiang_admin, reason="重复登记")
    assert not MediaReport.plain.exists()
    assert "重复登记" in AuditEntry.plain.get(action="media_report.remove").data


def test_the_reports_page_shows_the_r303_indicator_itself(client, campaign_world):  # noqa: F811
    from django.urls import reverse

    w = campaign_world
    record(w, "https://zjrb.example.cn/page/1")
    client.force_login(w.zhejiang_admin)
    page = client.get(reverse("publicity:report_list")).content.decode()
    assert "现有报道1篇，综述0篇；目标：报道 ≥ 5篇，综述 ≥ 1篇" in page
