"""Matrix-world builder of the monthly reports: world.monthly_report, 浙江省's July report drafted from the data."""

from __future__ import annotations

import datetime as dt


def build(world) -> None:
    from apps.reports.monthly_services import monthly_draft

    programme = world.zhejiang_programme
    world.monthly_report = monthly_draft(programme=programme, month=dt.date(programme.campaign.year, 7, 1))
