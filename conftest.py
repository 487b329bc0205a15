"""Shared fixtures: a small real tree (centre → 浙江省 → 杭州市 → 西湖区 → associations) with people."""

import pytest

from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership, Org


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, _media_root):
    """Chinese UI, no lockout, fast hashing, uploads in a throw-away folder."""
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = str(_media_root)
    settings.AXES_ENABLED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def system():
    """Set up or inspect data with scoping off, as a management command would."""
    with scopes_disabled():
        yield


@pytest.fixture
def tree(db):
    """centre / 浙江省 / 杭州市, 宁波市 / 西湖区, 上城区 (杭州), 海曙区 (宁波) / associations; admins for each."""
    from tests.factories import build_tree

    with scopes_disabled():
        return build_tree()


@pytest.fixture
def world(tree):
    """The tree plus the campaign objects every app's matrix rows use. Apps extend it by
    registering builders in WORLD_BUILDERS (tests/world.py)."""
    from tests.world import build_world

    with scopes_disabled():
        return build_world(tree)
