"""The publicity plan (issue 17, item 3, R-302): four phases with dates, channels, live streaming and content, sent
to the centre as versions through the approvals; the approved one is in force and the indicator reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.campaigns.indicators import Status, indicator_for
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.publicity.approvals import KIND
from apps.publicity.models import PublicityPlan
from apps.publicity.services import publicity_plan_submit

pytestmark = pytest.mark.django_db


def phases(year: int, **changes) -> dict:
    out = {}
    for n, key in enumerate(("warmup", "collection", "presentations", "summary")):
        out[key] = {"start": dt.date(year, 7 + n, 1), "end": dt.date(year, 7 + n, 28),
                    "channels": ["tv", "web", "new_media"] if n == 2 else ["web", "new_media"],
                    "live": n == 2, "content": f"第{n + 1}阶段宣传安排"}
    out.update(changes)
    return out


def decide(w, approve: bool):
    with scopes_disabled():
        request = latest_of(KIND, f"publicity_plan:{w.zhejiang_programme.pk}")
        if approve:
            return approval_approve(request=request, by=w.center_admin)
        return approval_return(request=request, by=w.center_admin, comment="请补充电视渠道安排")


def r302(w):
    with scopes_disabled():
        return indicator_for(w.zhejiang_programme, "R-302", now=dt.datetime(w.campaign.year, 7, 5,
                                                                            tzinfo=dt.timezone.utc))


def test_r302_each_phase_is_checked_at_its_place_and_nothing_is_sent(campaign_world, system):  # noqa: F811
    w = campaign_world
    year = w.campaign.year
    bad = phases(year, warmup={"start": dt.date(year, 8, 1), "end": dt.date(year, 7, 1), "channels": [],
                               "content": ""},
                 summary={"start": dt.date(year, 12, 1), "end": dt.date(year, 12, 20), "channels": ["radio"],
                          "content": "x"})
    with pytest.raises(ValidationError) as refused:
        publicity_plan_submit(programme=w.zhejiang_programme, by=w.zhejiang_admin, phases=bad)
    found = refused.value.message_dict
    assert set(found) == {"warmup_end", "warmup_channels", "warmup_content", "summary_start", "summary_channels"}
    assert "实施期" in found["summary_start"][0] and "渠道" in found["summary_channels"][0]
    assert not PublicityPlan.plain.exists()
    with pytest.raises(NotFound):
        publicity_plan_submit(programme=w.zhejiang_programme, by=w.hangzhou_admin, phases=phases(year))


def test_r302_returned_then_approved_and_a_later_version_retires_the_first(campaign_world, system):  # noqa: F811
    w = campaign_world
    year = w.campaign.year
    assert r302(w).status == Status.NOT_DUE and "尚无" in r302(w).notes[0]
    first = publicity_plan_submit(programme=w.zhejiang_programme, by=w.zhejiang_admin, phases=phases(year))
    assert "待中心审核" in r302(w).notes[0]
    with pytest.raises(ValidationError, match="已有一版"):
        publicity_plan_submit(programme=w.zhejiang_programme, by=w.zhejiang_admin, phases=phases(year))
    decide(w, approve=False)
    second = publicity_plan_submit(programme=w.zhejiang_programme, by=w.zhejiang_admin, phases=phases(year))
    decide(w, approve=True)
    assert r302(w).status == Status.MET and r302(w).value_text == "第2版生效，覆盖4个阶段"
    third = publicity_plan_submit(programme=w.zhejiang_programme, by=w.zhejiang_admin,
                                  phases=phases(year, presentations={**phases(year)["presentations"], "live": False,
                                                                      "channels": ["web"]}))
    decide(w, approve=True)
    statuses = dict(PublicityPlan.plain.values_list("pk", "status"))
    assert statuses == {first.pk: "returned", second.pk: "retired", third.pk: "in_force"}
    found = r302(w)
    assert found.status == Status.NOT_DUE and "电视" in " ".join(found.notes) and "直播" in " ".join(found.notes)


def test_the_plan_page_lets_the_province_send_and_the_centre_read(client, campaign_world):  # noqa: F811
    w = campaign_world
    url = reverse("publicity:plan", args=[w.zhejiang_programme.pk])
    client.force_login(w.zhejiang_admin)
    year = w.campaign.year
    form = {}
    for key, p in phases(year).items():
        form.update({f"{key}_start": p["start"].isoformat(), f"{key}_end": p["end"].isoformat(),
                     f"{key}_channels": p["channels"], f"{key}_content": p["content"]})
        if p["live"]:
            form[f"{key}_live"] = "on"
    refused = client.post(url, {**form, "summary_content": ""})
    assert refused.status_code == 200 and "请填写总结阶段的宣传内容" in refused.content.decode()
    assert 'value="第1阶段宣传安排"' in refused.content.decode() or "第1阶段宣传安排" in refused.content.decode()
    assert client.post(url, form).status_code == 302
    client.force_login(w.center_admin)
    page = client.get(url).content.decode()
    assert "最新为第1版：待中心审核" in page and "报送中心审核</button>" not in page
    client.force_login(w.hangzhou_admin)
    assert client.get(url).status_code == 404
