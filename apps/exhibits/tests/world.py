"""Matrix-world builder: world.exhibit, proposed by 西湖科技园科协 for world.xihu_enterprise (marked a little giant
of the 2023 batch), with one photo (world.exhibit_photo), waiting for 浙江省."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile


def build(world) -> None:
    from apps.cases.tests.attachment_world import png_bytes
    from apps.enterprises.models import Enterprise
    from apps.exhibits.models import Exhibit, ExhibitPhoto

    Enterprise.plain.filter(pk=world.xihu_enterprise.pk).update(little_giant_batch=2023)
    world.xihu_enterprise.little_giant_batch = 2023
    programme = world.zhejiang_programme
    world.exhibit = Exhibit.plain.create(
        campaign=programme.campaign, programme=programme, org=world.xihu_park, enterprise=world.xihu_enterprise,
        name="智能协作机械臂", innovation="七轴力控协作机械臂。", representative="国产协作机器人的代表。",
        interaction="观众牵引机械臂示教。", length_cm=120, width_cm=80, height_cm=160, weight_kg=Decimal("85.0"),
        power="220V，约800W", proposed_by=world.xihu_park_admin)
    world.exhibit_photo = ExhibitPhoto(exhibit=world.exhibit, name="机械臂.png", content_type="image/png", size=10,
                                       sha256="0" * 64)
    world.exhibit_photo.file.save("arm.png", ContentFile(png_bytes(size=(40, 30))), save=False)
    world.exhibit_photo.save()
