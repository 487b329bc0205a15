"""Reads of cases that pages, services and the API share: deadlines, submission checks, snapshots and diffs."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.campaigns import rules
from apps.campaigns.models import Campaign, Programme
from apps.campaigns.selectors import rulebook_values
from apps.cases.attachment_services import attachment_problems
from apps.cases.levels import levels
from apps.cases.models import Case, CaseAttachment, CaseInvite, CaseVersion
from apps.cases.permissions import works_at
from apps.core import creditcode
from apps.core.todos import Todo
from apps.enterprises.models import Enterprise
from apps.orgs.models import PHONE_RE, Org

SECTION_NAMES = tuple(name for name, _label in Case.SECTIONS)
TEXT_FIELDS = ("title", "type", "abstract", *SECTION_NAMES, "economic_benefits", "social_benefits",
               "contact_name", "contact_phone", "contact_email")
BOOL_FIELDS = ("consent_publicity", "consent_truthful")
# Fields a submission needs (the e-mail is optional, checked when given).
REQUIRED_FIELDS = ("title", "type", "abstract", *SECTION_NAMES, "economic_benefits", "social_benefits",
                   "contact_name", "contact_phone")
# The usual length of the body (DOMAIN.md "A case"): shown as a target, not enforced.
BODY_TARGET = (2000, 3000)
# No rule caps the benefit texts; a generous limit keeps a submission readable.
BENEFIT_MAX = 2000
# Limits a submission must meet. The phone has none here: its format check says more than a length would.
CAPS = {"title": Case.TITLE_MAX, "abstract": Case.ABSTRACT_MAX, "economic_benefits": BENEFIT_MAX,
        "social_benefits": BENEFIT_MAX, "contact_name": Case.CONTACT_NAME_MAX, "contact_email": Case.CONTACT_EMAIL_MAX}
# What a draft holds at most (Case.DRAFT_FACTOR times each limit; the columns are as wide).
DRAFT_HOLDS = {name: cap * Case.DRAFT_FACTOR
               for name, cap in {**CAPS, "contact_phone": Case.CONTACT_PHONE_MAX}.items()}
BODY_HOLDS = Case.BODY_MAX * Case.DRAFT_FACTOR
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Problems by the form field they belong to; NON_FIELD for the case as a whole, ATTACHMENTS for its files.
Problems = dict[str, list[str]]
NON_FIELD = NON_FIELD_ERRORS
ATTACHMENTS = "attachments"

# The rules an association meets, by name: association pages show these words, not rule ids.
RULE_NAMES = {"R-106": gettext_lazy("属地推荐"), "R-107": gettext_lazy("区县筛查")}


def field_label(name: str) -> str:
    return str(Case._meta.get_field(name).verbose_name)


# -- the campaign around a case ---------------------------------------------------------------

def current_campaign():

    return Campaign.objects.order_by("-year").first()


def province_programme(campaign_id: int, county: Org):
    """The province programme a county's cases belong to (structural: one per province and campaign)."""

    codes = county.ancestor_codes()
    return (Programme.plain.select_related("campaign")
            .filter(campaign_id=campaign_id, kind=Programme.Kind.PROVINCE, org__path="/".join(codes[:2]) + "/")
            .first())


def submission_deadline(case: Case) -> tuple[dt.date | None, str]:
    """(last day a submission is accepted, the rule's label).

    A first submission closes at the rulebook's case_submission_deadline (R-106). A case the county
    returned for revision may be resubmitted until the county reports to the city (R-107): otherwise a
    return after the first deadline could never be answered.
    """

    programme = province_programme(case.campaign_id, case.county)
    if programme is None:
        return None, ""
    values = rulebook_values(programme)
    key = "county_report_deadline" if case.status == Case.Status.RETURNED else "case_submission_deadline"
    return values[key], str(rules.spec(key).label)


def enterprises_for(org: Org, campaign) -> QuerySet[Enterprise]:
    """The registered enterprises an association may recommend: those of its own county (R-106)."""
    if campaign is None or not org.is_association:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(campaign=campaign, county_id=org.parent_id).order_by("name", "id")


