"""Matrix-world builder: one media report of 浙江省 with its evidence."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile


def build(world) -> None:
    from apps.publicity.models import MediaReport

    programme = world.zhejiang_programme
    world.media_report = MediaReport(campaign=programme.campaign, programme=programme, org=world.zhejiang,
                                     outlet="浙江日报", level="provincial", kind="report",
                                     published_on=dt.date(programme.campaign.year, 9, 1), title="浙江启动案例征集",
                                     url="https://zjrb.example.cn/a/1", url_key="https://zjrb.example.cn/a/1",
                                     evidence_name="截图.png", evidence_type="image/png")
    world.media_report.evidence.save("shot.png", ContentFile(b"\x89PNG\r\n"), save=False)
    world.media_report.save()
    from apps.publicity.models import TopicVideo

    world.topic_video = TopicVideo(programme=programme, org=world.zhejiang, case=world.xihu_submitted_case,
                                   title="产线改造纪实", name="纪实.mp4", size=10, sha256="0" * 64, spec={}, checks=[],
                                   passes=False)
    world.topic_video.file.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    world.topic_video.save()

    # 浙江省's provincial list locked with the world's case, and its story (draft) with a photo.
    from django.utils import timezone

    from apps.cases.tests.attachment_world import png_bytes
    from apps.publicity.models import Story, StoryVersion
    from apps.rounds.models import Round
    from apps.selection.models import LockedList

    province = Round.plain.create(programme=programme, org=world.zhejiang, kind="province_selection",
                                  state=Round.State.LOCKED)
    today = timezone.localdate()
    LockedList.plain.create(round=province, number=1, slug="pubworld0001", case_ids=[world.xihu_submitted_case.pk],
                            starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
    world.story = Story(programme=programme, org=world.zhejiang, case=world.xihu_submitted_case, title="产线故事",
                        body="<p>正文</p>")
    world.story.photo.save("s.png", ContentFile(png_bytes(size=(40, 30))), save=False)
    world.story.save()
    StoryVersion.plain.create(story=world.story, number=1, title="产线故事", body="<p>正文</p>", state="draft")

    # A built case collection of 浙江省, with both files.
    from apps.publicity.models import CaseCollection

    world.case_collection = CaseCollection(programme=programme, org=world.zhejiang, number=1, state="built",
                                           stage="done", done=1, total=1, contents=[])
    world.case_collection.docx.save("c.docx", ContentFile(b"PK\x03\x04"), save=False)
    world.case_collection.pdf.save("c.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    world.case_collection.save()
