"""State changes of expert review (R-108, R-109): pools, invitations, settings, assignment, scoring.

Every function checks permission, writes in one transaction and leaves an audit row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.core import canonical, creditcode, otp
from apps.core.errors import NotFound, ensure
from apps.enterprises.industry import division, section
from apps.orgs import lockout
from apps.orgs.models import PHONE_RE, Org, User
from apps.orgs.regions import region
from apps.review import aggregation
from apps.review.assignment import CaseNeed, ExpertCapacity, solve_assignment
from apps.review.config import ReviewConfig, parse_config, review_config
from apps.review.conflicts import conflicts_between
from apps.review.models import (
    Assignment,
    ConflictDeclaration,
    Disagreement,
    Expert,
    ExpertInvite,
    PoolMember,
    RankingSnapshot,
    ScoreSheet,
)
from apps.review.permissions import can_keep_pool, can_run_review, can_score, expert_of
from apps.rounds.models import Round, RoundEntry
from apps.rounds.services import round_row

_PHONE = re.compile(PHONE_RE)


# -- pools and experts ----------------------------------------------------------------------------

def profile_problems(data: dict) -> dict[str, list[str]]:
    """Every problem of an expert's profile, under the field it concerns (name, employer_credit_code,
    industries, region_code); {} when it can be saved. The profile forms show them all at once."""
    problems: dict[str, list[str]] = {}
    name = " ".join(str(data.get("name", "")).split())
    if not name or len(name) > 50:
        problems["name"] = [_("请填写专家姓名（不超过50个字）")]
    code = creditcode.normalise(str(data.get("employer_credit_code", "")))
    if code:
        found = creditcode.problems(code)
        if found:
            problems["employer_credit_code"] = found
    for item in data.get("industries") or ():
        item = str(item).strip().upper()
        found = division(item[1:]) if len(item) == 3 else None
        if item and not ((len(item) == 1 and section(item)) or (found is not None and found.section == item[0])):
            problems.setdefault("industries", []).append(
                _("行业“%(value)s”不是国民经济行业分类（GB/T 4754）的门类或大类") % {"value": item})
    region_code = str(data.get("region_code", "")).strip()
    if region_code and not (len(region_code) == 6 and region_code.isdigit() and region(region_code)):
        problems["region_code"] = [_("地区代码“%(value)s”不是有效的行政区划代码") % {"value": region_code}]
    return problems


def _profile(data: dict) -> dict:
    """Checked profile fields of an expert (name, employer and its credit code, field, industries, region)."""
    problems = profile_problems(data)
    if problems:
        raise ValidationError(problems)
    return {
        "name": " ".join(str(data.get("name", "")).split()),
        "employer": " ".join(str(data.get("employer", "")).split())[:100],
        "employer_credit_code": creditcode.normalise(str(data.get("employer_credit_code", ""))),
        "field": str(data.get("field", "")).strip()[:100],
        "industries": sorted({str(i).strip().upper() for i in data.get("industries") or () if str(i).strip()}),
        "region_code": str(data.get("region_code", "")).strip(),
        "title": str(data.get("title", "")).strip()[:50],
    }


def _check_phone(phone: str) -> str:
    phone = "".join(str(phone).split())
    if not _PHONE.match(phone):
        raise ValidationError(_("手机号码应为以1开头的11位数字"))
    return phone


def _token_hash(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def expert_invite_create(*, org: Org, by: User, name: str, phone: str,
                         days: int = ExpertInvite.DEFAULT_DAYS) -> tuple[ExpertInvite, str]:
    """A link inviting a person into the org's pool; returns the invitation and the token for the link
    (shown once; only its keyed hash is stored)."""
    ensure(can_keep_pool(by, org), NotFound)
    name = " ".join(str(name).split())
    if not name or len(name) > 50:
        raise ValidationError(_("请填写专家姓名（不超过50个字）"))
    phone = _check_phone(phone)
    if PoolMember.plain.filter(org=org, expert__user__phone=phone, is_active=True).exclude(
            expert__user__password__startswith="!").exists():  # added by hand, no password yet: may be invited
        raise ValidationError(_("手机号码为%(phone)s的专家已在本单位专家库中") % {"phone": phone})
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        invite = ExpertInvite.plain.create(org=org, token_hash=_token_hash(token), name=name, phone=phone,
                                           expires_at=timezone.now() + dt.timedelta(days=days), created_by=by)
        audit_record(actor=by, action="expert.invite", target=invite, org=org,
                     data={"name": name, "phone_tail": phone[-4:], "days": days})
    return invite, token


def expert_invite_revoke(*, invite: ExpertInvite, by: User) -> ExpertInvite:
    """Withdraw an invitation that has not been accepted: its link stops working."""
    ensure(can_keep_pool(by, invite.org), NotFound)
    with transaction.atomic():
        invite = ExpertInvite.plain.select_for_update().get(pk=invite.pk)
        if invite.accepted_at is not None:
            raise ValidationError(_("%(name)s已接受邀请，不能撤销；如需移出专家库，请修改其在库状态") % {"name": invite.name})
        if invite.revoked_at is None:
            invite.revoked_at = timezone.now()
            invite.save(update_fields=["revoked_at"])
            audit_record(actor=by, action="expert.invite_revoke", target=invite, org=invite.org,
                         data={"phone_tail": invite.phone[-4:]})
    return invite


def expert_invite_find(token: str) -> ExpertInvite | None:
    """The invitation a link stands for, if it may still be used."""
    invite = ExpertInvite.plain.select_related("org").filter(token_hash=_token_hash(token or "")).first()
    if invite is None or invite.accepted_at or invite.revoked_at or invite.expires_at <= timezone.now():
        return None
    return invite


# An invitation that gives an account its first password (a new account, or one added to a pool by hand) is
# accepted only with a code sent by SMS to the invited number: whoever merely holds the link (a pool keeper
# who opened it, a forwarded message) cannot take the account of a phone that is not theirs.
INVITE_CODE_PURPOSE = "expert-invite"


def invite_needs_phone_code(invite: ExpertInvite) -> bool:
    """True when accepting would activate an account: no account has the number yet, or it has no password."""
    user = User.objects.filter(phone=invite.phone).first()
    return user is None or not user.has_usable_password()


def expert_invite_code_send(*, token: str) -> ExpertInvite:
    """Send the SMS code that accepting this invitation needs (to the invited number, never another)."""
    invite = expert_invite_find(token)
    if invite is None:
        raise ValidationError(_("邀请链接无效或已过期，请联系邀请单位重新发送"))
    text = _("您正在接受%(org)s评审专家库的邀请，验证码为%%(code)s，%%(minutes)d分钟内有效。如非本人操作，请忽略本短信。")
    try:
        otp.code_send(purpose=INVITE_CODE_PURPOSE, subject=str(invite.pk), phone=invite.phone,
                      text=text % {"org": invite.org.name})
    except otp.CodeError as exc:
        raise ValidationError({"code": [exc.message]}) from None
    return invite


def _new_password_problems(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [_("密码不符合要求：") + m for m in exc.messages]
    return []


def expert_invite_accept(*, token: str, password: str, profile: dict, code: str = "", request=None) -> Expert:
    """Accept an invitation: a new person, or a person added by hand who never signed in, proves the phone
    with the SMS code (expert_invite_code_send) and sets a password (the phone number is their log-in); a
    person who already has an account with that phone number confirms it with its password. The expert
    profile is made or updated and the expert joins the org's pool."""
    found = expert_invite_find(token)
    if found is None:
        raise ValidationError(_("邀请链接无效或已过期，请联系邀请单位重新发送"))
    fields = _profile({**profile, "name": profile.get("name") or found.name})
    existing = User.objects.filter(phone=found.phone).first()
    if existing is not None and existing.has_usable_password():
        # Checked before the transaction below, through authenticate: django-axes records the failure (a
        # rollback would take its record away). Once the account has failed, only the log-in page (with its
        # captcha) checks passwords: guesses through a link cannot lock the account out.
        if request is not None and lockout.captcha_needed(request, existing.username):
            raise ValidationError({"password": [_("该账号近期登录失败较多，请先在登录页登录（需输入图片验证码），再打开此链接")]})
        if not existing.is_active or authenticate(request, username=existing.username, password=password) is None:
            raise ValidationError({"password": [_("该手机号码已有账号，请输入该账号的密码以确认")]})
    else:
        candidate = existing or User(username=found.phone, phone=found.phone, first_name=fields["name"])
        problems = _new_password_problems(password, candidate)
        if problems:
            raise ValidationError({"password": problems})
        try:  # last, so that a mistake elsewhere on the form does not spend the code
            otp.code_check(purpose=INVITE_CODE_PURPOSE, subject=str(found.pk), code=code)
        except otp.CodeError as exc:
            raise ValidationError({"code": [exc.message]}) from None
    with transaction.atomic():
        invite = expert_invite_find(token)
        if invite is None:
            raise ValidationError(_("邀请链接无效或已过期，请联系邀请单位重新发送"))
        invite = ExpertInvite.plain.select_for_update().get(pk=invite.pk)
        if invite.accepted_at:
            raise ValidationError(_("邀请链接已被使用"))
        user = User.objects.select_for_update().filter(phone=invite.phone).first()
        if (user is None) != (existing is None) or (user is not None and user.pk != existing.pk):
            # the account appeared or changed since the checks above
            raise ValidationError(_("该手机号码的账号刚刚发生变化，请刷新页面后重试"))
        if user is None:
            if User.objects.filter(username=invite.phone).exists():
                raise ValidationError(_("用户名%(phone)s已被占用，请联系邀请单位") % {"phone": invite.phone})
            user = User(username=invite.phone, phone=invite.phone, first_name=fields["name"])
            user.set_password(password)
            user.save()
        elif not user.has_usable_password():
            user.set_password(password)  # added to a pool by hand, never signed in: the phone was proved above
            user.save(update_fields=["password"])
        expert, _created = Expert.plain.update_or_create(user=user, defaults=fields)
        member, _new = PoolMember.plain.get_or_create(org=invite.org, expert=expert,
                                                      defaults={"added_by": invite.created_by})
        if not member.is_active:
            member.is_active = True
            member.save(update_fields=["is_active"])
        invite.accepted_at, invite.expert = timezone.now(), expert
        invite.save(update_fields=["accepted_at", "expert"])
        audit_record(actor=user, action="expert.join", target=member, org=invite.org,
                     data={"invite": invite.pk, "expert": expert.pk, "phone_proved": existing is None
                           or not existing.has_usable_password()})
    return expert


