"""Small presentation meetings (小型宣讲会, R-108): plan, judges with personal QR links, live scoring.

Judges score each presented case on the round's rubric with the same score sheets as expert review (an
assignment of method "live" per judge and case) and the same aggregation; a case's result is shown once
every judge has submitted for it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import NotFound, ensure
from apps.orgs.models import User
from apps.review import aggregation
from apps.review.config import review_config
from apps.review.conflicts import conflicts_between
from apps.review.models import Assignment, Expert, Meeting, MeetingItem, MeetingJudge, PoolMember, ScoreSheet
from apps.review.permissions import can_run_review
from apps.review.services import _criteria, _lock, _token_hash, review_cases, write_sheet
from apps.rounds.models import Round

MAX_CASES = 60
MAX_JUDGES = 15


def _editable(meeting: Meeting) -> None:
    if meeting.state == Meeting.State.FINISHED:
        raise ValidationError(_("会议已结束，不能再修改"))


def meeting_create(*, round: Round, by: User, title: str, starts_at: dt.datetime, place: str = "",
                   minutes_per_case: int = 8) -> Meeting:
    ensure(can_run_review(by, round), NotFound)
    title = " ".join(str(title).split())
    if not title or len(title) > 100:
        raise ValidationError(_("请填写会议名称（不超过100个字）"))
    if not 1 <= int(minutes_per_case) <= 60:
        raise ValidationError(_("每个案例宣讲时长应在1至60分钟之间"))
    if round.state != Round.State.OPEN:
        raise ValidationError(_("%(round)s当前不在进行中，不能安排宣讲会（评委只能在进行中的轮次评分）") % {"round": round})
    if not review_config(round).uses_live:
        raise ValidationError(_("本轮评审设置未选择“现场宣讲评分”，请先在评审设置中选择"))
    with transaction.atomic():
        meeting = Meeting.plain.create(round=round, title=title, starts_at=starts_at, place=str(place).strip()[:100],
                                       minutes_per_case=int(minutes_per_case), created_by=by)
        audit_record(actor=by, action="meeting.create", target=meeting, org=round.org,
                     data={"title": title, "starts_at": starts_at, "place": meeting.place})
    return meeting


def meeting_set_cases(*, meeting: Meeting, by: User, case_ids: list[int]) -> list[MeetingItem]:
    """The presenting cases in order (replacing the list while no case has been presented yet)."""
    ensure(can_run_review(by, meeting.round), NotFound)
    _editable(meeting)
    ids = list(dict.fromkeys(int(i) for i in case_ids))
    if not ids:
        raise ValidationError(_("请至少选择一个宣讲案例"))
    if len(ids) > MAX_CASES:
        raise ValidationError(_("一场宣讲会最多安排%(n)d件案例") % {"n": MAX_CASES})
    known = set(review_cases(meeting.round).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - known:
        raise ValidationError(_("所选案例不在本轮名单中，请刷新页面后重试"))
    with transaction.atomic():
        _lock(meeting.round)
        meeting = Meeting.plain.select_for_update().get(pk=meeting.pk)  # as meeting_next does
        if MeetingItem.plain.filter(meeting=meeting, started_at__isnull=False).exists():
            raise ValidationError(_("已有案例开始宣讲，顺序不能再修改"))
        MeetingItem.plain.filter(meeting=meeting).delete()
        items = MeetingItem.plain.bulk_create([MeetingItem(meeting=meeting, case_id=cid, position=n)
                                               for n, cid in enumerate(ids, start=1)])
        _sync_assignments(meeting)
        audit_record(actor=by, action="meeting.cases", target=meeting, org=meeting.round.org, data={"cases": ids})
    return items


def meeting_add_judge(*, meeting: Meeting, by: User, expert: Expert) -> tuple[MeetingJudge, str]:
    """A judge from the org's pool; returns the judge and the token of their personal QR link (shown once)."""
    ensure(can_run_review(by, meeting.round), NotFound)
    _editable(meeting)
    if not PoolMember.plain.filter(org=meeting.round.org, expert=expert, is_active=True).exists():
        raise ValidationError(_("%(name)s不在本单位专家库中") % {"name": expert.name})
    if MeetingJudge.plain.filter(meeting=meeting).count() >= MAX_JUDGES:
        raise ValidationError(_("一场宣讲会最多%(n)d位评委") % {"n": MAX_JUDGES})
    if MeetingItem.plain.filter(meeting=meeting, started_at__isnull=False).exists():
        raise ValidationError(_("宣讲已经开始，不能再添加评委（已宣讲的案例无法补评）"))
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            judge = MeetingJudge.plain.create(meeting=meeting, expert=expert, token_hash=_token_hash(token))
            _sync_assignments(meeting)
            audit_record(actor=by, action="meeting.judge", target=judge, org=meeting.round.org,
                         data={"expert": expert.pk})
    except IntegrityError:
        raise ValidationError(_("%(name)s已是本场评委") % {"name": expert.name})
    return judge, token


