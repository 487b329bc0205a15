import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEntry
from apps.orgs.models import Org
from apps.orgs.services import membership_add, org_create
from tests.factories import make_user


def test_a_new_org_takes_its_parents_path(tree, system):
    org = org_create(kind=Org.Kind.PARK, code="330106-p002", name="紫金港科技城科协", parent=tree.xihu, by=tree.xihu_admin)
    assert org.code == "330106-P002"
    assert org.path == "000000/330000/330100/330106/330106-P002/"
    assert org.depth == 4
    assert AuditEntry.plain.filter(action="org.create", target_id=str(org.pk)).exists()


@pytest.mark.parametrize("kind,parent_name,message", [
    (Org.Kind.COUNTY, "zhejiang", "区县的上级单位必须是市"),
    (Org.Kind.PARK, "hangzhou", "园区科协的上级单位必须是区县"),
    (Org.Kind.CITY, None, "市的上级单位必须是省"),
])
def test_an_org_must_sit_under_the_right_level(tree, system, kind, parent_name, message):
    parent = getattr(tree, parent_name) if parent_name else None
    before = Org.plain.count()
    with pytest.raises(ValidationError) as err:
        org_create(kind=kind, code="999999", name="测试", parent=parent)
    assert message in err.value.messages[0]
    assert Org.plain.count() == before


def test_a_duplicate_code_is_refused_in_words(tree, system):
    with pytest.raises(ValidationError, match="单位代码330106已存在"):
        org_create(kind=Org.Kind.COUNTY, code="330106", name="西湖区", parent=tree.hangzhou)


def test_a_county_admin_cannot_add_members_to_its_city(tree, system):
    from django.http import Http404

    someone = make_user("someone")
    with pytest.raises(Http404):
        membership_add(org=tree.hangzhou, user=someone, role="staff", by=tree.xihu_admin)


def test_a_city_admin_adds_a_member_to_a_county_below(tree, system):
    someone = make_user("clerk-li", "李文")
    m = membership_add(org=tree.xihu, user=someone, role="staff", by=tree.hangzhou_admin)
    assert m.is_active
    entry = AuditEntry.plain.get(action="membership.add", target_id=str(m.pk))
    assert entry.org_path == tree.xihu.path
