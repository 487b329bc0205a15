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
