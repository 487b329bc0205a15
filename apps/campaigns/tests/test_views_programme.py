"""The campaign, programme, rulebook, work-rules and quota pages, as each person uses them."""

import io

import pytest
from django.urls import reverse
from docx import Document

from apps.approvals.models import ApprovalRequest
from apps.audit.models import AuditEntry
from apps.campaigns.models import Campaign, Programme, QuotaPlan
from apps.campaigns.selectors import rulebook_values
from apps.core.scoping import scopes_disabled


def login(client, user):
    client.force_login(user)
    return client


def form_data(client, url, **changes):
    """What the page's form submits unchanged (shares in per cent, ticked boxes as "on"), plus `changes`."""
    data = {}
    for name, value in client.get(url).context["form"].initial.items():
        if value is True:
            data[name] = "on"
        elif value not in (False, None):
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    data.update(changes)
    return data


def test_the_campaign_list_has_an_empty_state(client, tree):
    response = login(client, tree.hangzhou_admin).get(reverse("campaigns:home"))
    assert "暂无活动" in response.content.decode()
    assert reverse("campaigns:campaign_create") not in response.content.decode()


def test_the_centre_sees_the_link_to_open_a_campaign(client, tree):
    page = login(client, tree.center_admin).get(reverse("campaigns:home")).content.decode()
    assert reverse("campaigns:campaign_create") in page


def test_the_centre_creates_a_campaign_through_the_form(client, tree):
    response = login(client, tree.center_admin).post(reverse("campaigns:campaign_create"), {
        "year": "2026", "name": "2026年企业典型创新案例征集及宣讲活动", "provinces": [tree.zhejiang.pk, tree.sichuan.pk]})
    with scopes_disabled():
        campaign = Campaign.plain.get(year=2026)
        assert Programme.plain.filter(campaign=campaign).count() == 3
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:campaign_detail", args=[campaign.pk])
    page = client.get(response["Location"]).content.decode()
    assert "浙江省" in page and "四川省" in page and "设置各省规则边界" in page


def test_a_duplicate_year_is_shown_on_the_form(client, campaign_world):
    response = login(client, campaign_world.center_admin).post(reverse("campaigns:campaign_create"), {
        "year": "2026", "name": "重复", "provinces": [campaign_world.zhejiang.pk]})
    assert response.status_code == 200
    assert "2026年度的活动已存在" in response.content.decode()


def test_a_city_reads_only_its_own_provinces_programme_on_the_campaign_page(client, campaign_world):
    page = login(client, campaign_world.hangzhou_admin).get(
        reverse("campaigns:campaign_detail", args=[campaign_world.campaign.pk])).content.decode()
    assert "浙江省" in page and "四川省" not in page and "品牌建设项目" in page
    assert "设置各省规则边界" not in page


def test_r109_the_rulebook_form_shows_the_bound_and_refuses_a_lower_park_share(client, campaign_world):
    programme = campaign_world.zhejiang_programme
    url = reverse("campaigns:rulebook_edit", args=[programme.pk])
    login(client, campaign_world.zhejiang_admin)
    page = client.get(url).content.decode()
    assert "中心边界：≥ 30%" in page
    assert 'name="province_park_share_min" value="30"' in page  # per cent, never "3E+1"
    response = client.post(url, form_data(client, url, province_park_share_min="25"))
    assert response.status_code == 200
    assert "省级遴选园区科协推荐比例不得低于中心规定的30%（R-109）" in response.content.decode()
    with scopes_disabled():
        assert str(rulebook_values(programme)["province_park_share_min"]) == "0.3"


def test_the_province_edits_its_rulebook_and_sees_quotas_change(client, campaign_world):
    programme = campaign_world.zhejiang_programme
    login(client, campaign_world.zhejiang_admin)
    url = reverse("campaigns:rulebook_edit", args=[programme.pk])
    response = client.post(url, form_data(client, url, target="120", province_park_share_min="40"))
    assert response.status_code == 302
    with scopes_disabled():
        values = rulebook_values(programme)
    assert values["target"] == 120 and str(values["province_park_share_min"]) == "0.4"
    page = client.get(reverse("campaigns:quotas", args=[programme.pk])).content.decode()
    assert ">72<" in page and ">48<" in page  # 120 split 3:2


def test_the_rulebook_page_lists_every_parameter_with_r_id_value_and_bound(client, campaign_world):
    page = login(client, campaign_world.xihu_admin).get(
        reverse("campaigns:rulebook", args=[campaign_world.zhejiang_programme.pk])).content.decode()
    for text in ("R-103", "R-104", "R-105", "R-108", "R-109", "R-110", "R-202", "R-204", "R-303", "R-304", "R-305",
                 "2026年10月31日", "不晚于 2026年10月31日", "≥ 30%"):
        assert text in page
    assert "修改参数" not in page


def test_a_province_staff_member_reads_but_does_not_edit(client, campaign_world, zhejiang_staff):
    programme = campaign_world.zhejiang_programme
    login(client, zhejiang_staff)
    assert client.get(reverse("campaigns:rulebook", args=[programme.pk])).status_code == 200
    assert client.get(reverse("campaigns:quotas", args=[programme.pk])).status_code == 200
    assert client.get(reverse("campaigns:rulebook_edit", args=[programme.pk])).status_code == 404
    assert client.post(reverse("campaigns:rulebook_edit", args=[programme.pk]), {"stories": "150"}).status_code == 404
    assert client.post(reverse("campaigns:quota_manual", args=[programme.pk]),
                       {"reason": "x", "city_330100": "50", "city_330200": "50"}).status_code == 404
    assert not AuditEntry.plain.filter(action__in=["rulebook.update", "quota.manual_set"]).exists()