def pool_expert_add(*, org: Org, by: User, phone: str, profile: dict) -> PoolMember:
    """Add a person to the pool directly (an expert already known to the system, or a new one whose
    account is made with an unusable password until they accept an invitation or get a reset)."""
    ensure(can_keep_pool(by, org), NotFound)
    phone = _check_phone(phone)
    fields = _profile(profile)
    with transaction.atomic():
        user = User.objects.filter(phone=phone).first()
        if user is None:
            if User.objects.filter(username=phone).exists():
                raise ValidationError(_("用户名%(phone)s已被占用") % {"phone": phone})
            user = User(username=phone, phone=phone, first_name=fields["name"])
            user.set_unusable_password()
            user.save()
        expert = Expert.plain.filter(user=user).first()
        if expert is None:
            expert = Expert.plain.create(user=user, **fields)
        member, created = PoolMember.plain.get_or_create(org=org, expert=expert, defaults={"added_by": by})
        if not created and member.is_active:
            raise ValidationError(_("%(name)s已在本单位专家库中") % {"name": expert.name})
        if not created:
            member.is_active = True
            member.save(update_fields=["is_active"])
        audit_record(actor=by, action="pool.add", target=member, org=org, data={"expert": expert.pk})
    return member


def pool_member_set(*, member: PoolMember, by: User, is_active: bool | None = None, max_load=None,
                    note: str | None = None) -> PoolMember:
    ensure(can_keep_pool(by, member.org), NotFound)
    before = {"is_active": member.is_active, "max_load": member.max_load, "note": member.note}
    if max_load not in (None, ""):
        try:
            max_load = int(max_load)
        except (TypeError, ValueError):
            raise ValidationError(_("最多评审案例数应为整数"))
        if not 1 <= max_load <= 500:
            raise ValidationError(_("最多评审案例数应在1至500之间"))
        member.max_load = max_load
    elif max_load == "":
        member.max_load = None
    if is_active is not None:
        member.is_active = is_active
    if note is not None:
        member.note = note.strip()[:200]
    with transaction.atomic():
        member.save(update_fields=["is_active", "max_load", "note"])
        audit_record(actor=by, action="pool.update", target=member, org=member.org,
                     data={"before": before, "after": {"is_active": member.is_active, "max_load": member.max_load,
                                                       "note": member.note}})
    return member


