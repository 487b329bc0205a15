"""R-102: two people of one city forwarding at the same moment create one set of deliveries."""

import pytest
from django.db import connection

from apps.core.scoping import scopes_disabled
from apps.notices.models import NoticeDelivery
from apps.notices.services import notice_delivery_forward
from apps.notices.tests.world import build
from apps.orgs.models import Membership
from tests.concurrency import at_once
from tests.factories import admin_of


@pytest.mark.postgres
def test_r102_two_simultaneous_forwards_create_one_set_of_child_deliveries(transactional_db, tree, media):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (one write transaction at a time), so there is no race to test")
    with scopes_disabled():
        build(tree)
        delivery_id = tree.shangcheng_delivery.pk
    with scopes_disabled():  # 上城区 has one admin; the race needs two people of the county
        second = admin_of(tree.shangcheng, "staff-330102", role=Membership.Role.STAFF)
    usernames = [tree.shangcheng_admin.username, second.username]

    def forward(user):
        delivery = NoticeDelivery.plain.select_related("org", "notice", "notice__issuer").get(pk=delivery_id)
        notice_delivery_forward(delivery=delivery, by=user, addendum=user.username)

    outcomes = list(at_once(forward, usernames, ok="forwarded").values())
    with scopes_disabled():
        children = NoticeDelivery.plain.filter(notice=tree.notice, sender=tree.shangcheng).count()
        forwarded_by = NoticeDelivery.plain.get(pk=delivery_id).addendum
    assert len(outcomes) == 2 and outcomes.count("forwarded") == 1
    refusal = next(o for o in outcomes if o != "forwarded")
    # The row lock made the second wait and read the first's forward (not merely hit the constraint).
    assert refusal.startswith("该通知已于") and refusal.endswith("不能重复转发")
    assert children == 1  # 上城数字经济园科协, once
    assert forwarded_by in usernames
