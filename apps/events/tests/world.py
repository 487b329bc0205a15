"""Matrix-world builder: 浙江省's presenter list locked with one case and its presenter (with a photo), an event
being planned with one material, and an event held."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone


def build(world) -> None:
    from apps.cases.tests.attachment_world import png_bytes
    from apps.events.models import Event, EventFile, Presenter
    from apps.rounds.models import Round
    from apps.selection.models import LockedList

    programme = world.zhejiang_programme
    case = world.xihu_submitted_case
    presenters = Round.plain.create(programme=programme, org=world.zhejiang, kind="presenter_selection",
                                    state=Round.State.LOCKED)
    today = timezone.localdate()
    LockedList.plain.create(round=presenters, number=1, slug="evtworld0001", case_ids=[case.pk], starts_on=today,
                            ends_on=today, result={"inputs": []}, sha256="0" * 64)
    world.presenter = Presenter(programme=programme, org=world.zhejiang, case=case, name="周文", title="总工程师",
                                organisation="杭州西湖列表测试有限公司", phone="13900000001", bio="长期从事智能制造研究。")
    world.presenter.photo.save("p.png", ContentFile(png_bytes(size=(60, 80))), save=False)
    world.presenter.save()
    start = timezone.make_aware(dt.datetime(programme.campaign.year, 10, 20, 9, 30))
    world.event = Event.plain.create(programme=programme, org=world.zhejiang, title="浙江省企业创新案例宣讲会",
                                     venue="杭州未来科技城", in_tech_park=True, park_name="杭州未来科技城",
                                     starts_at=start, ends_at=start + dt.timedelta(hours=3))
    world.event.presenters.add(world.presenter)
    world.event_file = EventFile(event=world.event, kind="slides", name="宣讲.pdf", size=10,
                                 content_type="application/pdf", sha256="0" * 64)
    world.event_file.file.save("slides.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    world.event_file.save()
    world.held_event = Event.plain.create(programme=programme, org=world.zhejiang, title="浙江省首场宣讲会",
                                          venue="杭州", starts_at=start - dt.timedelta(days=30),
                                          ends_at=start - dt.timedelta(days=30) + dt.timedelta(hours=2),
                                          state="held", held_at=start - dt.timedelta(days=30))