def enterprise_by_credit_code(campaign, raw: str) -> Enterprise | None:
    """Structural look-up by credit code (Enterprise.plain) so that an enterprise of another county gets the
    属地 refusal that names its county, instead of "not found". It reveals no more than the county of a
    registered company, which its credit code already tells."""
    code = creditcode.normalise(raw)
    if campaign is None or not code:
        return None
    return Enterprise.plain.select_related("county").filter(campaign=campaign, credit_code=code).first()


# -- submission checks ------------------------------------------------------------------------

def draft_values(data: dict) -> dict:
    """The draft fields `data` carries, with browser line endings made plain so counts match what people see."""
    values = {}
    for name in (*TEXT_FIELDS, *BOOL_FIELDS):
        if name in data:
            value = data[name]
            values[name] = bool(value) if name in BOOL_FIELDS else (
                (value or "").replace("\r\n", "\n").replace("\r", "\n").strip())
    return values


def flat(problems: Problems) -> list[str]:
    return [text for texts in problems.values() for text in texts]


def _add(found: Problems, name: str, text: str) -> None:
    found.setdefault(name, []).append(text)


def _shown(text: str, n: int = 20) -> str:
    """A value quoted back in a message, cut short when long."""
    return text if len(text) <= n else text[:n] + "…"


def _longest_section(values: dict) -> str:
    """Where an over-long body is best cut: the longest of the five sections (the first on a tie)."""
    return max(SECTION_NAMES, key=lambda name: len(values.get(name) or ""))


def cap_problems(values: dict) -> Problems:
    """Every text over its limit, by field. A submission must meet them; a draft may be over them for now."""
    found: Problems = {}
    for name, cap in CAPS.items():
        n = len(values.get(name) or "")
        if n > cap:
            _add(found, name, _("%(label)s不能超过%(cap)d字，当前%(n)d字，请删减%(over)d字")
                 % {"label": field_label(name), "cap": cap, "n": n, "over": n - cap})
    body = sum(len(values.get(name) or "") for name in SECTION_NAMES)
    if body > Case.BODY_MAX:
        _add(found, _longest_section(values),
             _("正文（背景、主要做法、创新点、成效、启示）合计不能超过%(cap)d字，当前%(n)d字，请删减%(over)d字")
             % {"cap": Case.BODY_MAX, "n": body, "over": body - Case.BODY_MAX})
    return found


def draft_limit_problems(values: dict) -> Problems:
    """Text beyond what a draft holds (Case.DRAFT_FACTOR times each limit), by field. Over the limit but within
    this bound a draft is saved as typed; beyond it nothing is saved, and the message says how much to cut."""
    found: Problems = {}
    for name, hold in DRAFT_HOLDS.items():
        n = len(values.get(name) or "")
        if n > hold:
            _add(found, name, _("%(label)s过长，草稿最多保存%(hold)d字，当前%(n)d字，请删减后再保存")
                 % {"label": field_label(name), "hold": hold, "n": n})
    body = sum(len(values.get(name) or "") for name in SECTION_NAMES)
    if body > BODY_HOLDS:
        _add(found, _longest_section(values),
             _("正文五部分合计过长，草稿最多保存%(hold)d字，当前%(n)d字，请删减后再保存") % {"hold": BODY_HOLDS, "n": body})
    if values.get("type") and values["type"] not in Case.Type.values:
        _add(found, "type", _("案例类型应为组织创新、技术创新或工艺创新"))
    return found


def _attachment_problems(case: Case) -> list[str]:
    return list(attachment_problems(case))