def expert_profile_update(*, expert: Expert, by: User, profile: dict) -> Expert:
    """The expert edits their own profile (an org keeps the pool, the person keeps the profile)."""
    ensure(expert_of(by) is not None and expert_of(by).pk == expert.pk, NotFound)
    fields = _profile(profile)
    with transaction.atomic():
        before = {k: getattr(expert, k) for k in fields}
        for key, value in fields.items():
            setattr(expert, key, value)
        expert.save()
        audit_record(actor=by, action="expert.profile", target=expert, data={"before": before, "after": fields})
    return expert


# -- a round's review settings --------------------------------------------------------------------

def _lock(round: Round) -> Round:
    return round_row(round, "org")


def review_configure(*, round: Round, by: User | None, data: dict, check: bool = True) -> ReviewConfig:
    """Save the round's review settings (methods, weights, rubric, experts per case, loads, options).
    `check=False` is for the system (demo data), never for a request."""
    if check:
        ensure(can_run_review(by, round), NotFound)
    with transaction.atomic():
        current = _lock(round)
        if current.state in (Round.State.LOCKED, Round.State.SENT):
            raise ValidationError(_("%(round)s的名单已锁定，评审设置不能再修改") % {"round": current})
        before = review_config(current)
        config = parse_config(data, base=before)
        submitted = ScoreSheet.plain.filter(assignment__round=current, state=ScoreSheet.State.SUBMITTED).exists()
        if submitted and config.rubric != before.rubric:
            raise ValidationError(_("已有专家提交评分，评分标准不能再修改"))
        if "voting" in before.methods and "voting" not in config.methods and _has_votes(current):
            raise ValidationError(_("本轮网络投票已有投票，不能取消“网络投票”；如需调整，请修改其权重"))
        current.config = {**(current.config or {}), "review": config.as_json()}
        current.save(update_fields=["config", "updated_at"])
        audit_record(actor=by, action="review.configure", target=current, org=current.org,
                     data={"before": before.as_json(), "after": config.as_json()})
    round.config = current.config
    return config


