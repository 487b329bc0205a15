import datetime as dt

from django.utils import timezone

from apps.reports.final_services import acceptance_record
from apps.voting.models import Poll
from tests.matrix import Row, public

PROVINCE_READERS = {"anon": 401, "own": 200, "descendant": 200, "ancestor": 200, "sibling": 404, "foreign": 404}

# The review API (apps/api/review_api.py): a city's review and pool are read by its own admins and staff and
# the province above; only its own run the solver; an expert's endpoints show that expert's rows only.
REVIEW_READ = {"anon": 401, "own": 200, "staff": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
REVIEW_RUN = {**REVIEW_READ, "ancestor": 404}
REVIEW_MY_LIST = {"anon": 401, "own": 200, "sibling": 200, "ancestor": 404, "foreign": 404}
REVIEW_MINE = {"anon": 401, "own": 200, "sibling": 404, "ancestor": 404, "foreign": 404}


def review_city_round(world):
    return {"round_id": world.hangzhou_round.pk}, "hangzhou"


def review_own_assignment(world):
    return {"pk": world.review_assignment.pk}, "expert"


# The approvals API (apps/api/approval_api.py), on world.approval: 浙江省's manual quota table waiting for the
# centre (apps/approvals/tests/world.py). The province and the centre read it; only the centre decides; only the
# province's own people withdraw.
APPROVAL_READ = {"anon": 401, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
APPROVAL_DECIDE = {**APPROVAL_READ, "own": 404}
APPROVAL_WITHDRAW = {**APPROVAL_READ, "ancestor": 404}


def approval(world):
    return {"pk": world.approval.pk}, "zhejiang"


# The voting API (apps/api/voting_api.py), on the world's poll (apps/voting/tests/world.py: 杭州市's, open, with
# world.vote valid and world.invalidation made): read by the city's own admins and staff and the province
# above; only its own invalidate, restore and certify.
VOTING_CREATE = {**REVIEW_RUN, "own": 201, "staff": 201}


SELECTION_RUN_400 = {**REVIEW_RUN, "own": 400, "staff": 400}


def selection_locked_round(world):
    from apps.selection.tests.matrix import locked_round

    return locked_round(world)


def selection_objection(world):
    from apps.selection.tests.matrix import objection

    return objection(world)


def voting_poll(world):
    return {"pk": world.poll.pk}, "hangzhou"


def voting_closed_poll(world):
    """The poll, closed a minute ago so that certifying it succeeds."""
    Poll.plain.filter(pk=world.poll.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    return voting_poll(world)


# The ledgers API (apps/api/finance_api.py), around 浙江省's world.zhejiang_programme with world.budget in force,
# world.expense (with world.voucher) and world.risky_expense (on the centre's watch list), built by
# apps/finance/tests/world.py. The province and the centre read the ledger; only the province's own people keep it;
# only the centre's admins clear a watched entry; a city below and any other province get 404, as on the pages.
LEDGER_READ = APPROVAL_READ
LEDGER_KEEP = {**APPROVAL_READ, "ancestor": 404}
LEDGER_CLEAR = {**APPROVAL_READ, "own": 404}


def ledger(world):
    return {"programme_id": world.zhejiang_programme.pk}, "zhejiang"


def ledger_expense(world):
    return {"pk": world.expense.pk}, "zhejiang"


def ledger_risky_expense(world):
    return {"pk": world.risky_expense.pk}, "zhejiang"


# The reports API (apps/api/report_api.py; R-403), around world.monthly_report (浙江省's July draft, no progress
# written yet) and world.final_report (浙江省's performance report, a draft with world.final_evidence), built by
# apps/reports/tests/world.py. The project's own people draft, write and send a report; the centre reads it and
# accepts or returns it through the approvals; a city below and any other province get 404, as on the pages.
REPORT_READ = APPROVAL_READ
REPORT_WRITE = {**APPROVAL_READ, "ancestor": 404}
REPORT_LISTS = {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200}
# Drafting is for the acting org's own project: 浙江省's, 四川省's, the centre's brand project; a city has none.
REPORT_DRAFT = {"anon": 401, "own": 201, "ancestor": 201, "descendant": 404, "sibling": 201}


def monthly_report(world):
    return {"pk": world.monthly_report.pk}, "zhejiang"


def final_report(world):
    return {"pk": world.final_report.pk}, "zhejiang"


def acceptance_evaluation(world):
    """浙江省's project evaluated by the centre (undone with the row, like everything a row writes)."""
    evaluation = acceptance_record(programme=world.zhejiang_programme, by=world.center_admin, result="passed",
                                   comments="任务全部完成。", reviewers=["张三", "李四"])
    return {"pk": evaluation.pk}, "zhejiang"


ROWS = [
    public("api-schema"),
    public("api-docs"),
    Row("api-not-found", lambda w: ({"rest": "v1/cases/0.5/"}, None), {"anon": 404, "own": 404},
        note="a path under /api/ that names nothing answers 404 in JSON, signed in or not"),
    Row("api-token", lambda w: ({}, None), {"anon": 400}, method="POST", data={"username": "x", "password": "y"}),
    # Tokens are personal: each lists their own; only the holder ends world.api_token (杭州市's admin's).
    Row("api-tokens", lambda w: ({}, "hangzhou"), {"anon": 401, "own": 200, "foreign": 200}),
    Row("api-token-revoke", lambda w: ({"key": w.api_token_key}, "hangzhou"),
        {"anon": 401, "own": 204, "staff": 404, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="DELETE"),
    Row("org-list", lambda w: ({}, "hangzhou"), {"anon": 401, "own": 200, "foreign": 200}),
    Row("org-detail", lambda w: ({"code": w.xihu.code}, "xihu"),
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("programme-list", lambda w: ({}, "hangzhou"), {"anon": 401, "own": 200, "foreign": 200}),
    Row("programme-detail", lambda w: ({"pk": w.zhejiang_programme.pk}, "zhejiang"), PROVINCE_READERS),
    Row("programme-quotas", lambda w: ({"pk": w.zhejiang_programme.pk}, "zhejiang"), PROVINCE_READERS),
    Row("programme-indicators", lambda w: ({"pk": w.zhejiang_programme.pk}, "zhejiang"),
        {**PROVINCE_READERS, "descendant": 404},
        note="the indicators measure the whole province: its own org and the centre read them, a city does not"),

    # Events (apps/api/event_api.py), around 浙江省's world.event: the province and the centre read it; only the
    # province sends its plan or marks it held (both refused here with 400: no agenda; not approved).
    Row("event-list", lambda w: ({}, "zhejiang"), {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200,
                                                   "sibling": 200}),
    Row("event-detail", lambda w: ({"pk": w.event.pk}, "zhejiang"), APPROVAL_READ),
    Row("event-submit", lambda w: ({"pk": w.event.pk}, "zhejiang"), {**APPROVAL_WITHDRAW, "own": 400},
        method="POST"),
    Row("event-held", lambda w: ({"pk": w.event.pk}, "zhejiang"), {**APPROVAL_WITHDRAW, "own": 400}, method="POST"),
    Row("presenter-list", lambda w: ({}, "zhejiang"), {"anon": 401, "own": 200, "ancestor": 200,
                                                       "descendant": 200, "sibling": 200},
        note="the acting org's own team (a province's or a city's); the centre has none and reads []"),

    Row("media-report-list", lambda w: ({}, "zhejiang"), {"anon": 401, "own": 200, "ancestor": 200,
                                                          "descendant": 200, "sibling": 200}),
    Row("media-report-detail", lambda w: ({"pk": w.media_report.pk}, "zhejiang"), APPROVAL_READ),
    Row("topic-video-list", lambda w: ({}, "zhejiang"), {"anon": 401, "own": 200, "ancestor": 200,
                                                         "descendant": 200, "sibling": 200}),
    Row("topic-video-detail", lambda w: ({"pk": w.topic_video.pk}, "zhejiang"), APPROVAL_READ),
    Row("story-list", lambda w: ({}, "zhejiang"), {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200,
                                                   "sibling": 200}),
    Row("story-detail", lambda w: ({"pk": w.story.pk}, "zhejiang"), APPROVAL_READ),
    Row("case-collection-list", lambda w: ({}, "zhejiang"), {"anon": 401, "own": 200, "ancestor": 200,
                                                             "descendant": 200, "sibling": 200}),
    Row("case-collection-list", lambda w: ({}, "zhejiang"),
        {"anon": 401, "own": 400, "ancestor": 404, "descendant": 404, "sibling": 400, "foreign": 400}, method="POST",
        note="a province asks for a build of its own; no reviewed story yet: 400 with why, nothing queued"),
    Row("case-collection-detail", lambda w: ({"pk": w.case_collection.pk}, "zhejiang"), APPROVAL_READ),

    Row("approval-list", lambda w: ({}, "zhejiang"),
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200},
        note="every org lists what waits for it (often nothing)"),
    Row("approval-detail", approval, APPROVAL_READ),
    Row("approval-approve", approval, APPROVAL_DECIDE, method="POST", data={"comment": "同意"}),
    Row("approval-send-back", approval, APPROVAL_DECIDE, method="POST", data={"comment": "请说明宁波市新增园区的依据"}),
    Row("approval-send-back", approval, {**APPROVAL_DECIDE, "ancestor": 400}, method="POST",
        note="a return without a comment: 400 with why, nothing decided"),
    Row("approval-withdraw", approval, APPROVAL_WITHDRAW, method="POST"),

    Row("review-round-detail", review_city_round, REVIEW_READ),
    Row("review-round-assignments", review_city_round, REVIEW_READ),
    Row("review-round-assign", review_city_round, REVIEW_RUN, method="POST",
        note="the world's pool is too small for 5 experts a case: 200 with status infeasible"),
    Row("review-round-ranking", review_city_round, REVIEW_READ),
    Row("review-my-assignment-list", lambda w: ({}, "expert"), REVIEW_MY_LIST, note="every expert lists their own"),
    Row("review-my-assignment-detail", review_own_assignment, REVIEW_MINE),
    Row("review-my-assignment-sheet", review_own_assignment, REVIEW_MINE, method="POST",
        data={"scores.innovation": "26", "submit": "false"}),
    Row("review-pool-experts", lambda w: ({"org_code": w.hangzhou.code}, "hangzhou"), REVIEW_READ),

    Row("voting-poll-detail", voting_poll, REVIEW_READ),
    Row("voting-poll-tally", voting_poll, REVIEW_READ),
    Row("voting-poll-anomalies", voting_poll, REVIEW_READ),
    Row("voting-poll-invalidations", voting_poll, REVIEW_READ),
    Row("voting-poll-invalidations", voting_poll, VOTING_CREATE, method="POST",
        data=lambda w: {"reason": "同一人多号刷票", "votes": [w.vote.pk]}),
    Row("voting-poll-certify", voting_closed_poll, VOTING_CREATE, method="POST"),
    Row("voting-invalidation-revert", lambda w: ({"pk": w.invalidation.pk}, "hangzhou"), REVIEW_RUN, method="POST",
        data={"reason": "核实为真实投票"}),
    Row("voting-round-poll", lambda w: ({"round_id": w.hangzhou_round.pk}, "hangzhou"), REVIEW_READ),

    Row("selection-round-validate", lambda w: ({"pk": w.hangzhou_round.pk}, "hangzhou"), REVIEW_READ, method="POST",
        data=lambda w: {"case_ids": [w.xihu_case.pk]},
        note="a check writes nothing: the offices above may check a list too"),
    Row("selection-round-propose", lambda w: ({"pk": w.hangzhou_round.pk}, "hangzhou"), REVIEW_READ, method="POST",
        note="a proposal writes nothing: the offices above may ask for one too"),
    Row("selection-round-lock", lambda w: ({"pk": w.hangzhou_round.pk}, "hangzhou"), SELECTION_RUN_400,
        method="POST", note="the world's list is empty: 400 with why"),
    Row("selection-round-unlock", selection_locked_round, REVIEW_RUN, method="POST",
        data={"reason": "异议成立，调整名单"}),
    Row("selection-round-send", selection_locked_round, SELECTION_RUN_400, method="POST",
        note="公示 not over: 400 with why"),
    Row("selection-round-locked", selection_locked_round, REVIEW_READ),
    Row("selection-round-result", selection_locked_round, REVIEW_READ),
    Row("selection-round-objections", selection_locked_round, REVIEW_READ),
    Row("selection-objection-answer", selection_objection, REVIEW_RUN, method="POST",
        data={"outcome": "dismissed", "answer": "经核实，数据准确。"}),

    Row("ledger-list", lambda w: ({}, "zhejiang"),
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200},
        note="each org lists the ledgers it reads: a province its own, the centre every project, a city none"),
    Row("ledger-detail", ledger, LEDGER_READ),
    Row("ledger-expenses", ledger, LEDGER_READ),
    Row("ledger-expenses", ledger, {**LEDGER_KEEP, "own": 400}, method="POST", data={"amount": "abc"},
        note="refused at its fields, nothing written; the centre watches, it does not keep the books"),
    Row("ledger-budget", ledger, {**LEDGER_KEEP, "own": 400}, method="POST", data={"amounts.30202": "1"},
        note="sums to 1 yuan, not 200,000, and an adjustment without a reason: 400, nothing written"),
    Row("expense-detail", ledger_expense, LEDGER_READ),
    Row("expense-reverse", ledger_expense, {**LEDGER_KEEP, "own": 400}, method="POST", data={"reason": ""},
        note="a reversal without a reason: 400 with why"),
    Row("expense-reverse", ledger_expense, {**LEDGER_KEEP, "own": 201}, method="POST",
        data={"reason": "金额录入错误"}),
    Row("expense-clear", ledger_risky_expense, {**LEDGER_CLEAR, "ancestor": 400}, method="POST", data={"note": ""},
        note="only the centre's admin checks a watched entry; an empty note is refused at its field"),
    Row("expense-clear", ledger_risky_expense, LEDGER_CLEAR, method="POST",
        data={"note": "已核对委托合同和成果，受托方承担专项拍摄服务，不属于转包、分包"}),
    Row("budget-list", lambda w: ({}, "zhejiang"),
        {"anon": 401, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200},
        note="the versions of the ledgers the acting org reads (none for a city)"),
    Row("budget-list", lambda w: ({}, "zhejiang"), LEDGER_READ, data=lambda w: {"programme": w.zhejiang_programme.pk},
        note="one project's versions: another province's answers 404, as its ledger does"),
    Row("budget-detail", lambda w: ({"pk": w.budget.pk}, "zhejiang"), LEDGER_READ),

    Row("monthly-report-list", lambda w: ({}, "zhejiang"), REPORT_LISTS,
        note="a province lists its own project's reports, the centre every project's, a city none"),
    Row("monthly-report-list", lambda w: ({}, "zhejiang"), {"anon": 401, "own": 400}, data={"month": "2026-7"},
        note="a month not written as YYYY-MM: 400 with why"),
    Row("monthly-report-detail", monthly_report, REPORT_READ),
    Row("monthly-report-save", monthly_report, REPORT_WRITE, method="POST", data={"progress": "完成市级遴选。"}),
    Row("monthly-report-submit", monthly_report, {**REPORT_WRITE, "own": 400}, method="POST",
        note="no progress written: refused under progress, nothing sent"),
    Row("monthly-report-draft", lambda w: ({}, "zhejiang"), {**REPORT_DRAFT, "own": 200}, method="POST",
        data=lambda w: {"month": f"{w.campaign.year}-07"},
        note="浙江省's July report is drawn again (200); the others' projects have theirs drafted (201)"),
    Row("final-report-list", lambda w: ({}, "zhejiang"), REPORT_LISTS),
    Row("final-report-detail", final_report, REPORT_READ),
    Row("final-report-save", final_report, REPORT_WRITE, method="POST",
        data={"sections.analysis": "各项指标基本完成。"}),
    Row("final-report-save", final_report, {**REPORT_WRITE, "own": 400}, method="POST",
        data={"sections.goals": "完成征集和宣讲。", "entered.social.score": "99", "entered.social.evidence": "报道"},
        note="a score beyond its weight: refused under social_score, nothing written"),
    Row("final-report-submit", final_report, {**REPORT_WRITE, "own": 400}, method="POST",
        note="sections and entered scores missing: refused at each, nothing sent"),
    Row("final-report-draft", lambda w: ({}, "zhejiang"), REPORT_DRAFT, method="POST", data={"kind": "summary"}),
    Row("acceptance-evaluation-list", lambda w: ({}, "zhejiang"), REPORT_LISTS),
    Row("acceptance-evaluation-list", lambda w: ({}, "zhejiang"), {**REPORT_WRITE, "own": 404, "ancestor": 400},
        method="POST", data=lambda w: {"programme": w.zhejiang_programme.pk, "result": "passed"},
        note="only the centre's admins record one; without comments and reviewers it is refused at their fields"),
    Row("acceptance-evaluation-list", lambda w: ({}, "zhejiang"), {**REPORT_WRITE, "own": 404, "ancestor": 201},
        method="POST", data=lambda w: {"programme": w.zhejiang_programme.pk, "result": "passed",
                                       "comments": "任务全部完成。", "reviewers": ["张三", "李四"]}),
    Row("acceptance-evaluation-detail", acceptance_evaluation, REPORT_READ),
    Row("dashboard-list", lambda w: ({}, "center"), {"anon": 401, "own": 200, "staff": 200, "descendant": 404},
        note="the centre's national view; a province reads its own project's by id"),
    Row("dashboard-detail", lambda w: ({"programme_id": w.zhejiang_programme.pk}, "zhejiang"), REPORT_READ),
]
