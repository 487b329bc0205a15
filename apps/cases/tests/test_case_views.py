"""The case pages as people use them: the form with autosave, the invitation link, submit, detail, diff."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases import services
from apps.cases.models import Case, CaseInvite
from apps.cases.tests.case_world import attach_required_files, case_world, open_submissions
from apps.core.scoping import scope, scopes_disabled
from apps.core.todos import todos_for
from apps.rounds.models import RoundEntry
from tests.factories import make_case, make_enterprise


@pytest.fixture
def world(tree):
    with scopes_disabled():
        world = case_world(tree)
        attach_required_files(world.xihu_case)
        open_submissions(world)
        return world


@pytest.fixture
def park(client, world):
    client.force_login(world.xihu_park_admin)
    return client


def _version(case):
    with scopes_disabled():
        case.refresh_from_db()
    return services.version_token(case)


def _reload(case):
    with scopes_disabled():
        return Case.plain.get(pk=case.pk)


def _blank(world):
    """A new draft with nothing filled in and no files."""
    with scopes_disabled():
        return services.case_create(recommender=world.xihu_park, enterprise=world.xihu_enterprise,
                                    by=world.xihu_park_admin)


def _form_data(case, **changes):
    data = {name: getattr(case, name) for name in (
        "title", "type", "abstract", "background", "practice", "innovation", "results", "insights",
        "economic_benefits", "social_benefits", "contact_name", "contact_phone", "contact_email")}
    data.update({"consents_shown": "1", "consent_publicity": "on", "consent_truthful": "on",
                 "loaded_version": _version(case)})
    data.update(changes)
    return data


# -- the form and autosave ---------------------------------------------------------------------

def test_the_edit_page_shows_counters_the_body_target_and_the_deadline(park, world):
    page = park.get(reverse("cases:case_edit", args=[world.xihu_case.pk])).content.decode()
    assert 'data-total="id_background id_practice id_innovation id_results id_insights"' in page
    assert "合计通常 2000–3000 字，最多 5000 字" in page
    assert f'data-autosave-url="/cases/{world.xihu_case.pk}/autosave/"' in page
    assert "园区和企业科协推荐案例截止日期" in page


def test_autosave_saves_the_draft_and_says_when(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_autosave", args=[case.pk]), _form_data(case, title="新的案例标题"))
    body = response.json()
    assert response.status_code == 200 and body["ok"]
    assert body["message"] == "已保存 " + timezone.localtime().strftime("%H:%M")
    assert _reload(case).title == "新的案例标题" and body["version"] == _version(case)


@pytest.mark.parametrize("field,text", [("title", "标" * 33), ("abstract", "摘" * 301), ("practice", "做" * 5001)])
def test_autosave_keeps_text_over_a_limit(park, world, field, text):
    """The title 33 characters against 30 once made autosave save nothing at all."""
    case = world.xihu_case
    response = park.post(reverse("cases:case_autosave", args=[case.pk]),
                         _form_data(case, contact_name="李工", **{field: text}))
    assert response.status_code == 200 and response.json()["ok"]
    assert getattr(_reload(case), field) == text and _reload(case).contact_name == "李工"


def test_autosave_refuses_text_beyond_what_a_draft_holds_and_names_the_field(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_autosave", args=[case.pk]),
                         _form_data(case, contact_name="李工", title="标" * 301))
    body = response.json()
    assert response.status_code == 400 and not body["ok"]
    assert body["fields"] == {"title": ["案例标题过长，草稿最多保存300字，当前301字，请删减后再保存"]}
    assert _reload(case).contact_name == "王工"


def test_autosave_refuses_a_null_character_with_a_message_not_an_error_page(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_autosave", args=[case.pk]), _form_data(case, title="标题\x00"))
    assert response.status_code == 400 and list(response.json()["fields"]) == ["title"]
    assert _reload(case).title != "标题\x00"


def test_autosave_refuses_to_overwrite_a_draft_someone_else_saved(park, world):
    case = world.xihu_case
    stale = _form_data(case, title="我的修改")
    park.post(reverse("cases:case_autosave", args=[case.pk]), _form_data(case, title="同事的修改"))
    response = park.post(reverse("cases:case_autosave", args=[case.pk]), stale)
    assert response.status_code == 409
    assert response.json() == {"ok": False, "conflict": True, "errors": ["该草稿已被他人修改，请刷新后再编辑"]}
    assert _reload(case).title == "同事的修改"


def test_the_save_button_works_without_javascript(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_edit", args=[case.pk]), _form_data(case, title="无脚本保存", action="save"))
    assert response.status_code == 302
    assert _reload(case).title == "无脚本保存"


def test_the_save_button_keeps_text_over_a_limit(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_edit", args=[case.pk]), _form_data(case, title="标" * 33, action="save"))
    assert response.status_code == 302 and _reload(case).title == "标" * 33


def test_text_beyond_what_a_draft_holds_is_shown_at_its_field_and_kept_on_the_page(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_edit", args=[case.pk]),
                         _form_data(case, abstract="摘" * 3001, action="save"))
    page = response.content.decode()
    assert response.status_code == 200
    field = _field_html(page, "abstract")
    assert "has-error" in field and "摘要过长，草稿最多保存3000字，当前3001字" in field
    assert "摘" * 3001 in field  # what was typed is still on the page
    assert "data-unsaved=" in page  # and counts as unsaved there: leaving asks first
    assert 'id="error-summary"' in page and 'href="#id_abstract"' in page


def test_a_stale_page_save_shows_the_conflict(park, world):
    case = world.xihu_case
    stale = _form_data(case, title="我的修改", action="save")
    park.post(reverse("cases:case_autosave", args=[case.pk]), _form_data(case, title="同事的修改"))
    response = park.post(reverse("cases:case_edit", args=[case.pk]), stale)
    assert "该草稿已被他人修改，请刷新后再编辑" in response.content.decode()
    assert _reload(case).title == "同事的修改"


def _field_html(page: str, name: str) -> str:
    """The markup of one field of the form (its wrapper, core/field.html: id="field-<name>")."""
    start = page.rindex("<div", 0, page.index(f'id="field-{name}"'))
    return page[start:page.index("</div>", start)]


def _summary(page: str) -> str:
    start = page.index('id="error-summary"')
    return page[start:page.index("</div>", start)]


def test_submitting_from_the_page_shows_each_problem_at_its_field_and_all_in_the_summary(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_edit", args=[case.pk]),
                         _form_data(case, title="", abstract="", contact_phone="0571123", consent_truthful="",
                                    action="submit"))
    page = response.content.decode()
    assert response.status_code == 200
    expected = {"title": "请填写案例标题", "abstract": "请填写摘要", "consent_truthful": "请勾选“承诺材料真实”",
                "contact_phone": "联系人手机应为以1开头的11位手机号码"}
    summary = _summary(page)
    for name, text in expected.items():
        field = _field_html(page, name)
        assert "has-error" in field and text in field, name
        assert f'href="#id_{name}"' in summary and text in summary, name
    assert summary.count("<li>") == 4 and "autofocus" in summary
    assert "has-error" not in _field_html(page, "practice")
    assert "data-unsaved=" not in page  # the draft was saved before the submission was checked
    assert _reload(case).status == "draft" and _reload(case).abstract == ""  # the draft was saved, not submitted


def test_an_over_limit_title_no_longer_hides_the_other_problems(park, world):
    """The first submit once showed only the title's limit and hid the 15 other problems."""
    case = _blank(world)
    response = park.post(reverse("cases:case_edit", args=[case.pk]),
                         {"title": "一个超过三十个字上限的案例标题，用来检查提交时是否一次列出全部问题", "consents_shown": "1",
                          "loaded_version": _version(case), "action": "submit"})
    summary = _summary(response.content.decode())
    assert "案例标题不能超过30字" in summary
    for label in ("案例类型", "摘要", "背景", "主要做法", "创新点", "成效", "启示", "经济效益", "社会效益", "联系人手机"):
        assert f"请填写{label}" in summary, label
    assert "请勾选“同意公开宣传”" in summary and "请勾选“承诺材料真实”" in summary
    assert '<a href="#attachments-panel">请上传3至5张照片' in summary
    assert summary.count("<li>") == 18  # 11 empty fields, the title's limit, 2 consents, 4 kinds of files
    assert len(_reload(case).title) > 30  # and the title was kept