def _has_votes(round: Round) -> bool:
    """Whether the round's public vote (apps.voting, which builds on this app) has received votes. Read
    through the reverse relation, so review does not import voting."""
    try:
        return round.poll.votes.exists()
    except ObjectDoesNotExist:
        return False


# -- assignment -----------------------------------------------------------------------------------

def review_cases(round: Round):
    """The cases the round reviews: every case in its list (what its children sent up)."""
    listed = RoundEntry.plain.filter(round=round, case=OuterRef("pk")).exclude(decision=RoundEntry.Decision.OUT)
    return (Case.plain.filter(Exists(listed.order_by()))
            .select_related("enterprise", "recommender", "county").order_by("id"))


def unscored_count(round: Round, method: str = Assignment.Method.REVIEW) -> int:
    """Cases of the round without any submitted sheet (they are not in the ranking)."""
    submitted = Assignment.plain.filter(round=round, method=method, case=OuterRef("case"),
                                        state=Assignment.State.SUBMITTED).order_by()
    return (RoundEntry.plain.filter(round=round).exclude(decision=RoundEntry.Decision.OUT).order_by()
            .exclude(Exists(submitted)).count())


def pool_experts(org: Org):
    return Expert.plain.filter(pools__org=org, pools__is_active=True).select_related("user").order_by("id")


def _industry_match(case: Case, expert: Expert) -> bool:
    enterprise = case.enterprise
    wanted = {enterprise.industry_section} - {""}
    if enterprise.industry_division:
        wanted.add(enterprise.industry_section + enterprise.industry_division)
    return bool(wanted & set(expert.industries or ()))


@dataclass
class AssignOutcome:
    result: object  # apps.review.assignment.AssignmentResult
    created: int
    cases: int
    experts: int


def review_assign(*, round: Round, by: User | None, check: bool = True) -> AssignOutcome:
    """Give every case of the round k experts from the org's pool, solved as an optimisation: no conflicted
    pair, loads within bounds, as many industry matches as possible. Assignments already made (and any
    scores on them) are kept as they are; declined pairs are never proposed again. `check=False` is for
    the system (demo data), never for a request."""
    if check:
        ensure(can_run_review(by, round), NotFound)
    with transaction.atomic():
        current = _lock(round)
        if current.state not in (Round.State.OPEN, Round.State.CLOSED):
            raise ValidationError(_("%(round)s当前为“%(state)s”，不能分配专家") % {
                "round": current, "state": current.get_state_display()})
        config = review_config(current)
        cases = list(review_cases(current))
        if not cases:
            raise ValidationError(_("%(round)s还没有案例，无法分配专家") % {"round": current})
        members = {m.expert_id: m for m in PoolMember.plain.filter(org=current.org, is_active=True)}
        experts = list(pool_experts(current.org))
        if not experts:
            raise ValidationError(_("%(org)s的专家库中还没有专家，请先邀请专家") % {"org": current.org.name})
        conflicts = conflicts_between(current, experts, cases, same_county=config.same_county_conflict)
        # Assignments of cases no longer in the list (screened out above) neither count nor take a place.
        case_ids = {c.pk for c in cases}
        existing = list(Assignment.plain.filter(round=current, method=Assignment.Method.REVIEW, case_id__in=case_ids))
        # A pair found conflicted after it was made (an expert's new employer, a declaration) and not yet
        # scored is declined here, with the reason, and filled again below.
        for a in existing:
            if a.state == Assignment.State.ACTIVE and (a.case_id, a.expert_id) in conflicts:
                reason = "；".join(c.reason for c in conflicts[(a.case_id, a.expert_id)])[:200]
                a.state, a.declined_reason = Assignment.State.DECLINED, reason
                a.save(update_fields=["state", "declined_reason", "updated_at"])
                ScoreSheet.plain.filter(assignment=a).delete()
                audit_record(actor=by, action="assignment.conflict", target=a, org=current.org,
                             data={"case": a.case_id, "expert": a.expert_id, "reason": reason})
        fixed = {(a.case_id, a.expert_id) for a in existing if a.state != Assignment.State.DECLINED}
        declined = {(a.case_id, a.expert_id) for a in existing if a.state == Assignment.State.DECLINED}
        # An expert who has left the pool keeps the assignments already made (counted toward k), no new ones.
        pool_ids = {e.pk for e in experts}
        kept_loads: dict[int, int] = {}
        for _case_id, expert_id in fixed:
            kept_loads[expert_id] = kept_loads.get(expert_id, 0) + 1
        former = [e for e in Expert.plain.filter(pk__in=set(kept_loads) - pool_ids)]
        case_by_id = {c.pk: c for c in cases}
        # A case that already has k or more experts (an extra one added for a disagreement, or by hand) is
        # complete: it leaves the model, and its assignments count against the experts' loads beforehand.
        per_case: dict[int, int] = {}
        for case_id, _expert_id in fixed:
            per_case[case_id] = per_case.get(case_id, 0) + 1
        full = {case_id for case_id, n in per_case.items() if n >= config.experts_per_case}
        used: dict[int, int] = {}
        for case_id, expert_id in fixed:
            if case_id in full:
                used[expert_id] = used.get(expert_id, 0) + 1
        needs = [CaseNeed(case_id=c.pk, industry=c.enterprise.industry_section + c.enterprise.industry_division,
                          label=c.title) for c in cases if c.pk not in full]
        capacity = [ExpertCapacity(expert_id=e.pk, industries=frozenset(e.industries or ()),
                                   min_load=max(0, config.min_load - used.get(e.pk, 0)),
                                   max_load=max(0, min(config.max_load, members[e.pk].max_load or config.max_load)
                                                - used.get(e.pk, 0)),
                                   label=e.name) for e in experts]
        capacity += [ExpertCapacity(expert_id=e.pk, industries=frozenset(e.industries or ()), min_load=0,
                                    max_load=kept_loads[e.pk] - used.get(e.pk, 0), label=e.name) for e in former]
        open_fixed = {pair for pair in fixed if pair[0] not in full}
        in_model = {n.case_id for n in needs}, {c.expert_id for c in capacity}
        forbidden = {(case_id, expert_id) for case_id, expert_id in (set(conflicts) | declined) - fixed
                     if case_id in in_model[0] and expert_id in in_model[1]}
        result = solve_assignment(needs, capacity, k=config.experts_per_case, forbidden=forbidden, fixed=open_fixed)
        created = 0
        if result.status == "optimal":
            expert_by_id = {e.pk: e for e in experts + former}
            new = [Assignment(round=current, case_id=case_id, expert_id=expert_id, method=Assignment.Method.REVIEW,
                              source=Assignment.Source.SOLVER, assigned_by=by,
                              industry_match=_industry_match(case_by_id[case_id], expert_by_id[expert_id]))
                   for case_id, expert_id in result.pairs if (case_id, expert_id) not in fixed]
            Assignment.plain.bulk_create(new, batch_size=1000)
            created = len(new)
        audit_record(actor=by, action="review.assign", target=current, org=current.org, data={
            "status": result.status, "created": created, "kept": len(fixed), "cases": len(cases),
            "experts": len(experts), "k": config.experts_per_case, "mismatches": getattr(result, "mismatches", None),
            "reasons": list(result.reasons), "solver": getattr(result, "solver", "")})
    return AssignOutcome(result=result, created=created, cases=len(cases), experts=len(experts))


