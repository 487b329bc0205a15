"""Two brand-team members logging the same link at the same moment (R-502: a use counts once): the unique
constraint channeluse_link_once lets one in and the other is told at the link's field. PostgreSQL only: SQLite
serialises writers, so there is no race to test there."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.brand.models import ChannelUse
from apps.brand.tests.conftest import add_contact, add_use
from apps.core.scoping import scopes_disabled
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]


def test_race_two_people_logging_the_same_link_at_once_make_one_use(brand_world):
    with scopes_disabled():
        add_contact(brand_world)
    links = {brand_world.brand_staff.username: "https://www.kjrb.example.cn/brand/7",
             brand_world.center_admin.username: "http://kjrb.example.cn/brand/7/?utm_source=weibo"}

    outcomes = at_once(lambda user: add_use(brand_world, by=user, url=links[user.username], title=user.username),
                       list(links))
    assert sorted(outcomes.values()).count("ok") == 1 and len(outcomes) == 2
    refusal = next(o for o in outcomes.values() if o != "ok")
    assert refusal.startswith("该链接已登记") and refusal.endswith("同一次使用只计一次")
    with scopes_disabled():
        assert ChannelUse.plain.count() == 1
