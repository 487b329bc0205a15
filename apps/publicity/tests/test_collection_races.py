"""Two officials of a province pressing 「生成案例集」 at the same moment (R-306): the programme's row lock and the
constraint casecollection_one_active make one build and one queued task; the other is told a build is running.
PostgreSQL only: SQLite serialises writers, so there is no race to test there."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from apps.audit.models import AuditEntry
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled
from apps.publicity.models import CaseCollection
from apps.publicity.services import case_collection_request
from apps.publicity.tests.test_case_collection import reviewed  # noqa: F401 (fixture)
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers (one write transaction at a time), so there is no race"),
    pytest.mark.django_db(transaction=True),
]


def test_race_two_officials_asking_for_a_build_at_once_make_one_build(reviewed):  # noqa: F811
    w = reviewed

    def build(user):
        case_collection_request(programme=w.zhejiang_programme, by=user)

    outcomes = at_once(build, [w.staff.username, w.zhejiang_admin.username])
    assert sorted(outcomes.values()).count("ok") == 1 and len(outcomes) == 2
    assert next(o for o in outcomes.values() if o != "ok") == "案例集正在生成，请等待本次生成完成"
    with scopes_disabled():
        builds = list(CaseCollection.plain.all())
        assert len(builds) == 1 and builds[0].number == 1
        assert DBTaskResult.objects.count() == 1 and str(DBTaskResult.objects.get().id) == builds[0].task_id
        assert AuditEntry.plain.filter(action="case_collection.request").count() == 1