def assignment_add(*, round: Round, case: Case, expert: Expert, by: User) -> Assignment:
    """An expert chosen by hand for a case; refused when conflicted."""
    ensure(can_run_review(by, round), NotFound)
    with transaction.atomic():
        current = _lock(round)
        if current.state not in (Round.State.OPEN, Round.State.CLOSED):
            raise ValidationError(_("%(round)s当前不能分配专家") % {"round": current})
        if not review_cases(current).filter(pk=case.pk).exists():
            raise NotFound()
        if not PoolMember.plain.filter(org=current.org, expert=expert, is_active=True).exists():
            raise ValidationError(_("%(name)s不在本单位专家库中") % {"name": expert.name})
        config = review_config(current)
        case = review_cases(current).get(pk=case.pk)
        found = conflicts_between(current, [expert], [case], same_county=config.same_county_conflict)
        if found:
            raise ValidationError(_("%(name)s与该案例存在利益冲突：%(reasons)s") % {
                "name": expert.name, "reasons": "；".join(c.reason for c in found[(case.pk, expert.pk)])})
        try:
            with transaction.atomic():
                assignment = Assignment.plain.create(round=current, case=case, expert=expert, assigned_by=by,
                                                     source=Assignment.Source.MANUAL,
                                                     industry_match=_industry_match(case, expert))
        except IntegrityError:
            raise ValidationError(_("%(name)s已分配评审该案例") % {"name": expert.name})
        audit_record(actor=by, action="assignment.add", target=assignment, org=current.org,
                     data={"case": case.pk, "expert": expert.pk})
    return assignment


def assignment_remove(*, assignment: Assignment, by: User) -> None:
    """Take an expert off a case, as long as they have not submitted scores for it."""
    ensure(can_run_review(by, assignment.round), NotFound)
    with transaction.atomic():
        _lock(assignment.round)
        assignment = Assignment.plain.select_for_update().get(pk=assignment.pk)
        if assignment.state == Assignment.State.SUBMITTED:
            raise ValidationError(_("%(name)s已提交评分，不能撤回分配") % {"name": assignment.expert.name})
        audit_record(actor=by, action="assignment.remove", target=assignment, org=assignment.round.org,
                     data={"case": assignment.case_id, "expert": assignment.expert_id})
        assignment.delete()


