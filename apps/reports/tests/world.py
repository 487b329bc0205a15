"""Matrix-world builders of the reports: world.monthly_report (浙江省's July report, a draft) and world.final_report
(浙江省's performance report, a draft, with one evidence file, world.final_evidence). Written as rows, not drafted
from the data: every test that asks for the world builds them, and measuring every rule for them would cost each
of those tests (the drafting itself is tested in test_monthly.py and test_final.py)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

MONTHLY_DATA = {"month": "", "indicators": [], "funnel": [], "events": {"held_in_month": 0, "planned_in_month": 0,
                                                                          "held_in_all": 0, "list": []},
                "publicity": {}, "spending": {"lines": []}}


def build(world) -> None:
    from apps.reports.models import MonthlyReport

    programme = world.zhejiang_programme
    month = dt.date(programme.campaign.year, 7, 1)
    world.monthly_report = MonthlyReport.plain.create(
        programme=programme, month=month, due_on=dt.date(month.year, 8, 5),
        data={**MONTHLY_DATA, "month": month.strftime("%Y-%m")}, data_at=timezone.now())


def build_final(world) -> None:
    from apps.cases.tests.attachment_world import PDF_BYTES
    from apps.reports.models import FinalEvidence, FinalReport

    world.final_report = FinalReport.plain.create(
        programme=world.zhejiang_programme, kind="performance", data_at=timezone.now(),
        data={"indicators": [], "funnel": [], "activity": {}, "ledger": {"lines": []}, "performance": []},
        sections={"goals": "完成征集和宣讲。"}, entered={"social": {"score": "12", "evidence": "报道"}})
    world.final_evidence = FinalEvidence(report=world.final_report, name="问卷.pdf", content_type="application/pdf",
                                         size=len(PDF_BYTES), sha256="0" * 64)
    world.final_evidence.file.save("survey.pdf", ContentFile(PDF_BYTES), save=False)
    world.final_evidence.save()
