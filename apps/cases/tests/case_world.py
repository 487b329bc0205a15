"""Adds the case area's objects to the permission-matrix world (after the enterprise builder).

world.xihu_enterprise         an enterprise of 西湖区 (the enterprise builder's, when it made one)
world.xihu_case               a complete draft recommended by 西湖科技园科协 (xihu_park)
world.xihu_submitted_case     a case of xihu_park submitted as version 1, pending in 西湖区's screening round
world.xihu_invite             an invitation link to xihu_case; its token is world.xihu_invite_token
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone


def build(world) -> None:
    from apps.cases.models import CaseVersion
    from apps.cases.services import _record_submission, case_invite_create
    from tests.factories import make_case, make_enterprise

    if getattr(world, "xihu_enterprise", None) is None:
        world.xihu_enterprise = make_enterprise(world.campaign, world.xihu)
    world.xihu_case = make_case(world.xihu_enterprise, world.xihu_park)
    submitted = make_case(world.xihu_enterprise, world.xihu_park, title="园区数字化供应链协同平台")
    attach_required_files(submitted)
    # Submitted on 1 August of the campaign year, before the rulebook's deadline (the test clock may be later).
    at = timezone.make_aware(dt.datetime(world.campaign.year, 8, 1, 10, 0))
    with transaction.atomic():
        _record_submission(submitted, world.xihu_park_admin, at=at)
    submitted.refresh_from_db()
    world.xihu_submitted_case = submitted
    world.xihu_submitted_version = CaseVersion.plain.get(case=submitted, number=1)
    world.xihu_invite, world.xihu_invite_token = case_invite_create(case=world.xihu_case, by=world.xihu_park_admin)


REQUIRED_FILES = [("photo", "产线全景.jpg"), ("photo", "数字孪生平台界面.jpg"), ("photo", "团队合影.jpg"),
                  ("video", "案例视频.mp4"), ("slides", "案例宣讲.pdf"), ("form", "盖章推荐表.pdf")]


def attach_required_files(case, files=REQUIRED_FILES) -> list:
    """Attachment rows that satisfy attachment_problems (3 photos, a video, slides, the sealed form). They name
    no stored file: the case tests need the rows, not the bytes (the attachment area tests the files)."""
    from apps.cases.models import CaseAttachment

    return [CaseAttachment.plain.create(case=case, kind=kind, file=f"cases/world/missing-{i}", name=name,
                                        content_type="application/octet-stream", size=1,
                                        sha256=f"{case.pk:08d}{i:056d}", position=i)
            for i, (kind, name) in enumerate(files, start=1)]


def case_world(tree):
    """For the case tests: the tree, the campaign and this builder only (not the other areas' objects)."""
    from apps.campaigns.tests.world import build_campaign

    build_campaign(tree)
    build(tree)
    return tree


def set_deadlines(world, *, submission: dt.date, county_report: dt.date | None = None) -> None:
    """Move 浙江省's case deadlines (R-106, R-107) relative to the test clock."""
    from apps.campaigns.selectors import rulebook_of

    rulebook = rulebook_of(world.zhejiang_programme)
    rulebook.values = {**rulebook.values, "case_submission_deadline": submission.isoformat(),
                       "county_report_deadline": (county_report or submission + dt.timedelta(days=10)).isoformat()}
    rulebook.save(update_fields=["values"])


def open_submissions(world, days: int = 30) -> None:
    set_deadlines(world, submission=timezone.localdate() + dt.timedelta(days=days))