def test_a_refused_save_on_submit_still_lists_every_other_problem(park, world):
    case = _blank(world)
    response = park.post(reverse("cases:case_edit", args=[case.pk]),
                         {"title": "标" * 301, "consents_shown": "1", "loaded_version": _version(case),
                          "action": "submit"})
    page = response.content.decode()
    assert "案例标题过长，草稿最多保存300字" in _field_html(page, "title")
    assert "案例标题不能超过30字" not in page  # one message per field: the one that stopped the save
    assert "请填写摘要" in _field_html(page, "abstract") and "请填写摘要" in _summary(page)


def test_the_check_link_shows_the_problems_at_their_fields(park, world):
    case = world.xihu_case
    with scopes_disabled():
        Case.plain.filter(pk=case.pk).update(contact_phone="", title="标" * 31)
    page = park.get(reverse("cases:case_edit", args=[case.pk]), {"check": "1"}).content.decode()
    assert "请填写联系人手机" in _field_html(page, "contact_phone")
    assert "案例标题不能超过30字，当前31字" in _field_html(page, "title")
    assert 'href="#id_title"' in _summary(page)
    assert "检查能否提交" in page and "?check=1#error-summary" in page


def test_a_case_that_passes_the_check_says_so(park, world):
    page = park.get(reverse("cases:case_edit", args=[world.xihu_case.pk]), {"check": "1"}).content.decode()
    assert "检查通过，可以提交" in page and 'id="error-summary"' not in page