def test_r104_the_quota_page_shows_the_maths_to_a_county(client, campaign_world):
    page = login(client, campaign_world.xihu_admin).get(
        reverse("campaigns:quotas", args=[campaign_world.zhejiang_programme.pk])).content.decode()
    for text in ("杭州市", "宁波市", "60.0000", "40.0000", "最大余额法", ">72<", ">48<"):
        assert text in page
    assert "改用手工名额表" not in page


def test_another_province_cannot_read_the_quota_page(client, campaign_world):
    response = login(client, campaign_world.chengdu_admin).get(
        reverse("campaigns:quotas", args=[campaign_world.zhejiang_programme.pk]))
    assert response.status_code == 404


def test_r104_a_manual_table_that_does_not_sum_is_refused_with_the_difference(client, campaign_world):
    programme = campaign_world.zhejiang_programme
    response = login(client, campaign_world.zhejiang_admin).post(
        reverse("campaigns:quota_manual", args=[programme.pk]),
        {"reason": "宁波新增园区", "city_330100": "58", "city_330200": "40"})
    assert response.status_code == 200
    assert "各市名额合计98，与目标100相差2，请调整" in response.content.decode()
    with scopes_disabled():
        assert not QuotaPlan.plain.exists()
    assert not AuditEntry.plain.filter(action="quota.manual_set").exists()


def test_r104_a_manual_table_takes_effect_once_the_centre_approves_it_and_the_province_can_return_to_the_split(
        client, campaign_world):
    programme = campaign_world.zhejiang_programme
    login(client, campaign_world.zhejiang_admin)
    response = client.post(reverse("campaigns:quota_manual", args=[programme.pk]),
                           {"reason": "宁波新增园区", "city_330100": "55", "city_330200": "45"})
    assert response.status_code == 302
    page = client.get(reverse("campaigns:quotas", args=[programme.pk])).content.decode()
    # Sent, not yet in force: the computed split stands and the page says so.
    assert "待中心审核" in page and "在此之前仍按比例计算的名额（下表）执行" in page and ">55<" not in page
    entry = AuditEntry.plain.get(action="quota.manual_set")
    assert '"330200":45' in entry.data and '"reason":"宁波新增园区"' in entry.data
    with scopes_disabled():
        approval = ApprovalRequest.plain.get()
    login(client, campaign_world.center_admin)
    assert client.post(reverse("approvals:detail", args=[approval.pk]), {"decision": "approve"}).status_code == 302
    login(client, campaign_world.zhejiang_admin)
    page = client.get(reverse("campaigns:quotas", args=[programme.pk])).content.decode()
    assert "手工名额表" in page and "宁波新增园区" in page and ">55<" in page and "待中心审核" not in page
    client.post(reverse("campaigns:quota_reset", args=[programme.pk]))
    with scopes_disabled():
        assert not QuotaPlan.plain.filter(status=QuotaPlan.Status.IN_FORCE).exists()
        assert QuotaPlan.plain.get().status == QuotaPlan.Status.RETIRED
    assert AuditEntry.plain.filter(action="quota.manual_clear").count() == 1


def test_the_work_rules_download_is_a_word_document(client, campaign_world):
    response = login(client, campaign_world.hangzhou_admin).get(
        reverse("campaigns:work_rules_docx", args=[campaign_world.zhejiang_programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text.endswith("工作细则")


def test_the_province_edits_its_programme_and_work_rules_through_the_pages(client, campaign_world):
    programme = campaign_world.zhejiang_programme
    login(client, campaign_world.zhejiang_admin)
    response = client.post(reverse("campaigns:programme_edit", args=[programme.pk]), {
        "implementing_unit": "浙江省科协企业创新服务中心", "project_lead": "陈晓峰",
        "project_lead_phone": "13905710001", "team": "周丽华，案例征集\n王立成, 宣讲组织\n"})
    assert response.status_code == 302
    with scopes_disabled():
        assert Programme.plain.get(pk=programme.pk).team == [
            {"name": "周丽华", "role": "案例征集"}, {"name": "王立成", "role": "宣讲组织"}]
    response = client.post(reverse("campaigns:work_rules_edit", args=[programme.pk]),
                           {"overall_flow": "按照推荐流程开展。", "event_plan": "举办省级宣讲活动。"})
    assert response.status_code == 302
    page = client.get(reverse("campaigns:work_rules", args=[programme.pk])).content.decode()
    assert "按照推荐流程开展。" in page and "本章节尚未填写" in page


def test_a_bad_phone_is_shown_on_the_programme_form(client, campaign_world):
    response = login(client, campaign_world.zhejiang_admin).post(
        reverse("campaigns:programme_edit", args=[campaign_world.zhejiang_programme.pk]),
        {"project_lead": "陈晓峰", "project_lead_phone": "10086", "team": ""})
    assert response.status_code == 200
    assert "项目负责人手机号码应为以1开头的11位数字" in response.content.decode()


def test_the_centre_sets_a_bound_and_sees_the_provinces_outside_it(client, campaign_world):
    login(client, campaign_world.center_admin)
    url = reverse("campaigns:rule_bounds", args=[campaign_world.campaign.pk])
    assert client.post(url, form_data(client, url, province_park_share_min="35")).status_code == 302
    page = client.get(url).content.decode()
    assert "以下省份的现行参数超出边界" in page and "浙江省" in page and "四川省" in page
    assert AuditEntry.plain.filter(action="campaign.bounds_update").count() == 1


@pytest.mark.parametrize("name", ["quotas", "rulebook", "work_rules"])
def test_the_province_pages_take_a_bounded_number_of_queries(client, campaign_world, django_assert_max_num_queries, name):
    login(client, campaign_world.zhejiang_admin)
    url = reverse(f"campaigns:{name}", args=[campaign_world.zhejiang_programme.pk])
    client.get(url)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
