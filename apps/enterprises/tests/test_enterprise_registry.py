"""Registering and editing enterprises (R-106 属地): who may, what is checked, what is audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEntry
from apps.campaigns.tests.world import build_campaign
from apps.core.creditcode import make_code
from apps.core.errors import NotFound
from apps.core.scoping import scope, scopes_disabled
from apps.enterprises.models import Enterprise
from apps.enterprises.services import enterprise_create, enterprise_update

XIHU_CODE = make_code(region="330106", serial="MA2PBMEM2")
OTHER_CODE = make_code(region="330102", serial="MA27XK3L0")


@pytest.fixture
def world(tree):
    with scopes_disabled():
        build_campaign(tree)
    return tree


def register(world, by, county, **fields):
    data = {"name": "杭州西湖智能装备有限公司", "credit_code": XIHU_CODE, **fields}
    with scope(org=county):
        return enterprise_create(campaign=world.campaign, by=by, county=county, **data)


def count(world):
    with scopes_disabled():
        return Enterprise.objects.filter(campaign=world.campaign).count()


def audit_actions():
    return list(AuditEntry.plain.values_list("action", flat=True))


def test_a_county_registers_its_own_enterprise_with_a_normalised_code_and_an_audit_row(world):
    typed = " " + XIHU_CODE.lower()[:9] + "　" + XIHU_CODE.lower()[9:] + " "  # lower case, full-width space
    enterprise = register(world, world.xihu_admin, world.xihu, credit_code=typed, rd_spend="12.5",
                          industry_section="C", industry_division="34", size="small", rd_staff=40)
    enterprise.refresh_from_db()
    assert enterprise.credit_code == XIHU_CODE
    assert enterprise.rd_spend == Decimal("12.50") and enterprise.created_by == world.xihu_admin
    entry = AuditEntry.plain.get(action="enterprise.create")
    assert entry.target_id == str(enterprise.pk) and entry.org_path == world.xihu.path
    assert XIHU_CODE in entry.data


def test_an_association_registers_enterprises_of_its_own_county_in_its_park(world):
    enterprise = register(world, world.xihu_park_admin, world.xihu, park=world.xihu_park)
    assert enterprise.county == world.xihu and enterprise.park == world.xihu_park


def test_an_association_may_not_register_in_another_county_R106(world):
    with pytest.raises(ValidationError) as err:
        register(world, world.xihu_park_admin, world.shangcheng, credit_code=OTHER_CODE)
    assert "只能登记本区县的企业" in " ".join(err.value.message_dict["county"])
    assert count(world) == 0 and "enterprise.create" not in audit_actions()


def test_a_city_reads_but_does_not_register(world):
    with pytest.raises(NotFound):
        register(world, world.chengdu_admin, world.wuhou)
    with pytest.raises(NotFound):
        register(world, world.hangzhou_admin, world.xihu)
    assert count(world) == 0


def test_a_park_of_another_county_is_refused(world):
    with pytest.raises(ValidationError) as err:
        register(world, world.xihu_admin, world.xihu, park=world.shangcheng_park)
    assert "不属于西湖区" in err.value.message_dict["park"][0]
    assert count(world) == 0


def test_a_second_enterprise_with_the_same_code_names_the_first_and_writes_nothing(world):
    register(world, world.xihu_admin, world.xihu)
    before = audit_actions()
    with pytest.raises(ValidationError) as err:
        register(world, world.xihu_ent_admin, world.xihu, name="另一家公司", credit_code=XIHU_CODE.lower())
    message = err.value.message_dict["credit_code"][0]
    assert message.startswith(f"统一社会信用代码{XIHU_CODE}已登记为“杭州西湖智能装备有限公司”（西湖区）")
    assert count(world) == 1 and audit_actions() == before


def test_the_same_code_in_another_county_is_a_duplicate_too(world):
    register(world, world.xihu_admin, world.xihu)
    with pytest.raises(ValidationError) as err:
        register(world, world.shangcheng_admin, world.shangcheng, name="上城某公司")
    assert "（西湖区）" in err.value.message_dict["credit_code"][0]


@pytest.mark.parametrize("code,message", [
    ("914403001922038217", "第18位校验码不正确"),
    ("91440300192203821", "应为18位，当前为17位"),
    ("9144030019220382160", "应为18位，当前为19位"),
    ("9144030019220382I6", "第17位“I”不是有效字符"),
    ("91440300O922038216", "第9位“O”不是有效字符"),
    ("000000000000000000", "第1位（登记管理部门代码）"),
    ("914A0300192203821X", "第4位应为数字"),
    ("", "请填写统一社会信用代码"),
])
def test_each_credit_code_problem_is_named_with_its_position(world, code, message):
    with pytest.raises(ValidationError) as err:
        register(world, world.xihu_admin, world.xihu, credit_code=code)
    assert message in " ".join(err.value.message_dict["credit_code"])
    assert count(world) == 0


def test_every_problem_is_reported_at_once(world):
    with pytest.raises(ValidationError) as err:
        register(world, world.xihu_admin, world.xihu, name="", credit_code="91440300I92203S216", rd_staff=-1,
                 rd_spend="-3", industry_section="C", industry_division="65", little_giant_batch=2018)
    errors = err.value.message_dict
    assert set(errors) == {"name", "credit_code", "rd_staff", "rd_spend", "industry_division", "little_giant_batch"}
    assert len(errors["credit_code"]) == 2  # positions 9 (I) and 15 (S)


def test_a_division_must_belong_to_its_section(world):
    with pytest.raises(ValidationError) as err:
        register(world, world.xihu_admin, world.xihu, industry_section="A", industry_division="34")
    assert "不属于门类" in err.value.message_dict["industry_division"][0]


def test_a_division_alone_fills_in_its_section(world):
    enterprise = register(world, world.xihu_admin, world.xihu, industry_division="65")
    assert (enterprise.industry_section, enterprise.industry_division) == ("I", "65")


@pytest.mark.parametrize("batch,ok", [(2019, True), (2025, True), (2026, True), (2018, False), (2027, False)])
def test_little_giant_batches_run_from_2019_to_the_campaign_year(world, batch, ok):
    if ok:
        assert register(world, world.xihu_admin, world.xihu, little_giant_batch=batch).little_giant_batch == batch
    else:
        with pytest.raises(ValidationError):
            register(world, world.xihu_admin, world.xihu, little_giant_batch=batch)


def test_an_edit_is_audited_with_old_and_new_values(world):
    enterprise = register(world, world.xihu_admin, world.xihu, rd_staff=10)
    with scope(org=world.xihu_park):
        enterprise_update(enterprise=enterprise, by=world.xihu_park_admin, rd_staff=12, is_high_tech=True)
    enterprise.refresh_from_db()
    assert enterprise.rd_staff == 12 and enterprise.is_high_tech
    entry = AuditEntry.plain.get(action="enterprise.update")
    assert '"rd_staff":[10,12]' in entry.data and '"is_high_tech":[false,true]' in entry.data


def test_an_edit_that_changes_nothing_writes_no_audit_row(world):
    enterprise = register(world, world.xihu_admin, world.xihu)
    with scope(org=world.xihu):
        enterprise_update(enterprise=enterprise, by=world.xihu_admin, name=enterprise.name)
    assert "enterprise.update" not in audit_actions()


def test_another_countys_association_may_not_edit(world):
    enterprise = register(world, world.xihu_admin, world.xihu)
    with pytest.raises(NotFound):
        enterprise_update(enterprise=enterprise, by=world.haishu_park_admin, rd_staff=1)
    with pytest.raises(NotFound):
        enterprise_update(enterprise=enterprise, by=world.hangzhou_admin, rd_staff=1)


def test_an_edit_may_not_move_the_enterprise_to_another_county(world):
    enterprise = register(world, world.xihu_park_admin, world.xihu)
    with pytest.raises(ValidationError) as err:
        enterprise_update(enterprise=enterprise, by=world.xihu_park_admin, county=world.shangcheng)
    assert "只能登记本区县的企业" in err.value.message_dict["county"][0]


def test_an_edit_to_a_code_already_registered_is_refused(world):
    register(world, world.xihu_admin, world.xihu)
    other = register(world, world.xihu_admin, world.xihu, name="第二家", credit_code=make_code(
        region="330106", serial="MA2H5KX11"))
    with pytest.raises(ValidationError) as err:
        enterprise_update(enterprise=other, by=world.xihu_admin, credit_code=XIHU_CODE)
    assert "已登记为“杭州西湖智能装备有限公司”" in err.value.message_dict["credit_code"][0]
    other.refresh_from_db()
    assert other.credit_code != XIHU_CODE
