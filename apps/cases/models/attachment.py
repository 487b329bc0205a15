"""Files of a case: photos, video, slides, evidence, the sealed recommendation form."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.cases.models.case import Case
from apps.core.scoping import ScopedModel

__all__ = ["CaseAttachment"]


class CaseAttachment(ScopedModel):
    """A checked file of a case: its type was read from its content, never from its name."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        VIDEO = "video", _("视频")
        SLIDES = "slides", _("演示文稿")
        EVIDENCE = "evidence", _("佐证材料")
        RECOMMENDATION_FORM = "form", _("盖章推荐表")

    case = models.ForeignKey(Case, models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="cases/%Y/%m/", max_length=300)
    thumbnail = models.FileField(upload_to="cases/thumbs/%Y/%m/", max_length=300, blank=True)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # What the checks read from the file: width/height for images and video; duration, codec for video.
    meta = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey("orgs.User", models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "case__recommender__path"

    class Meta(ScopedModel.Meta):
        ordering = ["case", "kind", "position", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="attachment_case_kind")]

    def __str__(self) -> str:
        return self.name