def meeting_judge_link(*, judge: MeetingJudge, by: User) -> str:
    """A new token for a judge's QR link (the old link stops working)."""
    ensure(can_run_review(by, judge.meeting.round), NotFound)
    _editable(judge.meeting)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        judge.token_hash = _token_hash(token)
        judge.save(update_fields=["token_hash"])
        audit_record(actor=by, action="meeting.judge_link", target=judge, org=judge.meeting.round.org, data={})
    return token


LINK_HOURS = 24  # a QR link works from its printing until the meeting ends, at most a day after its start


def judge_by_token(token: str) -> MeetingJudge | None:
    """The judge a QR link stands for, while the meeting has not finished (and not long after its start)."""
    judge = (MeetingJudge.plain.select_related("meeting__round__org", "expert__user")
             .filter(token_hash=_token_hash(token or "")).first())
    return judge if judge is not None and judge_link_valid(judge) else None


def judge_link_valid(judge: MeetingJudge) -> bool:
    meeting = judge.meeting
    return (meeting.state != Meeting.State.FINISHED
            and timezone.now() <= meeting.starts_at + dt.timedelta(hours=LINK_HOURS))


def live_sheet_submit(*, judge: MeetingJudge, item_id: int, scores: dict, comment: str = "") -> ScoreSheet:
    """A judge's scores for the case on stage. The meeting's row is locked, so the case cannot leave the stage
    between the check and the write; a form for a case that has left is refused in words."""
    with transaction.atomic():
        _lock(judge.meeting.round)
        meeting = Meeting.plain.select_for_update().get(pk=judge.meeting_id)
        if meeting.state != Meeting.State.RUNNING or meeting.current_id != item_id:
            raise ValidationError(_("台上的案例已经更换，请为当前案例评分"))
        item = MeetingItem.plain.select_related("case").get(pk=item_id)
        assignment = (Assignment.plain.select_for_update().select_related("round__org")
                      .filter(round=meeting.round, case=item.case, expert=judge.expert_id,
                              method=Assignment.Method.LIVE).first())
        if assignment is None or assignment.state == Assignment.State.DECLINED:
            raise ValidationError(_("您需回避本案例，不参与评分"))
        if meeting.round.state != Round.State.OPEN:
            raise ValidationError(_("本轮已截止，不能再评分"))
        return write_sheet(assignment, by=judge.expert.user, scores=scores, comments={}, comment=comment,
                           submit=True)


def _sync_assignments(meeting: Meeting) -> None:
    """One live assignment per judge and presenting case (made when either list changes); a judge with a
    conflict of interest on a case does not score it (its result waits for the others only)."""
    experts = list(Expert.plain.filter(judging__meeting=meeting))
    cases = list(review_cases(meeting.round).filter(pk__in=MeetingItem.plain.filter(meeting=meeting)
                                                    .values("case_id")))
    conflicted = conflicts_between(meeting.round, experts, cases,
                                   same_county=review_config(meeting.round).same_county_conflict)
    existing = list(Assignment.plain.filter(round=meeting.round, method=Assignment.Method.LIVE, case__in=cases,
                                            expert__in=experts))
    for a in existing:  # conflicted since it was made (at an earlier meeting of the round) and not yet scored
        if a.state == Assignment.State.ACTIVE and (a.case_id, a.expert_id) in conflicted:
            a.state, a.declined_reason = Assignment.State.DECLINED, conflicted[(a.case_id, a.expert_id)][0].reason[:200]
            a.save(update_fields=["state", "declined_reason", "updated_at"])
    have = {(a.case_id, a.expert_id) for a in existing}
    Assignment.plain.bulk_create([
        Assignment(round=meeting.round, case=c, expert=e, method=Assignment.Method.LIVE,
                   source=Assignment.Source.MANUAL)
        for c in cases for e in experts if (c.pk, e.pk) not in have and (c.pk, e.pk) not in conflicted])


