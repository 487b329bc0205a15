"""Eligibility checklists of rounds, computed from data (R-106, R-107).

A checklist is a list of small checks, each with an id, a Chinese label and the rule it serves. The label
names the rule (「必备附件齐全」); a failed result carries a finding that says what was found
(「缺4项必备附件」), which is what a page shows first, and the details (problems) under it. A check
reads one case and a context prepared once per page (so a list of 100 cases costs the same few queries
as a list of 10). Later rounds register their own lists in CHECKLISTS by round kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.utils.translation import ngettext

from apps.campaigns.selectors import rulebook_values
from apps.cases.attachment_services import attachment_problems, attachment_problems_many
from apps.cases.models import Case, CaseVersion
from apps.core import creditcode
from apps.rounds.models import Round
from apps.rounds.similarity import normalise


@dataclass
class Result:
    ok: bool | None  # None: not checked (the check is not available yet)
    problems: list[str] = field(default_factory=list)
    finding: str = ""  # what was found, in a few words, when not ok: 「缺4项必备附件」


@dataclass
class Context:
    """What the checks of one page share, read once."""

    round: Round
    values: dict  # the rulebook's values
    # {case id: [ids of other non-draft cases of the same enterprise and the same normalised title]}
    duplicates: dict[int, list[int]] = field(default_factory=dict)
    attachment_problems: Callable[[Case], list[str]] | None = None
    # {case id: problems}, when the attachment area offers a batch check (one query for the page)
    attachment_map: dict[int, list[str]] | None = None
    # {case id: when version 1 was submitted}: a case returned for revision and submitted again
    # keeps the date of its first submission for the deadline check.
    first_submitted: dict[int, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    id: str
    label: Promise
    rule: str
    run: Callable[[Case, Context], Result]


@dataclass
class Outcome:
    check: Check
    result: Result

    @property
    def finding(self) -> str:
        """The badge of a failed or unchecked result: the finding, else the rule's name."""
        return self.result.finding or str(self.check.label)


def check_in_county(case: Case, ctx: Context) -> Result:
    county = ctx.round.org
    if case.enterprise.county_id != county.pk:
        found = _("企业属地为%(county)s") % {"county": case.enterprise.county.name}
    elif case.county_id != county.pk:
        found = _("案例登记在%(county)s") % {"county": case.county.name}
    else:
        return Result(True)
    return Result(False, [_("企业属地为%(county)s，不属于%(round_org)s，应向企业所在区县推荐（R-106 属地）") % {
        "county": case.enterprise.county.name, "round_org": county.name}], finding=found)


def check_credit_code(case: Case, ctx: Context) -> Result:
    found = creditcode.problems(case.enterprise.credit_code)
    if not found:
        return Result(True)
    return Result(False, found, finding=_("统一社会信用代码有误"))


def check_attachments(case: Case, ctx: Context) -> Result:
    if ctx.attachment_map is not None and case.pk in ctx.attachment_map:
        found = list(ctx.attachment_map[case.pk])
    elif ctx.attachment_problems is None:
        return Result(None, [_("附件检查尚未启用，请人工核对附件")], finding=_("附件未自动检查"))
    else:
        found = list(ctx.attachment_problems(case))
    if not found:
        return Result(True)
    # One problem per required kind (photos, video, slides, sealed form); uploads stop at each kind's
    # maximum, so a problem is a kind still missing or short.
    return Result(False, found, finding=ngettext("缺%(n)d项必备附件", "缺%(n)d项必备附件", len(found)) % {
        "n": len(found)})


def check_deadline(case: Case, ctx: Context) -> Result:
    deadline: dt.date = ctx.values["case_submission_deadline"]
    submitted_at = ctx.first_submitted.get(case.pk) or case.submitted_at
    if submitted_at is None:
        return Result(False, [_("案例没有提交时间，请确认推荐单位已正式提交")], finding=_("没有提交时间"))
    day = timezone.localdate(submitted_at)
    if day > deadline:
        late = (day - deadline).days
        return Result(False, [_("案例于%(day)s提交，晚于推荐截止日期%(deadline)s") % {
            "day": day.isoformat(), "deadline": deadline.isoformat()}],
            finding=ngettext("逾期%(n)d天提交", "逾期%(n)d天提交", late) % {"n": late})
    return Result(True)


def check_not_duplicate(case: Case, ctx: Context) -> Result:
    others = ctx.duplicates.get(case.pk, [])
    if others:
        n = len(others)
        return Result(False, [_("同一企业另有%(n)d个同名案例已提交，请核实是否重复推荐") % {"n": n}],
                      finding=ngettext("另有%(n)d个同名案例", "另有%(n)d个同名案例", n) % {"n": n})
    return Result(True)


COUNTY_SCREENING = [
    Check("in_county", L("企业属于本区县"), "R-106", check_in_county),
    Check("credit_code", L("统一社会信用代码有效"), "R-106", check_credit_code),
    Check("attachments", L("必备附件齐全"), "R-107", check_attachments),
    Check("deadline", L("在推荐截止日期前提交"), "R-107", check_deadline),
    Check("not_duplicate", L("不是重复推荐"), "R-107", check_not_duplicate),
]

CHECKLISTS: dict[str, list[Check]] = {
    Round.Kind.COUNTY_SCREENING: COUNTY_SCREENING,
}


def checks_for(round: Round) -> list[Check]:
    return CHECKLISTS.get(round.kind, [])


def duplicate_map(cases: list[Case]) -> dict[int, list[int]]:
    """{case id: other non-draft, non-withdrawn cases of its enterprise with the same normalised title}."""
    if not cases:
        return {}
    campaign_ids = {c.campaign_id for c in cases}
    rows = (Case.plain.filter(enterprise_id__in={c.enterprise_id for c in cases}, campaign_id__in=campaign_ids)
            .exclude(status__in=(Case.Status.DRAFT, Case.Status.WITHDRAWN))
            .values_list("id", "enterprise_id", "title"))
    by_key: dict[tuple, list[int]] = {}
    for case_id, enterprise_id, title in rows:
        by_key.setdefault((enterprise_id, normalise(title)), []).append(case_id)
    out = {}
    for c in cases:
        same = by_key.get((c.enterprise_id, normalise(c.title)), [])
        out[c.pk] = [x for x in same if x != c.pk]
    return out


def context_for(round: Round, cases: list[Case]) -> Context:
    first = dict(CaseVersion.plain.filter(case__in=[c.pk for c in cases], number=1)
                 .values_list("case_id", "submitted_at"))
    return Context(round=round, values=rulebook_values(round.programme), duplicates=duplicate_map(cases),
                   attachment_problems=attachment_problems, attachment_map=attachment_problems_many(cases),
                   first_submitted=first)


def run_checklist(checks: list[Check], case: Case, ctx: Context) -> list[Outcome]:
    return [Outcome(check, check.run(case, ctx)) for check in checks]


def checklists_for(round: Round, cases: list[Case]) -> dict[int, list[Outcome]]:
    """{case id: the round's checklist run on the case}, with one shared context."""
    checks = checks_for(round)
    if not checks or not cases:
        return {}
    ctx = context_for(round, cases)
    return {c.pk: run_checklist(checks, c, ctx) for c in cases}


def failed_checks(round: Round, cases: list[Case]) -> dict[int, list[Outcome]]:
    """{case id: the checks the case fails} for the cases that fail any: what passing them overrides."""
    found = {}
    for case_id, outcomes in checklists_for(round, cases).items():
        failed = [o for o in outcomes if o.result.ok is False]
        if failed:
            found[case_id] = failed
    return found
