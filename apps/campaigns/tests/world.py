"""Matrix-world builder: the 2026 campaign with programmes for 浙江省 and 四川省 on the test tree."""

from __future__ import annotations

from apps.campaigns.models import Programme

YEAR = 2026


def build_campaign(world) -> None:
    """Adds world.campaign, world.zhejiang_programme, world.sichuan_programme, world.brand_programme."""
    from apps.campaigns.services import campaign_create

    world.campaign = campaign_create(year=YEAR, name=f"{YEAR}年企业典型创新案例征集及宣讲活动",
                                     by=world.center_admin, provinces=[world.zhejiang, world.sichuan])
    by_org = {p.org_id: p for p in Programme.plain.filter(campaign=world.campaign).select_related("org", "campaign")}
    world.zhejiang_programme = by_org[world.zhejiang.pk]
    world.sichuan_programme = by_org[world.sichuan.pk]
    world.brand_programme = by_org[world.center.pk]


def build_application(world) -> None:
    """浙江省's application (申报条件) on file: legal person, credit code and a letter of support (a small PDF)."""
    from django.core.files.base import ContentFile

    programme = world.zhejiang_programme
    programme.unit_legal_person, programme.unit_credit_code = True, "91330000MA27U0XX09"
    programme.support_letter.save("letter.pdf", ContentFile(SUPPORT_LETTER), save=False)
    programme.support_letter_name, programme.support_letter_type = "支持函.pdf", "application/pdf"
    programme.save()


# A one-page PDF, enough for the file check (apps/core/files.py) to read it as a PDF.
SUPPORT_LETTER = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                  b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def approved_quota_table(world, quotas: dict, reason: str, *, programme=None):
    """A manual quota table the province sends and the centre approves (R-104): the table then in force."""
    from apps.approvals.selectors import latest_of
    from apps.approvals.services import approval_approve
    from apps.campaigns.approvals import KIND
    from apps.campaigns.services import quota_manual_set

    programme = programme or world.zhejiang_programme
    plan = quota_manual_set(programme=programme, by=world.zhejiang_admin, quotas=quotas, reason=reason)
    approval_approve(request=latest_of(KIND, f"programme:{programme.pk}"), by=world.center_admin)
    plan.refresh_from_db()
    return plan