def test_the_fields_a_submission_needs_are_marked_required(park, world):
    page = park.get(reverse("cases:case_edit", args=[world.xihu_case.pk])).content.decode()
    for name in ("title", "type", "abstract", "background", "practice", "innovation", "results", "insights",
                 "economic_benefits", "social_benefits", "contact_name", "contact_phone", "consent_publicity",
                 "consent_truthful"):
        assert '<span class="req" aria-hidden="true">*</span>' in _field_html(page, name), name
    assert '<span class="req"' not in _field_html(page, "contact_email")


def test_the_edit_page_warns_before_leaving_unsaved_typing(park, world):
    page = park.get(reverse("cases:case_edit", args=[world.xihu_case.pk])).content.decode()
    form = page[page.index('<form method="post" id="case-form"'):]
    assert "data-guard" in form[:form.index(">")]


def test_submitting_a_complete_case_from_the_page(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_edit", args=[case.pk]), _form_data(case, action="submit"))
    assert response.status_code == 302 and response.url == reverse("cases:case_detail", args=[case.pk])
    assert (_reload(case).status, _reload(case).version) == ("submitted", 1)


def test_r106_the_page_refuses_an_enterprise_of_another_county_by_credit_code(park, world):
    with scopes_disabled():
        other = make_enterprise(world.campaign, world.shangcheng, name="杭州上城数字科技有限公司", serial="MA2CD1234")
    response = park.post(reverse("cases:case_create"), {"credit_code": other.credit_code})
    field = _field_html(response.content.decode(), "credit_code")
    assert "has-error" in field and "根据属地原则，只能推荐本区县（西湖区）的企业，该企业属于上城区" in field
    with scopes_disabled():
        assert not Case.plain.filter(enterprise=other).exists()


def test_the_create_page_shows_a_missing_choice_at_the_field(park, world):
    page = park.post(reverse("cases:case_create"), {"enterprise": "", "credit_code": ""}).content.decode()
    assert "请选择企业，或输入企业的统一社会信用代码" in _field_html(page, "enterprise")
    assert 'href="#id_enterprise"' in _summary(page)


def test_withdrawing_from_the_page(park, world):
    case = world.xihu_submitted_case
    response = park.post(reverse("cases:case_withdraw", args=[case.pk]))
    assert response.status_code == 302 and _reload(case).status == "withdrawn"


# -- the invitation link -----------------------------------------------------------------------

def test_the_invited_contact_fills_the_draft_without_an_account(client, world):
    url = reverse("cases:case_invite_fill", args=[world.xihu_invite_token])
    page = client.get(url).content.decode()
    assert "填写案例" in page and "保存并提交" not in page and "附件" not in page
    response = client.post(reverse("cases:case_invite_autosave", args=[world.xihu_invite_token]),
                           _form_data(world.xihu_case, abstract="企业联系人补充的摘要。"))
    assert response.status_code == 200 and response.json()["ok"]
    assert _reload(world.xihu_case).abstract == "企业联系人补充的摘要。"


def test_the_invited_contact_keeps_text_over_a_limit(client, world):
    case = world.xihu_case
    response = client.post(reverse("cases:case_invite_autosave", args=[world.xihu_invite_token]),
                           _form_data(case, title="标" * 35))
    assert response.status_code == 200 and _reload(case).title == "标" * 35
    page = client.get(reverse("cases:case_invite_fill", args=[world.xihu_invite_token])).content.decode()
    assert "data-guard" in page and "标" * 35 in page


def test_the_invited_contacts_page_shows_a_refused_save_at_the_field(client, world):
    case = world.xihu_case
    response = client.post(reverse("cases:case_invite_fill", args=[world.xihu_invite_token]),
                           _form_data(case, contact_phone="1" * 111))
    page = response.content.decode()
    assert "联系人手机过长" in _field_html(page, "contact_phone") and 'href="#id_contact_phone"' in _summary(page)


def test_the_invited_contact_cannot_submit(client, world):
    case = world.xihu_case
    client.post(reverse("cases:case_invite_fill", args=[world.xihu_invite_token]),
                _form_data(case, title="联系人改的标题", action="submit"))
    assert (_reload(case).title, _reload(case).status, _reload(case).version) == ("联系人改的标题", "draft", 0)


def test_an_expired_invite_link_answers_gone(client, world):
    with scopes_disabled():
        CaseInvite.plain.filter(pk=world.xihu_invite.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(reverse("cases:case_invite_fill", args=[world.xihu_invite_token]))
    assert response.status_code == 410 and "链接已失效" in response.content.decode()


def test_a_revoked_invite_link_answers_gone(park, client, world):
    park.post(reverse("cases:case_invite_revoke", args=[world.xihu_case.pk, world.xihu_invite.pk]))
    client.logout()
    response = client.get(reverse("cases:case_invite_fill", args=[world.xihu_invite_token]))
    assert response.status_code == 410 and "链接已失效" in response.content.decode()
    response = client.post(reverse("cases:case_invite_autosave", args=[world.xihu_invite_token]), {"title": "x"})
    assert response.status_code == 410


def test_a_new_invite_link_is_shown_once_and_opens_the_form(park, client, world):
    response = park.post(reverse("cases:case_invites", args=[world.xihu_case.pk]), {"contact_name": "王工", "days": 7})
    page = response.content.decode()
    link = page.split('id="invite-link" value="')[1].split('"')[0]
    assert "/cases/invite/" in link
    client.logout()
    assert client.get(link.split("testserver")[1]).status_code == 200


# -- who reads what ----------------------------------------------------------------------------

@pytest.mark.parametrize("person", ["shangcheng_admin", "wuhou_admin", "xihu_ent_admin", "haishu_park_admin"])
def test_another_county_or_association_gets_404(client, world, person):
    client.force_login(getattr(world, person))
    for name in ("case_detail", "case_versions", "case_diff", "case_edit"):
        assert client.get(reverse(f"cases:{name}", args=[world.xihu_submitted_case.pk])).status_code == 404


def test_the_county_reads_submitted_cases_but_not_drafts(client, world):
    client.force_login(world.xihu_admin)
    assert client.get(reverse("cases:case_detail", args=[world.xihu_submitted_case.pk])).status_code == 200
    assert client.get(reverse("cases:case_detail", args=[world.xihu_case.pk])).status_code == 404


def test_r107_the_detail_page_shows_the_countys_comment_and_reason(park, world):
    with scopes_disabled():
        RoundEntry.plain.filter(case=world.xihu_submitted_case).update(
            decision=RoundEntry.Decision.OUT, reason="申报企业不在本区县登记注册", comment="")
    page = park.get(reverse("cases:case_detail", args=[world.xihu_submitted_case.pk])).content.decode()
    assert "西湖区 · 区县筛查" in page and "未通过" in page and "申报企业不在本区县登记注册" in page


def test_the_diff_page_escapes_the_text(park, world):
    case = world.xihu_submitted_case
    with scopes_disabled():
        Case.plain.filter(pk=case.pk).update(status=Case.Status.RETURNED, title="<script>alert(1)</script>")
    page = park.get(reverse("cases:case_diff", args=[case.pk]), {"a": "1", "b": "draft"}).content.decode()
    assert "<script>alert(1)" not in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "<del>园区数字化供应链协同平台</del>" in page


def _detail_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_the_detail_page_takes_the_same_queries_for_one_version_or_many(park, world):
    one = _detail_queries(park, world.xihu_submitted_case)
    case = world.xihu_case
    with scopes_disabled():
        for _ in range(3):
            services.case_submit(case=_reload(case), by=world.xihu_park_admin)
            services.case_withdraw(case=_reload(case), by=world.xihu_park_admin)
        services.case_submit(case=_reload(case), by=world.xihu_park_admin)
        attach_required_files(case, files=[("evidence", f"佐证{i}.pdf") for i in range(5)])
    assert _reload(case).version == 4
    assert _detail_queries(park, case) == one
    assert one <= 16, one


# -- to-dos ------------------------------------------------------------------------------------

def test_an_associations_pages_name_rules_in_words_not_ids(park, world):
    import re

    with scopes_disabled():
        RoundEntry.plain.filter(case=world.xihu_submitted_case).update(decision=RoundEntry.Decision.OUT,
                                                                       reason="不符合条件")
    urls = [reverse("cases:list"), reverse("cases:case_create"), reverse("cases:case_edit", args=[world.xihu_case.pk]),
            reverse("cases:case_edit", args=[world.xihu_case.pk]) + "?check=1",
            reverse("cases:case_detail", args=[world.xihu_submitted_case.pk]),
            reverse("cases:case_invites", args=[world.xihu_case.pk])]
    for url in urls:
        page = park.get(url).content.decode()
        assert not re.search(r"R-\d{3}", page), (url, re.findall(r".{30}R-\d{3}.{10}", page))
    with scope(org=world.xihu_park):
        todos = todos_for(world.xihu_park_admin, world.xihu_park)
    mine = [t for t in todos if "/cases/" in t.url]
    assert mine and not any(re.search(r"R-\d{3}", t.text + t.rule) for t in mine)
    assert {t.rule for t in mine} <= {"属地推荐", "区县筛查"}


def test_the_association_is_reminded_of_drafts_and_returned_cases_with_the_comment(world):
    with scopes_disabled():
        returned = world.xihu_submitted_case
        Case.plain.filter(pk=returned.pk).update(status=Case.Status.RETURNED)
        RoundEntry.plain.filter(case=returned).update(decision=RoundEntry.Decision.RETURNED, comment="请补充成效数据",
                                                      decided_at=timezone.now())
        make_case(world.xihu_enterprise, world.xihu_ent)  # another association's draft: not ours
    with scope(org=world.xihu_park):
        texts = [t.text for t in todos_for(world.xihu_park_admin, world.xihu_park)]
    assert "“园区数字化供应链协同平台”被区县退回修改：请补充成效数据" in texts
    assert "案例草稿“数字孪生驱动的柔性产线改造”尚未提交" in texts
    assert sum("案例草稿" in t for t in texts) == 1


def test_withdraw_is_offered_only_while_the_county_has_not_decided(park, world):
    case = world.xihu_submitted_case
    url = reverse("cases:case_detail", args=[case.pk])
    withdraw = reverse("cases:case_withdraw", args=[case.pk])
    assert withdraw in park.get(url).content.decode()
    with scopes_disabled():
        RoundEntry.plain.filter(case=case).update(decision=RoundEntry.Decision.PASSED)
    assert withdraw not in park.get(url).content.decode()


def test_the_case_page_shows_the_contacts_phone_to_the_association_and_county_only(client, world):
    from apps.cases.models import Case

    case = world.xihu_submitted_case
    with scopes_disabled():
        Case.plain.filter(pk=case.pk).update(contact_phone="13900001234")
    url = reverse("cases:case_detail", args=[case.pk])
    for person in (world.xihu_park_admin, world.xihu_admin):
        client.force_login(person)
        assert "13900001234" in client.get(url).content.decode()
    client.force_login(world.hangzhou_admin)
    page = client.get(url).content.decode()
    assert "13900001234" not in page and "仅推荐单位和所在区县可见" in page
