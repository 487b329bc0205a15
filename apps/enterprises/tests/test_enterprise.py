
import pytest
from django.db import IntegrityError, transaction

from apps.campaigns.models import Campaign
from apps.core.creditcode import is_valid
from apps.core.scoping import scope, scopes_disabled
from apps.enterprises.models import Enterprise


@pytest.fixture
def campaign(db):
    with scopes_disabled():
        return Campaign.plain.create(year=2026, name="2026年企业典型创新案例征集及宣讲活动")


def _enterprise(campaign, county, code="914403001922038216", name="杭州测试科技有限公司"):
    return Enterprise.plain.create(campaign=campaign, name=name, credit_code=code, county=county)


def test_one_enterprise_per_credit_code_in_a_campaign(tree, campaign):
    _enterprise(campaign, tree.xihu)
    with pytest.raises(IntegrityError), transaction.atomic():
        _enterprise(campaign, tree.shangcheng, name="另一家")


def test_the_database_refuses_a_malformed_credit_code(tree, campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        _enterprise(campaign, tree.xihu, code="91440300I922038216")


def test_an_association_sees_the_enterprises_of_its_own_county_only(tree, campaign):
    _enterprise(campaign, tree.xihu)
    _enterprise(campaign, tree.haishu, code="91350900587527783P", name="宁波测试机械有限公司")
    with scope(org=tree.xihu_park):
        assert list(Enterprise.objects.values_list("name", flat=True)) == ["杭州测试科技有限公司"]
    with scope(org=tree.zhejiang):
        assert Enterprise.objects.count() == 2
    with scope(org=tree.chengdu):
        assert Enterprise.objects.count() == 0


def test_demo_enterprises_have_valid_codes(tree, campaign):
    from apps.enterprises.demo import seed_enterprises

    with scopes_disabled():
        seed_enterprises("pw")
        codes = list(Enterprise.plain.values_list("credit_code", flat=True))
    assert len(codes) >= 2 * 4  # four counties of the test tree have associations
    assert all(is_valid(c) for c in codes)
