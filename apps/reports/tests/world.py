"""Matrix-world builder of the monthly reports: world.monthly_report, 浙江省's July report drafted from the data."""

from __future__ import annotations

import datetime as dt


def build(world) -> None:
    from apps.reports.monthly_services import monthly_draft

    programme = world.zhejiang_programme
    world.monthly_report = monthly_draft(programme=programme, month=dt.date(programme.campaign.year, 7, 1))


def build_final(world) -> None:
    """world.final_report: 浙江省's performance report, drafted, with one evidence file (world.final_evidence)."""
    from apps.finance.tests.world import pdf
    from apps.reports.final_services import final_draft, final_save
    from apps.reports.models import FinalEvidence

    world.final_report = final_draft(programme=world.zhejiang_programme, kind="performance", by=world.zhejiang_admin)
    final_save(report=world.final_report, by=world.zhejiang_admin, sections={"goals": "完成征集和宣讲。"},
               entered={"social": {"score": "12", "evidence": "报道"}}, files=[pdf("问卷.pdf")])
    world.final_evidence = FinalEvidence.plain.get(report=world.final_report)