def meeting_next(*, meeting: Meeting, by: User, item: MeetingItem | None = None) -> MeetingItem | None:
    """Start the next case's presentation (or the given one); the one before ends. After the last case the
    meeting finishes."""
    ensure(can_run_review(by, meeting.round), NotFound)
    with transaction.atomic():
        meeting = Meeting.plain.select_for_update().get(pk=meeting.pk)
        _editable(meeting)
        if not MeetingJudge.plain.filter(meeting=meeting).exists():
            raise ValidationError(_("请先添加评委"))
        now = timezone.now()
        items = list(MeetingItem.plain.filter(meeting=meeting).order_by("position"))
        if not items:
            raise ValidationError(_("请先安排宣讲案例"))
        if meeting.current_id:
            MeetingItem.plain.filter(pk=meeting.current_id, ended_at__isnull=True).update(ended_at=now)
        if item is None:
            item = next((i for i in items if i.started_at is None), None)
        elif item.meeting_id != meeting.pk:
            raise NotFound()
        if item is None:
            meeting.state, meeting.current = Meeting.State.FINISHED, None
            meeting.save(update_fields=["state", "current"])
            audit_record(actor=by, action="meeting.finish", target=meeting, org=meeting.round.org, data={})
            return None
        MeetingItem.plain.filter(pk=item.pk).update(started_at=now, ended_at=None)
        meeting.state, meeting.current = Meeting.State.RUNNING, item
        meeting.save(update_fields=["state", "current"])
        audit_record(actor=by, action="meeting.present", target=meeting, org=meeting.round.org,
                     data={"case": item.case_id, "position": item.position})
    item.refresh_from_db()
    return item


@dataclass
class ItemResult:
    item: MeetingItem
    submitted: int
    judges: int
    score: float | None  # shown once every judge has submitted

    @property
    def complete(self) -> bool:
        return self.judges > 0 and self.submitted == self.judges


def meeting_results(meeting: Meeting) -> list[ItemResult]:
    """Per presented case: how many judges have submitted, and the score once all have (same aggregation as
    expert review: trimmed mean with 5 or more judges). Three queries."""
    items = list(MeetingItem.plain.filter(meeting=meeting).select_related("case").order_by("position"))
    judges = set(MeetingJudge.plain.filter(meeting=meeting).values_list("expert_id", flat=True))
    # Who scores each case: the judges without a conflict on it (their live assignments).
    scoring = defaultdict(set)
    for case_id, expert_id in (Assignment.plain.filter(
            round_id=meeting.round_id, method=Assignment.Method.LIVE, case_id__in=[i.case_id for i in items],
            expert_id__in=judges).exclude(state=Assignment.State.DECLINED).values_list("case_id", "expert_id")):
        scoring[case_id].add(expert_id)
    sheets = defaultdict(list)
    for case_id, expert_id, scores in (ScoreSheet.plain.filter(
            assignment__round_id=meeting.round_id, assignment__method=Assignment.Method.LIVE,
            assignment__case_id__in=[i.case_id for i in items], assignment__expert_id__in=judges,
            state=ScoreSheet.State.SUBMITTED).values_list("assignment__case_id", "assignment__expert_id", "scores")):
        sheets[case_id].append(aggregation.SheetScores(case_id=case_id, expert_id=expert_id, scores=scores))
    config = review_config(meeting.round)
    options = aggregation.Options(normalise=False, trim=config.trim, disagreement=config.disagreement)
    results = []
    for item in items:
        expected = scoring.get(item.case_id, set())
        done = [sheet for sheet in sheets.get(item.case_id, []) if sheet.expert_id in expected]
        score = None
        if expected and len(done) == len(expected):
            ranking = aggregation.aggregate(_criteria(config), done, options)
            score = ranking.rows[0].score if ranking.rows else None
        results.append(ItemResult(item, len(done), len(expected), score))
    return results
