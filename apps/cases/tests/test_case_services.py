"""Cases (R-106): 属地, caps, submission checks, versions, withdrawal, invitations, diffs."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.cases import selectors, services
from apps.cases.models import Case, CaseInvite, CaseVersion
from apps.cases.tests.case_world import attach_required_files, case_world, open_submissions, set_deadlines
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.rounds.models import Round, RoundEntry
from tests.factories import make_case, make_enterprise


@pytest.fixture
def world(tree):
    with scopes_disabled():
        world = case_world(tree)
        attach_required_files(world.xihu_case)
        open_submissions(world)
        yield world


@pytest.fixture
def shangcheng_enterprise(world):
    return make_enterprise(world.campaign, world.shangcheng, name="杭州上城数字科技有限公司", serial="MA2CD1234")


def _blank_draft(world):
    return services.case_create(recommender=world.xihu_park, enterprise=world.xihu_enterprise,
                                by=world.xihu_park_admin)


def _save(world, case, by=None, **data):
    case.refresh_from_db()
    return services.case_save_draft(case=case, data=data, by=by or world.xihu_park_admin,
                                    expected_version=services.version_token(case))


def _return_for_revision(case, comment="请补充成效数据"):
    """What the county's screening does when it returns a case (apps.rounds): status and the entry's comment."""
    entry = RoundEntry.plain.get(case=case, round__kind=Round.Kind.COUNTY_SCREENING)
    entry.decision, entry.comment, entry.decided_at = RoundEntry.Decision.RETURNED, comment, timezone.now()
    entry.save()
    Case.plain.filter(pk=case.pk).update(status=Case.Status.RETURNED)
    case.refresh_from_db()


# -- create: 属地 (R-106) ------------------------------------------------------------------------

def test_r106_an_association_cannot_recommend_an_enterprise_of_another_county(world, shangcheng_enterprise):
    with pytest.raises(ValidationError) as exc:
        services.case_create(recommender=world.xihu_park, enterprise=shangcheng_enterprise, by=world.xihu_park_admin)
    assert exc.value.messages == ["根据属地原则，只能推荐本区县（西湖区）的企业，该企业属于上城区"]
    assert not Case.plain.filter(enterprise=shangcheng_enterprise).exists()


def test_r106_the_case_takes_its_channel_from_the_recommender_and_its_county_from_the_enterprise(world):
    park_case = _blank_draft(world)
    ent_case = services.case_create(recommender=world.xihu_ent, enterprise=world.xihu_enterprise,
                                    by=world.xihu_ent_admin)
    assert (park_case.channel, park_case.county) == ("park", world.xihu)
    assert ent_case.channel == "enterprise"
    assert AuditEntry.plain.filter(action="case.create", target_id=str(park_case.pk)).exists()


def test_a_county_does_not_start_an_associations_case(world):
    with pytest.raises(NotFound):
        services.case_create(recommender=world.xihu_park, enterprise=world.xihu_enterprise, by=world.xihu_admin)


# -- drafts: limits and concurrent edits -----------------------------------------------------

@pytest.mark.parametrize("field,text", [("title", "标" * 33), ("abstract", "摘" * 301), ("background", "景" * 5001),
                                        ("contact_name", "名" * 51), ("contact_phone", "+86 138 0013 8000"),
                                        ("contact_email", "a" * 250 + "@example.com")])
def test_a_draft_keeps_text_over_a_limit_as_typed(world, field, text):
    """Nothing typed is lost: the limits are checked at submission, not when a draft is saved. On PostgreSQL
    this also holds the columns to it (a column shorter than the text would refuse the row)."""
    case = _blank_draft(world)
    saved = _save(world, case, **{"abstract": "同时保存的摘要", field: text})
    saved.refresh_from_db()
    assert getattr(saved, field) == text
    assert field == "abstract" or saved.abstract == "同时保存的摘要"


@pytest.mark.parametrize("field,text,hold", [("title", "标" * 301, 300), ("abstract", "摘" * 3001, 3000),
                                             ("contact_phone", "1" * 111, 110)])
def test_a_draft_beyond_what_it_holds_is_refused_at_its_field_and_nothing_is_saved(world, field, text, hold):
    case = _blank_draft(world)
    with pytest.raises(ValidationError) as exc:
        _save(world, case, **{"contact_name": "王工", field: text})
    assert list(exc.value.message_dict) == [field]
    label = Case._meta.get_field(field).verbose_name
    assert exc.value.messages == [f"{label}过长，草稿最多保存{hold}字，当前{len(text)}字，请删减后再保存"]
    case.refresh_from_db()
    assert case.contact_name == "" and getattr(case, field) == ""


def test_a_draft_holds_ten_times_the_body_limit_and_no_more(world):
    case = _blank_draft(world)
    saved = _save(world, case, background="甲" * 20000, practice="乙" * 30000)
    assert saved.body_length() == 50000
    with pytest.raises(ValidationError) as exc:
        _save(world, case, innovation="丙")
    assert exc.value.message_dict == {"practice": ["正文五部分合计过长，草稿最多保存50000字，当前50001字，请删减后再保存"]}


def test_every_column_holds_what_a_draft_may_hold():
    for name, hold in selectors.DRAFT_HOLDS.items():
        column = Case._meta.get_field(name)
        assert column.max_length is None or column.max_length >= hold, name


def test_the_body_limit_counts_the_five_sections_together_at_the_longest(world):
    case = _blank_draft(world)
    saved = _save(world, case, background="甲" * 2000, practice="乙" * 2001, innovation="丙" * 1000)
    assert saved.body_length() == 5001  # kept; the submission says where to cut
    problems = selectors.submission_problems_by_field(saved)
    assert problems["practice"] == ["正文（背景、主要做法、创新点、成效、启示）合计不能超过5000字，当前5001字，请删减1字"]
    assert "background" not in problems and "innovation" not in problems


def test_a_draft_at_exactly_the_limits_is_saved(world):
    case = _blank_draft(world)
    saved = _save(world, case, title="标" * 30, abstract="摘" * 300, background="甲" * 2500, practice="乙" * 2500)
    assert (len(saved.title), len(saved.abstract), saved.body_length()) == (30, 300, 5000)


def test_browser_line_endings_count_as_one_character(world):
    case = _blank_draft(world)
    saved = _save(world, case, abstract="第一行\r\n" * 60)  # 300 characters as people see them, 360 as posted
    assert len(saved.abstract) == 60 * 4 - 1


def test_a_partial_draft_is_saved(world):
    case = _blank_draft(world)
    saved = _save(world, case, title="只写了标题")
    assert saved.title == "只写了标题" and saved.abstract == ""


def test_a_draft_changed_since_the_page_loaded_is_not_overwritten(world):
    case = world.xihu_case
    stale = services.version_token(case)
    _save(world, case, title="另一位同事的修改")
    with pytest.raises(services.DraftConflict) as exc:
        services.case_save_draft(case=case, data={"title": "我的修改"}, by=world.xihu_park_admin,
                                 expected_version=stale)
    assert exc.value.messages == ["该草稿已被他人修改，请刷新后再编辑"]
    case.refresh_from_db()
    assert case.title == "另一位同事的修改"


def test_saving_unchanged_text_writes_nothing(world):
    case = world.xihu_case
    before = AuditEntry.plain.filter(action="case.save").count()
    _save(world, case, title=case.title)
    assert AuditEntry.plain.filter(action="case.save").count() == before


# -- submit ------------------------------------------------------------------------------------

def test_submit_lists_every_problem_at_once(world):
    case = _blank_draft(world)
    _save(world, case, contact_phone="12345678901")
    with pytest.raises(ValidationError) as exc:
        services.case_submit(case=case, by=world.xihu_park_admin)
    problems = exc.value.messages
    for label in ("案例标题", "案例类型", "摘要", "背景", "主要做法", "创新点", "成效", "启示", "经济效益", "社会效益",
                  "联系人"):
        assert f"请填写{label}" in problems
    assert "请勾选“同意公开宣传”" in problems and "请勾选“承诺材料真实”" in problems
    assert "联系人手机应为以1开头的11位手机号码，当前为“12345678901”" in problems
    case.refresh_from_db()
    assert (case.status, case.version) == ("draft", 0)
    assert not RoundEntry.plain.filter(case=case).exists()


def test_submit_refuses_text_over_the_limits(world):
    case = world.xihu_case
    _save(world, case, title="标" * 33, abstract="摘" * 301, background="景" * 5001)
    with pytest.raises(ValidationError) as exc:
        services.case_submit(case=case, by=world.xihu_park_admin)
    assert exc.value.message_dict == {
        "title": ["案例标题不能超过30字，当前33字，请删减3字"],
        "abstract": ["摘要不能超过300字，当前301字，请删减1字"],
        "background": ["正文（背景、主要做法、创新点、成效、启示）合计不能超过5000字，当前5791字，请删减791字"],
    }
    case.refresh_from_db()
    assert (case.status, case.version) == ("draft", 0)


def test_submit_names_the_field_of_each_problem(world):
    case = _blank_draft(world)
    _save(world, case, title="标" * 31, contact_phone="0571-8888", consent_publicity=True)
    with pytest.raises(ValidationError) as exc:
        services.case_submit(case=case, by=world.xihu_park_admin)
    problems = exc.value.message_dict
    assert problems["title"] == ["案例标题不能超过30字，当前31字，请删减1字"]
    assert problems["contact_phone"] == ["联系人手机应为以1开头的11位手机号码，当前为“0571-8888”"]
    assert problems["consent_truthful"] == ["请勾选“承诺材料真实”"] and "consent_publicity" not in problems
    assert problems["abstract"] == ["请填写摘要"]
    assert problems[selectors.ATTACHMENTS][0].startswith("请上传3至5张照片")


def test_submit_checks_the_enterprises_credit_code(world):
    bad = make_enterprise(world.campaign, world.xihu, name="校验码错误公司", serial="MA2PBMEM3")
    bad.credit_code = bad.credit_code[:17] + ("0" if bad.credit_code[17] != "0" else "1")
    bad.save()
    case = make_case(bad, world.xihu_park)
    assert "企业“校验码错误公司”：统一社会信用代码第18位校验码不正确，请核对营业执照" in selectors.submission_problems(case)


def test_r106_submission_closes_after_the_rulebook_deadline(world):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    set_deadlines(world, submission=yesterday)
    with pytest.raises(ValidationError) as exc:
        services.case_submit(case=world.xihu_case, by=world.xihu_park_admin)
    assert exc.value.messages == [f"推荐截止日期（{yesterday.isoformat()}）已过，不能提交"]


def test_submit_freezes_version_1_and_sends_the_case_to_its_county(world):
    case = services.case_submit(case=world.xihu_case, by=world.xihu_park_admin)
    assert (case.status, case.version) == ("submitted", 1)
    version = CaseVersion.plain.get(case=case, number=1)
    assert version.data["fields"]["title"] == "数字孪生驱动的柔性产线改造"
    assert version.data["enterprise"]["credit_code"] == world.xihu_enterprise.credit_code
    assert "产线全景.jpg" in {a["name"] for a in version.data["attachments"]}
    assert len(version.data["attachments"]) == 6 and all(len(a["sha256"]) == 64 for a in version.data["attachments"])
    entry = RoundEntry.plain.get(case=case)
    assert (entry.round.org, entry.round.kind, entry.decision, entry.case_version) == (
        world.xihu, "county_screening", "pending", 1)
    assert AuditEntry.plain.filter(action="case.submit", target_id=str(case.pk)).exists()


def test_a_resubmission_after_a_return_is_the_next_version(world):
    case = services.case_submit(case=world.xihu_case, by=world.xihu_park_admin)
    _return_for_revision(case)
    _save(world, case, results="换型时间缩短百分之六十五。")
    case = services.case_submit(case=case, by=world.xihu_park_admin)
    assert case.version == 2
    assert list(CaseVersion.plain.filter(case=case).values_list("number", flat=True)) == [1, 2]
    entry = RoundEntry.plain.get(case=case)
    assert (entry.decision, entry.case_version) == ("pending", 2)


def test_r107_a_returned_case_may_be_resubmitted_until_the_county_reports(world):
    case = services.case_submit(case=world.xihu_case, by=world.xihu_park_admin)
    _return_for_revision(case)
    today = timezone.localdate()
    set_deadlines(world, submission=today - dt.timedelta(days=5), county_report=today + dt.timedelta(days=5))
    assert services.case_submit(case=case, by=world.xihu_park_admin).version == 2


def test_a_submitted_case_is_not_edited(world):
    case = world.xihu_submitted_case
    with pytest.raises(ValidationError) as exc:
        _save(world, case, title="提交后再改")
    assert "不能修改" in exc.value.messages[0]


# -- withdraw ----------------------------------------------------------------------------------

def test_a_submitted_case_is_withdrawn_while_its_county_entry_is_pending(world):
    case = services.case_withdraw(case=world.xihu_submitted_case, by=world.xihu_park_admin)
    assert case.status == "withdrawn"
    assert not RoundEntry.plain.filter(case=case).exists()
    assert AuditEntry.plain.filter(action="case.withdraw", target_id=str(case.pk)).exists()
    again = services.case_submit(case=case, by=world.xihu_park_admin)
    assert again.version == 2 and RoundEntry.plain.get(case=case).case_version == 2


def test_a_case_the_county_has_decided_on_is_not_withdrawn(world):
    case = world.xihu_submitted_case
    RoundEntry.plain.filter(case=case).update(decision=RoundEntry.Decision.PASSED)
    with pytest.raises(ValidationError) as exc:
        services.case_withdraw(case=case, by=world.xihu_park_admin)
    assert "区县科协已处理该案例，不能撤回" in exc.value.messages[0]
    case.refresh_from_db()
    assert case.status == "submitted"


# -- invitations -------------------------------------------------------------------------------

def test_the_invited_contact_saves_the_draft_and_is_audited_as_such(world):
    invite = selectors.active_invite(world.xihu_invite_token)
    assert invite == world.xihu_invite
    case = world.xihu_case
    services.case_save_draft(case=case, data={"abstract": "联系人补充的摘要"}, invite=invite,
                             expected_version=services.version_token(case))
    case.refresh_from_db()
    assert case.abstract == "联系人补充的摘要"
    row = AuditEntry.plain.filter(action="case.save").last()
    assert (row.actor_id, row.actor_label) == (None, f"invited-contact:{invite.pk}")
    assert '"via":"invite"' in row.data


def test_the_invited_contact_keeps_text_over_a_limit_too(world):
    case = world.xihu_case
    services.case_save_draft(case=case, data={"title": "企业联系人写下的一个超过三十个字限制的很长很长很长很长的案例标题"},
                             invite=world.xihu_invite, expected_version=services.version_token(case))
    case.refresh_from_db()
    assert case.title == "企业联系人写下的一个超过三十个字限制的很长很长很长很长的案例标题" and len(case.title) > 30


def test_only_a_hash_of_the_invite_token_is_stored(world):
    assert world.xihu_invite_token not in world.xihu_invite.token_hash
    assert CaseInvite.plain.filter(token_hash=services.invite_token_hash(world.xihu_invite_token)).exists()


def test_an_expired_invite_link_opens_nothing(world):
    CaseInvite.plain.filter(pk=world.xihu_invite.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert selectors.active_invite(world.xihu_invite_token) is None


def test_a_revoked_invite_link_opens_nothing_and_revoking_is_audited(world):
    services.case_invite_revoke(invite=world.xihu_invite, by=world.xihu_park_admin)
    assert selectors.active_invite(world.xihu_invite_token) is None
    assert AuditEntry.plain.filter(action="case_invite.revoke").exists()
    with pytest.raises(NotFound):
        services.case_save_draft(case=world.xihu_case, data={"title": "x"}, invite=world.xihu_invite,
                                 expected_version=None)


def test_an_invite_does_not_open_another_case(world):
    with pytest.raises(NotFound):
        services.case_save_draft(case=world.xihu_submitted_case, data={"title": "x"}, invite=world.xihu_invite,
                                 expected_version=None)


def test_only_the_association_submits_never_the_invited_contact(world):
    with pytest.raises(NotFound):
        services.case_submit(case=world.xihu_case, by=None)


# -- diffs -------------------------------------------------------------------------------------

def test_the_diff_marks_insertions_and_deletions_character_by_character():
    html = selectors.char_diff_html("换型时间缩短百分之六十", "换型时间缩短百分之六十五，良品率提升")
    assert html == "换型时间缩短百分之六十<ins>五，良品率提升</ins>"
    assert selectors.char_diff_html("甲乙丙", "甲丁丙") == "甲<del>乙</del><ins>丁</ins>丙"


def test_the_diff_escapes_the_text():
    html = selectors.char_diff_html("<b>旧</b>", "<b>新</b><script>alert(1)</script>")
    assert html == "&lt;b&gt;<del>旧</del><ins>新</ins>&lt;/b&gt;<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"


def test_versions_differ_per_field_and_attachments_by_hash(world):
    old = {"fields": {"title": "旧标题", "abstract": "相同"}, "attachments": [{"sha256": "a", "name": "旧.jpg"}]}
    new = {"fields": {"title": "新标题", "abstract": "相同"}, "attachments": [{"sha256": "b", "name": "新.jpg"}]}
    diff = selectors.case_diff(old, new)
    assert [f.name for f in diff.changed] == ["title"]
    assert [a["name"] for a in diff.added] == ["新.jpg"] and [a["name"] for a in diff.removed] == ["旧.jpg"]
