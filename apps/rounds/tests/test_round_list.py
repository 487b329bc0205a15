"""The round list (/rounds/): grouped by level, filtered by level and place name, paginated, a bounded number
of queries however many rounds there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.scoping import scopes_disabled
from apps.orgs.models import Org
from apps.rounds import views
from apps.rounds.models import Round
from apps.rounds.services import round_for
from tests.factories import make_org

LIST = reverse("rounds:round_list")


@pytest.fixture
def world(campaign):
    """浙江省's rounds at every level: its selection and presenter rounds, 杭州市's and 宁波市's city rounds, and
    the screening rounds of 西湖区, 上城区 (杭州市) and 海曙区 (宁波市)."""
    with scopes_disabled():
        programme = campaign.zhejiang_programme
        for org, kind in ((campaign.zhejiang, "province_selection"), (campaign.zhejiang, "presenter_selection"),
                          (campaign.hangzhou, "city_selection"), (campaign.ningbo, "city_selection"),
                          (campaign.xihu, "county_screening"), (campaign.shangcheng, "county_screening"),
                          (campaign.haishu, "county_screening")):
            round_for(programme=programme, org=org, kind=kind)
        yield campaign


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).split()[0] for h in re.findall(r"<h2 id=\"level-\d+\">(.*?)</h2>", page, re.S)]


def round_names(page: str) -> list[str]:
    return re.findall(r'<a href="/rounds/\d+/">([^<]+)</a>', page)


def level_select(page: str) -> str:
    return re.search(r'<select name="kind".*?</select>', page, re.S).group(0)


def test_the_province_sees_its_rounds_grouped_by_level_from_the_top_down(client, world):
    client.force_login(world.zhejiang_admin)
    page = client.get(LIST).content.decode()
    assert headings(page) == ["省级遴选", "宣讲案例遴选", "市级遴选", "区县筛查"]
    assert round_names(page) == ["浙江省 · 省级遴选", "浙江省 · 宣讲案例遴选", "杭州市 · 市级遴选", "宁波市 · 市级遴选",
                                 "上城区 · 区县筛查", "西湖区 · 区县筛查", "海曙区 · 区县筛查"]
    assert "共3个" in page  # the county level's count


def test_a_place_name_finds_the_rounds_of_that_place(client, world):
    client.force_login(world.zhejiang_admin)
    page = client.get(LIST, {"q": "西湖"}).content.decode()
    assert round_names(page) == ["西湖区 · 区县筛查"]
    assert headings(page) == ["区县筛查"]
    assert 'value="西湖"' in page  # the box keeps what was typed


def test_a_city_name_finds_the_city_and_its_districts(client, world):
    client.force_login(world.zhejiang_admin)
    page = client.get(LIST, {"q": "杭州"}).content.decode()
    assert round_names(page) == ["杭州市 · 市级遴选", "上城区 · 区县筛查", "西湖区 · 区县筛查"]


def test_a_place_name_that_matches_nothing_says_so(client, world):
    client.force_login(world.zhejiang_admin)
    page = client.get(LIST, {"q": "温州"}).content.decode()
    assert round_names(page) == [] and "没有名称含“温州”的地区的名单" in page


def test_the_level_filter_keeps_one_level_and_shows_each_levels_count(client, world):
    client.force_login(world.zhejiang_admin)
    page = client.get(LIST, {"kind": "county_screening"}).content.decode()
    assert headings(page) == ["区县筛查"] and len(round_names(page)) == 3
    options = re.findall(r'<option value="([a-z_]*)"( selected)?>([^<]+)</option>', level_select(page))
    assert options == [("", "", "全部级别（7）"), ("province_selection", "", "省级遴选（1）"),
                       ("presenter_selection", "", "宣讲案例遴选（1）"), ("city_selection", "", "市级遴选（2）"),
                       ("county_screening", " selected", "区县筛查（3）")]


def test_the_level_counts_follow_the_place_searched(client, world):
    client.force_login(world.zhejiang_admin)
    page = client.get(LIST, {"q": "杭州"}).content.decode()
    options = re.findall(r'<option value="[a-z_]*"(?: selected)?>([^<]+)</option>', level_select(page))
    assert options == ["全部级别（3）", "市级遴选（1）", "区县筛查（2）"]


def test_a_search_only_sees_the_orgs_below_the_acting_org(client, world):
    client.force_login(world.hangzhou_admin)
    page = client.get(LIST, {"q": "区"}).content.decode()
    assert round_names(page) == ["上城区 · 区县筛查", "西湖区 · 区县筛查"]  # not 宁波市's 海曙区


def test_pages_keep_the_filters_and_a_level_running_over_a_page_says_it_continues(client, world, monkeypatch):
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 2)
    client.force_login(world.zhejiang_admin)
    page = client.get(LIST, {"q": "杭州"}).content.decode()
    assert round_names(page) == ["杭州市 · 市级遴选", "上城区 · 区县筛查"]
    assert 'href="?q=%E6%9D%AD%E5%B7%9E&amp;page=2"' in page
    second = client.get(LIST, {"q": "杭州", "page": 2}).content.decode()
    assert round_names(second) == ["西湖区 · 区县筛查"]
    assert "（续上页）" in second and "（续上页）" not in page


def test_the_round_list_makes_the_same_number_of_queries_for_7_and_67_rounds(client, world):
    client.force_login(world.zhejiang_admin)

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, params).status_code == 200
        return len(ctx.captured_queries)

    few = [count({}), count({"q": "区"}), count({"kind": "county_screening"})]
    with scopes_disabled():
        for n in range(60):
            county = make_org(Org.Kind.COUNTY, f"3311{n:02d}", f"测试{n}区", world.hangzhou, f"3311{n:02d}")
            round_for(programme=world.zhejiang_programme, org=county, kind=Round.Kind.COUNTY_SCREENING)
    many = [count({}), count({"q": "区"}), count({"kind": "county_screening"})]
    assert few == many
