import pytest

from apps.core.scoping import ScopeError, scope
from apps.orgs.models import Membership, Org
from apps.orgs.selectors import orgs_under


def test_a_scoped_model_queried_outside_a_scope_raises(tree):
    with pytest.raises(ScopeError):
        list(Org.objects.all())
    with pytest.raises(ScopeError):
        Membership.objects.count()


def test_a_city_sees_its_subtree_and_its_chain_but_not_its_sibling(tree):
    with scope(org=tree.hangzhou):
        codes = set(Org.objects.values_list("code", flat=True))
    assert {"330100", "330106", "330102", "330106-P001", "330106-E001", "330102-P001"} <= codes
    assert {"000000", "330000"} <= codes  # the chain above, for breadcrumbs
    assert "330200" not in codes and "330203-P001" not in codes and "510000" not in codes


def test_the_public_scope_sees_no_org_data(tree):
    with scope(org=None):
        assert Org.objects.count() == 0
        assert Membership.objects.count() == 0


def test_orgs_under_is_one_query(tree, django_assert_num_queries):
    with scope(org=tree.zhejiang):
        with django_assert_num_queries(1):
            kinds = sorted(o.kind for o in orgs_under(tree.zhejiang, kinds=Org.ASSOCIATIONS))
    assert kinds == ["enterprise", "enterprise", "park", "park", "park"]


def test_memberships_are_scoped_to_the_subtree(tree):
    with scope(org=tree.ningbo):
        users = set(Membership.objects.values_list("user__username", flat=True))
    assert "admin-330200" in users and "admin-330203" in users
    assert "admin-330100" not in users and "center-admin" not in users
