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
from apps.review.models import Assignment, Expert, Meeting, MeetingItem, MeetingJudge, PoolMember, ScoreSheet
from apps.review.permissions import can_run_review
from apps.review.services import _criteria, _lock, _token_hash, review_cases
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
    if round.state not in (Round.State.OPEN, Round.State.CLOSED):
        raise ValidationError(_("%(round)s当前不能安排宣讲会") % {"round": round})
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
        raise ValidationError(_("一场宣讲会最多安排%(n)d个案例") % {"n": MAX_CASES})
    known = set(review_cases(meeting.round).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - known:
        raise ValidationError(_("所选案例不在本轮名单中，请刷新页面后重试"))
    with transaction.atomic():
        _lock(meeting.round)
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


def judge_by_token(token: str) -> MeetingJudge | None:
    """The judge a QR link stands for, while the meeting has not finished."""
    judge = (MeetingJudge.plain.select_related("meeting__round", "expert__user")
             .filter(token_hash=_token_hash(token or "")).first())
    if judge is None or judge.meeting.state == Meeting.State.FINISHED:
        return None
    return judge


def _sync_assignments(meeting: Meeting) -> None:
    """One live assignment per judge and presenting case (made when either list changes)."""
    judges = list(MeetingJudge.plain.filter(meeting=meeting).values_list("expert_id", flat=True))
    cases = list(MeetingItem.plain.filter(meeting=meeting).values_list("case_id", flat=True))
    have = set(Assignment.plain.filter(round=meeting.round, method=Assignment.Method.LIVE, case_id__in=cases,
                                       expert_id__in=judges).values_list("case_id", "expert_id"))
    Assignment.plain.bulk_create([
        Assignment(round=meeting.round, case_id=c, expert_id=e, method=Assignment.Method.LIVE,
                   source=Assignment.Source.MANUAL)
        for c in cases for e in judges if (c, e) not in have])


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
        done = sheets.get(item.case_id, [])
        score = None
        if judges and len(done) == len(judges):
            ranking = aggregation.aggregate(_criteria(config), done, options)
            score = ranking.rows[0].score if ranking.rows else None
        results.append(ItemResult(item, len(done), len(judges), score))
    return results