def assignment_decline(*, assignment: Assignment, by: User, reason: str) -> Assignment | None:
    """The expert declines a case for a conflict of interest (回避), with the reason. The declaration is
    kept, the pair is never proposed again, and the case gets one replacement expert chosen as the solver
    would for a single place (when none can be found, the round's admins see the gap on the review page)."""
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValidationError(_("请填写回避原因"))
    if len(reason) > 200:
        raise ValidationError(_("回避原因不超过200个字"))
    with transaction.atomic():
        _lock(assignment.round)
        assignment = Assignment.plain.select_for_update().select_related("round__org").get(pk=assignment.pk)
        ensure(can_score(by, assignment), NotFound)
        if assignment.state == Assignment.State.SUBMITTED:
            raise ValidationError(_("您已提交该案例的评分，不能再申请回避"))
        assignment.state, assignment.declined_reason = Assignment.State.DECLINED, reason
        assignment.save(update_fields=["state", "declined_reason", "updated_at"])
        ScoreSheet.plain.filter(assignment=assignment).delete()
        ConflictDeclaration.plain.get_or_create(expert=assignment.expert, case=assignment.case,
                                                defaults={"reason": reason})
        audit_record(actor=by, action="assignment.decline", target=assignment, org=assignment.round.org,
                     data={"case": assignment.case_id, "reason": reason})
        if assignment.method != Assignment.Method.REVIEW:
            return None
        # One replacement for this case only (exact for a single slot: no conflict, room under the load
        # limit, industry match first, then the lightest load); the rest of the round stays as it is.
        try:
            with transaction.atomic():
                replacement = _add_extra_expert(assignment.round, assignment.case, by, source_reason="decline")
        except ValidationError:
            return None
        return replacement


def review_remind(*, round: Round, by: User) -> int:
    """Mark a reminder on every unfinished assignment (the expert's page shows it); returns the experts
    reminded. (An SMS through the gateway adapter follows with the voting issue's SMS adapter.)"""
    ensure(can_run_review(by, round), NotFound)
    with transaction.atomic():
        now = timezone.now()
        pending = Assignment.plain.filter(round=round, state=Assignment.State.ACTIVE)
        experts = sorted(set(pending.values_list("expert_id", flat=True)))
        pending.update(reminded_at=now)
        audit_record(actor=by, action="review.remind", target=round, org=round.org, data={"experts": experts})
    return len(experts)


# -- scoring --------------------------------------------------------------------------------------

def _criteria(config: ReviewConfig) -> tuple:
    return tuple(aggregation.Criterion(key=i.key, name=i.name, weight=i.weight, maximum=i.maximum)
                 for i in config.rubric)


def _numbers(config: ReviewConfig, raw: dict) -> dict:
    """The entered scores as numbers (blank ones left out); what is not a number stays as typed, for
    aggregation.score_problems to name."""
    numbers = {}
    for item in config.rubric:
        value = raw.get(item.key)
        if value in (None, ""):
            continue
        try:
            number = float(str(value).strip())
        except ValueError:
            numbers[item.key] = str(value)  # validate_scores says it is not a number, once
            continue
        numbers[item.key] = number
    known = {item.key for item in config.rubric}
    for key, value in raw.items():  # a key that is not a criterion: validate_scores names it
        if key not in known and value not in (None, ""):
            numbers[key] = value
    return numbers


def sheet_save(*, assignment: Assignment, by: User, scores: dict, comments: dict | None = None,
               comment: str = "", submit: bool = False) -> ScoreSheet:
    """Save the expert's scores as a draft, or submit them (every criterion scored, each within 0 and its
    maximum, at most one decimal place). A submitted sheet is final."""
    with transaction.atomic():
        _lock(assignment.round)  # the settings (rubric) cannot change under a submission
        assignment = (Assignment.plain.select_for_update().select_related("round__org", "expert")
                      .get(pk=assignment.pk))
        ensure(can_score(by, assignment), NotFound)
        if assignment.method != Assignment.Method.REVIEW:
            raise NotFound()  # live scores go through meetings.live_sheet_submit, for the case on stage
        return write_sheet(assignment, by=by, scores=scores, comments=comments, comment=comment, submit=submit)


