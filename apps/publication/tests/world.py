"""Matrix-world builder: one story of 浙江省 published on the topic page (its photo the publicity world's story photo),
and one waiting for the centre."""

from __future__ import annotations


def build(world) -> None:
    from django.utils import timezone

    from apps.approvals.services import approval_submit
    from apps.publication.approvals import KIND
    from apps.publication.models import Publication

    programme = world.zhejiang_programme
    story = world.story
    common = dict(campaign=programme.campaign, programme=programme, org=world.zhejiang, kind="story",
                  object_id=story.pk, content={"body": "<p>正文</p>", "enterprise": "某企业", "region": "杭州市西湖区",
                                               "form_label": "介绍式"},
                  media=[{"name": story.photo.name, "type": "image/png", "size": 1, "sha256": "0" * 64,
                          "width": 40, "height": 30}])
    world.publication = Publication.plain.create(number=1, title="产线故事", state="published",
                                                 published_at=timezone.now(), **common)
    world.pending_publication = Publication.plain.create(number=2, title="产线故事（新版）", **common)
    approval_submit(kind=KIND, obj=world.pending_publication, by=world.zhejiang_admin, title="发布：产线故事（新版）")
    from apps.publication.models import TopicItem

    world.topic_item = TopicItem.plain.create(campaign=programme.campaign, programme=programme, org=world.zhejiang,
                                              title="浙江启动案例征集", body="<p>正文</p>")
