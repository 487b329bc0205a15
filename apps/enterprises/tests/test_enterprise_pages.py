"""The registry pages: list with search, filters and empty states; register and edit through the form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.campaigns.tests.world import build_campaign
from apps.core.creditcode import make_code
from apps.core.scoping import scopes_disabled
from apps.enterprises.models import Enterprise
from tests.factories import make_enterprise

XIHU_CODE = make_code(region="330106", serial="MA2PBMEM2")


@pytest.fixture
def world(tree):
    with scopes_disabled():
        build_campaign(tree)
    return tree


def list_url(world, **params):
    from django.utils.http import urlencode

    url = reverse("enterprises:enterprise_list", args=[world.campaign.pk])
    return url + ("?" + urlencode(params) if params else "")


def form_data(world, **fields):
    return {"name": "杭州西湖智能装备有限公司", "credit_code": XIHU_CODE, "county": world.xihu.code, "park": "",
            "industry_section": "C", "industry_division": "34", "size": "small", "rd_staff": "12",
            "rd_spend": "100.50", "little_giant_batch": "", **fields}


def enterprises(world):
    with scopes_disabled():
        return list(Enterprise.objects.filter(campaign=world.campaign).order_by("id"))


@pytest.fixture
def registry(world):
    """Three enterprises in 西湖区, one in 上城区, one in 武侯区 (another province)."""
    with scopes_disabled():
        c = world.campaign
        world.gear = make_enterprise(c, world.xihu, name="杭州西湖精密齿轮有限公司", serial="MA2GEAR01",
                                     industry_section="C", industry_division="34", is_high_tech=True)
        world.soft = make_enterprise(c, world.xihu, name="杭州西湖工业软件有限公司", serial="MA2XFT001",
                                     industry_section="I", industry_division="65", little_giant_batch=2021)
        world.bio = make_enterprise(c, world.xihu, name="杭州西湖生物医药有限公司", serial="MA2B10001",
                                    industry_section="C", industry_division="27", is_specialised=True)
        world.up = make_enterprise(c, world.shangcheng, name="杭州上城数字科技有限公司", serial="MA2UP0001")
        world.wuhou_e = make_enterprise(c, world.wuhou, name="成都武侯电子有限公司", serial="MA2WH0001")
    return world


def names(response):
    return [e.name for e in response.context["page"].object_list]


def test_a_county_lists_the_enterprises_of_its_county_only(client, registry):
    client.force_login(registry.xihu_admin)
    response = client.get(list_url(registry))
    assert response.status_code == 200
    assert names(response) == ["杭州西湖工业软件有限公司", "杭州西湖生物医药有限公司", "杭州西湖精密齿轮有限公司"]


def test_a_province_lists_its_subtree_and_not_another_province(client, registry):
    client.force_login(registry.zhejiang_admin)
    listed = names(client.get(list_url(registry)))
    assert "杭州上城数字科技有限公司" in listed and "成都武侯电子有限公司" not in listed and len(listed) == 4


def test_search_by_name_or_by_a_lower_case_credit_code(client, registry):
    client.force_login(registry.hangzhou_admin)
    assert names(client.get(list_url(registry, q="齿轮"))) == ["杭州西湖精密齿轮有限公司"]
    assert names(client.get(list_url(registry, q=registry.soft.credit_code.lower()))) == ["杭州西湖工业软件有限公司"]


@pytest.mark.parametrize("params,expected", [
    ({"county": "330102"}, ["杭州上城数字科技有限公司"]),
    ({"section": "I"}, ["杭州西湖工业软件有限公司"]),
    ({"qualification": "high_tech"}, ["杭州西湖精密齿轮有限公司"]),
    ({"qualification": "specialised"}, ["杭州西湖生物医药有限公司"]),
    ({"little_giant": "yes"}, ["杭州西湖工业软件有限公司"]),
    ({"little_giant": "2021"}, ["杭州西湖工业软件有限公司"]),
    ({"little_giant": "2022"}, []),
])
def test_filters_by_county_section_qualification_and_little_giant(client, registry, params, expected):
    client.force_login(registry.hangzhou_admin)
    response = client.get(list_url(registry, **params))
    assert names(response) == expected
    if not expected:
        assert "没有符合条件的企业" in response.content.decode()


def test_an_empty_registry_says_so_and_offers_registration_to_a_county(client, world):
    client.force_login(world.xihu_admin)
    page = client.get(list_url(world)).content.decode()
    assert "企业库中还没有企业" in page and reverse("enterprises:enterprise_create", args=[world.campaign.pk]) in page


def test_a_city_gets_no_register_button(client, registry):
    client.force_login(registry.hangzhou_admin)
    page = client.get(list_url(registry)).content.decode()
    assert reverse("enterprises:enterprise_create", args=[registry.campaign.pk]) not in page


def test_the_list_pages_by_thirty(client, world):
    with scopes_disabled():
        for i in range(35):
            make_enterprise(world.campaign, world.xihu, name=f"企业{i:02d}", serial=f"MA2PAGE{i:02d}")
    client.force_login(world.xihu_admin)
    first = client.get(list_url(world))
    assert len(names(first)) == 30 and first.context["page"].paginator.num_pages == 2
    assert len(names(client.get(list_url(world, page=2)))) == 5


def test_the_list_makes_the_same_number_of_queries_for_10_and_50_enterprises(client, world):
    client.force_login(world.hangzhou_admin)

    def queries_for(n):
        with scopes_disabled():
            Enterprise.plain.all().delete()
            parks = [world.xihu_park, None]
            for i in range(n):
                make_enterprise(world.campaign, world.xihu if i % 2 else world.shangcheng, name=f"企业{i:03d}",
                                serial=f"MA2Q{i:05d}", park=parks[i % 2], little_giant_batch=2022 if i % 3 else None)
        client.get(list_url(world))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(list_url(world, page=1))
        assert response.status_code == 200
        return len(ctx.captured_queries), len(names(response))

    ten, shown_ten = queries_for(10)
    fifty, shown_fifty = queries_for(50)
    assert (shown_ten, shown_fifty) == (10, 30)
    assert ten == fifty


def test_an_association_registers_through_the_form_and_sees_the_enterprise(client, world):
    client.force_login(world.xihu_park_admin)
    url = reverse("enterprises:enterprise_create", args=[world.campaign.pk])
    page = client.get(url).content.decode()
    assert "西湖区" in page and "上城区" not in page  # only its own county to choose
    response = client.post(url, form_data(world, park=world.xihu_park.code, credit_code=XIHU_CODE.lower()))
    [enterprise] = enterprises(world)
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:enterprise_detail",
                                                                            args=[enterprise.pk])
    assert enterprise.credit_code == XIHU_CODE and enterprise.park == world.xihu_park
    detail = client.get(response["Location"]).content.decode()
    assert "34 通用设备制造业" in detail and "100.50 万元" in detail


def test_a_wrong_county_code_is_refused_on_the_form(client, world):
    client.force_login(world.xihu_park_admin)
    response = client.post(reverse("enterprises:enterprise_create", args=[world.campaign.pk]),
                           form_data(world, county=world.shangcheng.code))
    assert response.status_code == 200
    assert "所属区县“330102”不在您可登记的范围内" in response.content.decode()
    assert enterprises(world) == []


def test_the_form_shows_every_credit_code_problem_with_its_position(client, world):
    client.force_login(world.xihu_admin)
    response = client.post(reverse("enterprises:enterprise_create", args=[world.campaign.pk]),
                           form_data(world, credit_code="91440300I92203S216", rd_spend="-1"))
    page = response.content.decode()
    assert "统一社会信用代码第9位“I”不是有效字符" in page and "统一社会信用代码第15位“S”不是有效字符" in page
    assert "研发投入不能为负数" in page
    assert enterprises(world) == []


def test_the_form_refuses_a_division_outside_its_section(client, world):
    client.force_login(world.xihu_admin)
    response = client.post(reverse("enterprises:enterprise_create", args=[world.campaign.pk]),
                           form_data(world, industry_section="A", industry_division="65"))
    assert "不属于门类" in response.content.decode() and enterprises(world) == []


def test_a_duplicate_code_on_the_form_names_the_registered_enterprise(client, world):
    with scopes_disabled():
        make_enterprise(world.campaign, world.xihu, name="已登记的公司", serial="MA2PBMEM2")
    client.force_login(world.xihu_ent_admin)
    response = client.post(reverse("enterprises:enterprise_create", args=[world.campaign.pk]), form_data(world))
    assert f"统一社会信用代码{XIHU_CODE}已登记为“已登记的公司”（西湖区）" in response.content.decode()
    assert len(enterprises(world)) == 1


def test_another_countys_association_gets_404_for_detail_and_edit(client, registry):
    client.force_login(registry.haishu_park_admin)
    assert client.get(reverse("enterprises:enterprise_detail", args=[registry.gear.pk])).status_code == 404
    assert client.get(reverse("enterprises:enterprise_edit", args=[registry.gear.pk])).status_code == 404
    response = client.post(reverse("enterprises:enterprise_edit", args=[registry.gear.pk]), form_data(registry))
    assert response.status_code == 404
    registry.gear.refresh_from_db()
    assert registry.gear.name == "杭州西湖精密齿轮有限公司"


def test_an_association_of_the_county_edits_through_the_form(client, registry):
    client.force_login(registry.xihu_ent_admin)
    url = reverse("enterprises:enterprise_edit", args=[registry.gear.pk])
    assert registry.gear.credit_code in client.get(url).content.decode()
    response = client.post(url, form_data(registry, name="杭州西湖精密齿轮股份有限公司",
                                          credit_code=registry.gear.credit_code, is_high_tech="on"))
    assert response.status_code == 302
    registry.gear.refresh_from_db()
    assert registry.gear.name == "杭州西湖精密齿轮股份有限公司" and registry.gear.rd_staff == 12


def test_a_city_reads_an_enterprise_but_may_not_edit_it(client, registry):
    client.force_login(registry.hangzhou_admin)
    page = client.get(reverse("enterprises:enterprise_detail", args=[registry.gear.pk])).content.decode()
    assert registry.gear.credit_code in page
    assert reverse("enterprises:enterprise_edit", args=[registry.gear.pk]) not in page
    assert client.get(reverse("enterprises:enterprise_edit", args=[registry.gear.pk])).status_code == 404