def submission_problems_by_field(case: Case, today: dt.date | None = None, values: dict | None = None) -> Problems:
    """Every reason the case cannot be submitted now, all at once, by the field each belongs to, in the order
    of the form. `values` (text and consent fields) stand in for the case's own, to check what a page posted
    but could not save."""
    found: Problems = {}
    if case.status not in (Case.Status.DRAFT, Case.Status.RETURNED, Case.Status.WITHDRAWN):
        _add(found, NON_FIELD, _("该案例当前为“%(status)s”，不能再次提交") % {"status": case.get_status_display()})
    values = {**{name: getattr(case, name) for name in (*TEXT_FIELDS, *BOOL_FIELDS)}, **draft_values(values or {})}
    caps = cap_problems(values)
    for name in TEXT_FIELDS:
        text = values[name] or ""
        if name in REQUIRED_FIELDS and not text.strip():
            _add(found, name, _("请填写%(label)s") % {"label": field_label(name)})
        if name == "type" and text and text not in Case.Type.values:
            _add(found, name, _("案例类型应为组织创新、技术创新或工艺创新"))
        if name == "contact_phone" and text and not re.match(PHONE_RE, text):
            _add(found, name, _("联系人手机应为以1开头的11位手机号码，当前为“%(phone)s”") % {"phone": _shown(text)})
        if name == "contact_email" and text and not EMAIL_RE.match(text):
            _add(found, name, _("联系人邮箱格式不正确，请填写如 name@example.com 的地址"))
        for problem in caps.get(name, []):
            _add(found, name, problem)
    if not values["consent_publicity"]:
        _add(found, "consent_publicity", _("请勾选“同意公开宣传”"))
    if not values["consent_truthful"]:
        _add(found, "consent_truthful", _("请勾选“承诺材料真实”"))
    for problem in _attachment_problems(case):
        _add(found, ATTACHMENTS, problem)
    enterprise = case.enterprise
    for problem in creditcode.problems(enterprise.credit_code):
        _add(found, NON_FIELD, _("企业“%(name)s”：%(problem)s") % {"name": enterprise.name, "problem": problem})
    for problem in territory_problems(enterprise, case.recommender):
        _add(found, NON_FIELD, problem)
    deadline, _label = submission_deadline(case)
    today = today or timezone.localdate()
    if deadline is not None and today > deadline:
        _add(found, NON_FIELD, _("推荐截止日期（%(date)s）已过，不能提交") % {"date": deadline.isoformat()})
    return found


def submission_problems(case: Case, today: dt.date | None = None) -> list[str]:
    """Every reason the case cannot be submitted now, as one list (by field: submission_problems_by_field)."""
    return flat(submission_problems_by_field(case, today))


def territory_problems(enterprise: Enterprise, recommender: Org) -> list[str]:
    """R-106 属地: an association recommends enterprises of its own county only."""
    if enterprise.county_id == recommender.parent_id:
        return []
    own = Org.plain.filter(pk=recommender.parent_id).values_list("name", flat=True).first() or ""
    return [_("根据属地原则，只能推荐本区县（%(own)s）的企业，该企业属于%(theirs)s")
            % {"own": own, "theirs": enterprise.county.name}]


# -- versions and diffs -----------------------------------------------------------------------

def case_snapshot(case: Case) -> dict:
    """What a version freezes: every text field, the enterprise, and the attachments by content hash."""
    attachments = CaseAttachment.plain.filter(case=case).order_by("kind", "position", "id")
    return {
        "fields": {name: getattr(case, name) for name in (*TEXT_FIELDS, *BOOL_FIELDS)},
        "enterprise": {"id": case.enterprise_id, "name": case.enterprise.name,
                       "credit_code": case.enterprise.credit_code},
        "attachments": [{"id": a.pk, "kind": a.kind, "name": a.name, "sha256": a.sha256} for a in attachments],
    }


def versions_of(case: Case) -> QuerySet[CaseVersion]:
    return CaseVersion.objects.filter(case=case).select_related("submitted_by").order_by("-number")


