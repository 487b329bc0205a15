"""seed_demo --password holds for every demo login, experts included, on a re-run too."""

from apps.orgs.demo import demo_password_set
from apps.orgs.models import User


def test_demo_password_reaches_officials_and_experts_but_no_other_account(db):
    demo = [User.objects.create_user(username=name, password="innocase-demo")
            for name in ("center-admin", "admin-330106", "staff-330000", "expert-330100-1")]
    stranger = User.objects.create_user(username="13800000000", password="their-own-password")

    assert demo_password_set("a-new-demo-pw") == len(demo)

    assert all(User.objects.get(pk=u.pk).check_password("a-new-demo-pw") for u in demo)
    assert User.objects.get(pk=stranger.pk).check_password("their-own-password")
