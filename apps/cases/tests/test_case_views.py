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
from apps.core.todos import todos_for
from apps.orgs.scoping import scope, scopes_disabled
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
    assert body["message"] == "已自动保存 " + timezone.localtime().strftime("%H:%M")
    assert _reload(case).title == "新的案例标题" and body["version"] == _version(case)


@pytest.mark.parametrize("field,text", [("title", "标" * 31), ("abstract", "摘" * 301), ("practice", "做" * 5001)])
def test_autosave_refuses_text_over_a_cap_and_saves_nothing(park, world, field, text):
    case = world.xihu_case
    response = park.post(reverse("cases:case_autosave", args=[case.pk]),
                         _form_data(case, contact_name="李工", **{field: text}))
    assert response.status_code == 400 and "不能超过" in response.json()["errors"][0]
    assert _reload(case).contact_name == "王工"


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


def test_a_stale_page_save_shows_the_conflict(park, world):
    case = world.xihu_case
    stale = _form_data(case, title="我的修改", action="save")
    park.post(reverse("cases:case_autosave", args=[case.pk]), _form_data(case, title="同事的修改"))
    response = park.post(reverse("cases:case_edit", args=[case.pk]), stale)
    assert "该草稿已被他人修改，请刷新后再编辑" in response.content.decode()
    assert _reload(case).title == "同事的修改"


def test_submitting_from_the_page_lists_every_problem(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_edit", args=[case.pk]),
                         _form_data(case, title="", abstract="", contact_phone="0571123", consent_truthful="",
                                    action="submit"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "提交前请处理以下 4 个问题" in page
    for text in ("请填写案例标题", "请填写摘要", "请勾选“承诺材料真实”", "联系人手机应为以1开头的11位手机号码"):
        assert text in page
    assert _reload(case).status == "draft" and _reload(case).abstract == ""  # the draft was saved, not submitted


def test_submitting_a_complete_case_from_the_page(park, world):
    case = world.xihu_case
    response = park.post(reverse("cases:case_edit", args=[case.pk]), _form_data(case, action="submit"))
    assert response.status_code == 302 and response.url == reverse("cases:case_detail", args=[case.pk])
    assert (_reload(case).status, _reload(case).version) == ("submitted", 1)


def test_r106_the_page_refuses_an_enterprise_of_another_county_by_credit_code(park, world):
    with scopes_disabled():
        other = make_enterprise(world.campaign, world.shangcheng, name="杭州上城数字科技有限公司", serial="MA2CD1234")
    response = park.post(reverse("cases:case_create"), {"credit_code": other.credit_code})
    assert "根据属地原则（R-106），只能推荐本区县（西湖区）的企业，该企业属于上城区" in response.content.decode()
    with scopes_disabled():
        assert not Case.plain.filter(enterprise=other).exists()


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