def write_sheet(assignment: Assignment, *, by: User, scores: dict, comments: dict | None, comment: str,
                submit: bool) -> ScoreSheet:
    """Check and store a sheet (inside the caller's transaction, the assignment's row locked): a draft may
    leave criteria blank; a submission needs them all and is final."""
    config = review_config(assignment.round)
    sheet = ScoreSheet.plain.filter(assignment=assignment).first() or ScoreSheet(assignment=assignment)
    if sheet.state == ScoreSheet.State.SUBMITTED:
        raise ValidationError(_("该案例的评分已提交，不能再修改"))
    numbers = _numbers(config, scores or {})
    criteria = _criteria(config)
    # A draft may leave criteria blank: only the criteria it scores are checked (and any unknown key).
    checked = criteria if submit else tuple(c for c in criteria if c.key in numbers)
    # Keyed as the pages name their fields (score_<key>, comment), so that each problem shows at its field; a
    # key that is no criterion has no field. ValidationError.messages still lists them all in rubric order.
    known = {c.key for c in criteria}
    problems: dict[str, list[str]] = {}
    for key, found in aggregation.score_problems(checked, numbers).items():
        problems.setdefault(f"score_{key}" if key in known else NON_FIELD_ERRORS, []).extend(found)
    comment = str(comment or "").strip()
    if len(comment) > 2000:
        problems["comment"] = [_("总体意见不超过2000个字")]
    if problems:
        raise ValidationError(problems)
    sheet.scores = numbers
    sheet.comments = {k: str(v).strip()[:500] for k, v in (comments or {}).items()
                      if k in {i.key for i in config.rubric} and str(v).strip()}
    sheet.comment = comment
    if submit:
        sheet.state = ScoreSheet.State.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.total = aggregation.weighted_total(criteria, numbers)
        assignment.state = Assignment.State.SUBMITTED
        assignment.save(update_fields=["state", "updated_at"])
    sheet.save()
    audit_record(actor=by, action="sheet.submit" if submit else "sheet.save", target=assignment,
                 org=assignment.round.org, data={"scores": numbers, "total": sheet.total} if submit else {})
    return sheet


# -- ranking --------------------------------------------------------------------------------------

def sheets_of(round: Round, method: str = Assignment.Method.REVIEW):
    # No ordering: aggregate() sorts what it needs; the models' default orderings would join four tables.
    # Only cases still in the round's list (a case taken out keeps its sheets, not its rank).
    listed = (RoundEntry.plain.filter(round=round, case=OuterRef("assignment__case"))
              .exclude(decision=RoundEntry.Decision.OUT).order_by())
    return (ScoreSheet.plain.filter(assignment__round=round, assignment__method=method,
                                    state=ScoreSheet.State.SUBMITTED).filter(Exists(listed))
            .order_by().values_list("assignment__case_id", "assignment__expert_id", "scores"))


def ranking_of(round: Round, method: str = Assignment.Method.REVIEW,
               config: ReviewConfig | None = None) -> aggregation.Ranking:
    """The round's ranking computed from the stored submitted sheets (one query), under the round's settings
    (`config` when the caller has read them already)."""
    config = config or review_config(round)
    options = aggregation.Options(normalise=config.normalise, trim=config.trim, disagreement=config.disagreement)
    sheets = [aggregation.SheetScores(case_id=c, expert_id=e, scores=s) for c, e, s in sheets_of(round, method)]
    return aggregation.aggregate(_criteria(config), sheets, options)


@dataclass(frozen=True)
class RankingPage:
    """One page of a round's ranking (the rows to show) and what the page needs of the whole."""

    rows: tuple
    count: int
    round_mean: float
    round_sd: float


