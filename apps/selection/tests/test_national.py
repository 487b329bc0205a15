"""The centre's national story round (R-506): 100 stories from the provinces' selected cases, with an optional
minimum per province that the centre sets; the same validator and solver as every other level."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.rounds import kinds
from apps.rounds.models import Round, RoundEntry
from apps.rounds.rules import Quota
from apps.rounds.services import round_for
from apps.selection import selectors, services
from tests.factories import make_case, make_enterprise


@pytest.fixture
def national(campaign):
    """The centre's story round, open, with 3 cases from 浙江省 (西湖区) and 2 from 四川省 (武侯区)."""
    with scopes_disabled():
        found = round_for(programme=campaign.brand_programme, org=campaign.center, kind=Round.Kind.NATIONAL_STORY)
        Round.plain.filter(pk=found.pk).update(state=Round.State.OPEN)
        found.refresh_from_db()
        found.cases = {}
        for n, (county, association) in enumerate([("xihu", "xihu_park")] * 3 + [("wuhou", "wuhou_park")] * 2):
            enterprise = make_enterprise(campaign.campaign, getattr(campaign, county), name=f"故事{n}科技有限公司",
                                         serial=f"NAT{n:06d}")
            case = make_case(enterprise, getattr(campaign, association), status="submitted", version=1,
                             title=f"故事案例{n}")
            RoundEntry.plain.create(round=found, case=case, case_version=1)
            found.cases[n] = case
    return found


def test_without_a_minimum_the_round_has_only_the_count_rule(national, campaign):
    with scopes_disabled():
        rules = selectors.rules_for(national)
    assert [r.rule for r in rules] == ["R-107", "R-506"] and not any(isinstance(r, Quota) for r in rules)


def test_a_minimum_per_province_is_a_rule_the_validator_names_and_the_solver_obeys(national, campaign):
    with scopes_disabled():
        services.national_configure(round=national, by=campaign.center_admin, per_province_min=2)
        rules = selectors.rules_for(national)
        quota = next(r for r in rules if isinstance(r, Quota))
        assert quota.rule == "R-506" and quota.op == ">=" and set(quota.table.values()) == {2}
        assert set(quota.names.values()) >= {"浙江省", "四川省"}
        zhejiang_only = [national.cases[n].pk for n in (0, 1, 2)]
        violations = services.list_check(national, zhejiang_only)
        short = [v for v in violations if v.kind == "quota"]
        assert [v.message for v in short if "四川省" in v.message] == ["四川省至少应有2件，名单中有0件（R-506）"]
        proposal = selectors.rules_for(national)  # the solver sees the same rules
        assert proposal == rules
        audit = AuditEntry.plain.get(action="selection.configure")
    assert '"per_province_min":[0,2]' in audit.data


def test_the_minimum_is_checked_and_only_the_centre_sets_it(national, campaign, city_round):
    with scopes_disabled():
        for bad in ("-1", "101", "两件"):
            with pytest.raises(ValidationError) as refused:
                services.national_configure(round=national, by=campaign.center_admin, per_province_min=bad)
            assert "0至100之间的整数" in refused.value.message_dict["per_province_min"][0]
        with pytest.raises(NotFound):
            services.national_configure(round=national, by=campaign.zhejiang_admin, per_province_min=1)
        with pytest.raises(ValidationError, match="只有全国故事集"):
            services.national_configure(round=city_round, by=campaign.hangzhou_admin, per_province_min=1)
        assert kinds.per_province_min(Round.plain.get(pk=national.pk)) == 0


def test_the_list_page_sets_the_minimum(client, national, campaign):
    client.force_login(campaign.center_admin)
    page = client.get(reverse("selection:list", args=[national.pk])).content.decode()
    assert "每省至少收录" in page and "全国故事集收录100件" in page
    done = client.post(reverse("selection:national_configure", args=[national.pk]), {"per_province_min": "3"},
                       follow=True).content.decode()
    assert "已保存：每省至少收录3件" in done and "R-506 每省至少收录3件" in done