def char_diff_html(old: str, new: str) -> SafeString:
    """Character-level diff (Chinese has no spaces between words) as escaped HTML with <del>/<ins>."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(old[i1:i2])}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(new[j1:j2])}</ins>")
    return mark_safe("".join(parts))  # every piece of text above went through escape()


@dataclass
class FieldDiff:
    name: str
    label: str
    changed: bool
    html: SafeString


@dataclass
class CaseDiff:
    fields: list[FieldDiff] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> list[FieldDiff]:
        return [f for f in self.fields if f.changed]


def _display(name: str, value) -> str:
    if name in BOOL_FIELDS:
        return _("是") if value else _("否")
    if name == "type":
        return str(Case.Type(value).label) if value in Case.Type.values else (value or "")
    return value or ""


def case_diff(old: dict, new: dict) -> CaseDiff:
    """Per field, what changed between two snapshots; attachments compared by content hash."""
    diff = CaseDiff()
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for name in (*TEXT_FIELDS, *BOOL_FIELDS):
        a, b = _display(name, old_fields.get(name)), _display(name, new_fields.get(name))
        diff.fields.append(FieldDiff(name=name, label=field_label(name), changed=a != b,
                                     html=char_diff_html(a, b) if a != b else escape(a)))
    old_files = {a["sha256"]: a for a in old.get("attachments", [])}
    new_files = {a["sha256"]: a for a in new.get("attachments", [])}
    diff.added = [a for h, a in new_files.items() if h not in old_files]
    diff.removed = [a for h, a in old_files.items() if h not in new_files]
    return diff


# -- decisions the submitter must see ---------------------------------------------------------

def case_entries(case: Case):
    """The rounds the case is in, with each round's decision, reason and comment (R-107)."""
    return levels().entries_of(case)


def latest_comment(case: Case) -> str:
    return levels().returned_comments([case.pk]).get(case.pk, "")


# -- invitations ----------------------------------------------------------------------------

def invite_token_hash(token: str) -> str:
    """Keyed with the SECRET_KEY: the stored hash alone neither opens the link nor can be brute-forced offline."""
    return salted_hmac("apps.cases.invite", token, algorithm="sha256").hexdigest()


def active_invite(token: str) -> CaseInvite | None:
    """The live invitation for a token, else None (unknown, expired and revoked alike).

    Runs for a request without a login, i.e. in the public scope: the plain managers are used on purpose,
    and only here, after the token check; the caller shows nothing but this invite's case."""
    if not token or len(token) > 100:
        return None
    invite = (CaseInvite.plain.select_related("case", "case__enterprise", "case__recommender")
              .filter(token_hash=invite_token_hash(token)).first())
    if invite is None or not invite.is_active():
        return None
    return invite


def invites_of(case: Case) -> QuerySet[CaseInvite]:
    return CaseInvite.objects.filter(case=case).select_related("created_by").order_by("-created_at", "-id")


# -- to-dos -----------------------------------------------------------------------------------

def case_todos(user, org):
    """An association's home page: drafts to finish before the deadline, and cases returned for revision
    with the county's comments (apps/core/todos.py)."""

    if org is None or not org.is_association or not works_at(user, org):
        return []
    today = timezone.localdate()
    cases = list(Case.objects.filter(recommender=org, status__in=(Case.Status.DRAFT, Case.Status.RETURNED,
                                                                  Case.Status.WITHDRAWN))
                 .select_related("county").order_by("id"))
    if not cases:
        return []
    comments = levels().returned_comments([c.pk for c in cases])
    deadlines: dict[tuple, dt.date | None] = {}
    items = []
    for case in cases:
        key = (case.campaign_id, case.county_id, case.status == Case.Status.RETURNED)
        if key not in deadlines:
            deadlines[key] = submission_deadline(case)[0]
        due = deadlines[key]
        url = reverse("cases:case_edit", args=[case.pk])
        if due is not None and today > due:
            continue  # past its deadline: nothing left to do
        if case.status == Case.Status.RETURNED:
            comment = comments.get(case.pk, "")
            text = (_("“%(title)s”被区县退回修改：%(comment)s") % {"title": case, "comment": comment} if comment
                    else _("“%(title)s”被区县退回修改") % {"title": case})
            items.append(Todo(text=text, url=url, rule=str(RULE_NAMES["R-107"]), due=due, urgent=True))
        else:
            items.append(Todo(text=_("案例草稿“%(title)s”尚未提交") % {"title": case}, url=url, rule=str(RULE_NAMES["R-106"]),
                              due=due,
                              urgent=due is not None and (due - today).days <= 7))
    return items
