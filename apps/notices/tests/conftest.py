"""Fixtures of the notice tests: the tree with 浙江省's programme, and the cascade of world.build."""

from apps.notices.tests.world import cascade, media, notice_tree  # noqa: F401  (fixtures)
