"""The demo's notice (R-102): issued and forwarded through most, not all, of the tree; idempotent."""

from apps.audit.models import AuditEntry
from apps.core.scoping import scopes_disabled
from apps.notices.demo import seed_notices
from apps.notices.models import Notice, NoticeDelivery
from apps.notices.selectors import notice_cascade


def test_r102_the_demo_notice_leaves_some_orgs_missing_and_seeding_twice_changes_nothing(notice_tree, monkeypatch):
    t = notice_tree
    monkeypatch.setattr("apps.notices.demo.DEMO_YEAR", t.zhejiang_programme.campaign.year)
    with scopes_disabled():
        assert seed_notices("pw") == []
        notice = Notice.plain.get()
        c = notice_cascade(notice=notice, root=t.zhejiang, scoped=False)
        counts = (NoticeDelivery.plain.count(), AuditEntry.plain.count())
        seed_notices("pw")
        assert (NoticeDelivery.plain.count(), AuditEntry.plain.count()) == counts
    city, county, association = c.levels
    assert city.forwarded == 1 and city.missing == 1  # the last city (宁波市) does not forward
    assert county.forwarded == 2 and association.received >= 1
    assert not c.complete


def test_the_demo_notice_needs_the_demo_programme(tree):
    with scopes_disabled():
        assert seed_notices("pw") == []
        assert Notice.plain.count() == 0