def ranking_page(round: Round, number: int, size: int, method: str = Assignment.Method.REVIEW) -> RankingPage:
    """A page of ranking_of's rows, from the cache while no sheet was submitted (or changed) and the settings
    are the same: 25,000 sheets take most of a second to aggregate (bench/review_ranking.py), and the cache
    holds each page on its own so that a request reads 250 rows, not 5,000. `number` counts from 1; a number
    past the end gives the last page."""
    inputs = canonical.digest([review_config(round).as_json(), ranking_version(round, method)])[:32]
    base = "review.ranking:%d:%s:%s:%d" % (round.pk, method, inputs, size)
    head = cache.get(f"{base}:head")
    if head is None:
        ranking = ranking_of(round, method)
        pages = max(1, -(-len(ranking.rows) // size))
        head = (len(ranking.rows), ranking.round_mean, ranking.round_sd)
        entries = {f"{base}:{n}": ranking.rows[(n - 1) * size:n * size] for n in range(1, pages + 1)}
        cache.set_many({**entries, f"{base}:head": head}, timeout=24 * 3600)
        count = head[0]
        number = min(max(1, number), pages)
        return RankingPage(entries[f"{base}:{number}"], *head)
    count = head[0]
    number = min(max(1, number), max(1, -(-count // size)))
    rows = cache.get(f"{base}:{number}")
    if rows is None:  # evicted on its own: compute again
        cache.delete(f"{base}:head")
        return ranking_page(round, number, size, method)
    return RankingPage(rows, *head)


def ranking_scores(round: Round, method: str = Assignment.Method.REVIEW,
                   config: ReviewConfig | None = None) -> dict[int, tuple[float, int]]:
    """{case id: (aggregated score, experts counted)} of ranking_of, from the cache while no sheet was submitted
    (or changed) and the settings are the same (see ranking_page): the selection list recomputes its composite at
    every click, and aggregating thousands of sheets each time would cost most of that click."""
    config = config or review_config(round)
    inputs = canonical.digest([config.as_json(), ranking_version(round, method)])[:32]
    key = "review.scores:%d:%s:%s" % (round.pk, method, inputs)
    found = cache.get(key)
    if found is None:
        found = {row.case_id: (row.score, row.n) for row in ranking_of(round, method, config).rows}
        cache.set(key, found, timeout=24 * 3600)
    return found


def ranking_version(round: Round, method: str = Assignment.Method.REVIEW) -> tuple:
    """What the ranking depends on besides the settings: the submitted assignments' count and last change.
    A sheet is final once submitted and its assignment's updated_at moves when it is, so this changes exactly
    when the set of submitted sheets does; it reads one index range (assignment_round_state)."""
    found = (Assignment.plain.filter(round=round, method=method, state=Assignment.State.SUBMITTED)
             .order_by().aggregate(n=Count("pk"), last=Max("updated_at")))
    return found["n"], str(found["last"])


def ranking_digest(data: dict) -> str:
    """The snapshot's SHA-256 (apps.core.canonical), stored with it and compared by `manage.py round_recompute`."""
    return canonical.digest(data)


def ranking_snapshot(*, round: Round, by: User | None, method: str = Assignment.Method.REVIEW,
                     check: bool = True) -> RankingSnapshot:
    """Store the ranking as computed now, with its SHA-256, for `manage.py round_recompute` to compare."""
    if check:
        ensure(can_run_review(by, round), NotFound)
    data = {"round": round.pk, "method": method, "config": review_config(round).as_json(),
            "ranking": ranking_of(round, method).as_dict()}
    digest = ranking_digest(data)
    with transaction.atomic():
        snapshot = RankingSnapshot.plain.create(round=round, method=method, data=data, sha256=digest, created_by=by)
        audit_record(actor=by, action="ranking.snapshot", target=round, org=round.org,
                     data={"snapshot": snapshot.pk, "sha256": digest, "method": method})
    return snapshot


def disagreement_resolve(*, round: Round, case: Case, by: User, resolution: str, note: str) -> Disagreement:
    """The chair's answer to a flagged case: a note, or one more expert (chosen by the same rules as the
    solver: no conflict, within the load limit, industry match first, then the lightest load)."""
    ensure(can_run_review(by, round), NotFound)
    note = str(note or "").strip()
    if not note:
        raise ValidationError(_("请填写处理说明"))
    if resolution not in Disagreement.Resolution.values:
        raise ValidationError(_("请选择处理方式"))
    ranking = ranking_of(round)
    row = next((r for r in ranking.rows if r.case_id == case.pk), None)
    if row is None or not row.flagged:
        raise ValidationError(_("该案例没有分歧提示"))
    with transaction.atomic():
        current = _lock(round)
        if current.state not in (Round.State.OPEN, Round.State.CLOSED):
            raise ValidationError(_("%(round)s的名单已锁定，不能再处理分歧") % {"round": current})
        if resolution == Disagreement.Resolution.EXTRA_EXPERT:
            _add_extra_expert(current, case, by)
        found = Disagreement.plain.create(round=current, case=case, resolution=resolution, note=note[:2000],
                                          spread=row.spread, resolved_by=by)
        audit_record(actor=by, action="disagreement.resolve", target=found, org=current.org,
                     data={"case": case.pk, "resolution": resolution, "spread": row.spread})
    return found


def _add_extra_expert(current: Round, case: Case, by: User | None, *, source_reason: str = "disagreement"
                      ) -> Assignment:
    config = review_config(current)
    case = review_cases(current).get(pk=case.pk)
    experts = list(pool_experts(current.org))
    conflicts = conflicts_between(current, experts, [case], same_county=config.same_county_conflict)
    taken = set(Assignment.plain.filter(round=current, case=case).values_list("expert_id", flat=True))
    loads = {}
    for expert_id in Assignment.plain.filter(round=current, method=Assignment.Method.REVIEW).exclude(
            state=Assignment.State.DECLINED).values_list("expert_id", flat=True):
        loads[expert_id] = loads.get(expert_id, 0) + 1
    members = {m.expert_id: m for m in PoolMember.plain.filter(org=current.org, is_active=True)}
    choices = [e for e in experts if e.pk not in taken and (case.pk, e.pk) not in conflicts
               and loads.get(e.pk, 0) < min(config.max_load, members[e.pk].max_load or config.max_load)]
    if not choices:
        raise ValidationError(_("专家库中没有可增派的专家（均已分配、存在利益冲突或已达最多评审数）"))
    best = min(choices, key=lambda e: (not _industry_match(case, e), loads.get(e.pk, 0), e.pk))
    added = Assignment.plain.create(round=current, case=case, expert=best, assigned_by=by,
                                    source=Assignment.Source.SOLVER, industry_match=_industry_match(case, best))
    audit_record(actor=by, action="assignment.add", target=added, org=current.org,
                 data={"case": case.pk, "expert": best.pk, "why": source_reason})
    return added
