"""Demo: the counties screen what the demo associations submitted (R-107): most cases pass, one is screened
out, one is returned for revision; every other county with nothing left pending reports to its city, and one
county in four has not started. Runs once per campaign (after apps.cases' demo cases)."""

from apps.campaigns.models import Campaign, Programme
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.rounds.checklist import COUNTY_SCREENING
from apps.rounds.kinds import Kind
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_entry_decide, round_report

# The demo's clerks pass cases "collected offline" without their files, as a county may after checking them on
# paper: the findings are confirmed and stay in the audit row.
DEMO_CONFIRMED = [check.id for check in COUNTY_SCREENING]


def seed_screening(password: str) -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or RoundEntry.plain.filter(round__programme__campaign=campaign,
                                                   decided_at__isnull=False).exists():
        return []
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).first()
        if programme is not None:
            _screen(programme)
    return []


def _screen(programme: Programme) -> None:
    rounds = Round.plain.filter(programme=programme, kind=Kind.COUNTY_SCREENING).select_related("org")
    for n, county_round in enumerate(rounds.order_by("org__code")):
        clerk = demo_admin(county_round.org)
        if clerk is None or n % 4 == 3:
            continue  # this county has not started screening
        entries = list(RoundEntry.plain.filter(round=county_round, decision=RoundEntry.Decision.PENDING)
                       .select_related("case").order_by("id"))
        for i, entry in enumerate(entries):
            if i == 1:
                round_entry_decide(entry=entry, by=clerk, decision="out",
                                   reason="案例内容与企业主营业务无关，不符合推荐条件。")
            elif i == 2:
                round_entry_decide(entry=entry, by=clerk, decision="returned",
                                   comment="请补充成效部分的量化数据，并上传盖章推荐表。")
            elif n % 4 != 2 or i < len(entries) - 1:
                round_entry_decide(entry=entry, by=clerk, decision="passed", despite=DEMO_CONFIRMED)
        pending = RoundEntry.plain.filter(round=county_round, decision=RoundEntry.Decision.PENDING).exists()
        if n % 2 == 0 and not pending:
            round_report(round=county_round, by=clerk)
