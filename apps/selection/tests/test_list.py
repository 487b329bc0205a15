"""The round's list page: cases go on and off the list in one click; the rules it breaks are shown with their
R-ids after every change; only the org running the round changes it, and every change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.rounds.models import Round
from apps.selection import services


def test_adding_cases_shows_the_surplus_rule_until_the_list_is_long_enough(client, poll, entries, campaign):
    client.force_login(campaign.hangzhou_admin)
    url = reverse("selection:list", args=[poll.round.pk])
    empty = client.get(url).content.decode()
    assert "名单现有0件" in empty and "R-105" in empty and "至少应有72件，现有0件" in empty
    toggled = client.post(reverse("selection:list_toggle", args=[poll.round.pk]),
                          {"case": entries[0].case_id, "action": "add"}, follow=True).content.decode()
    assert "名单现有1件" in toggled and "至少应有72件，现有1件" in toggled and "移出名单" in toggled
    with scopes_disabled():
        assert services.list_ids(poll.round) == [entries[0].case_id]
        assert AuditEntry.plain.filter(action="selection.list_set").count() == 1


def test_two_cases_of_one_enterprise_break_r108(poll, entries, campaign):
    from apps.cases.models import Case

    admin = campaign.hangzhou_admin
    with scopes_disabled():
        Case.plain.filter(pk=entries[1].case_id).update(enterprise_id=entries[0].case.enterprise_id)
        violations = services.list_set(round=poll.round, by=admin, add=[entries[0].case_id, entries[1].case_id])
        after = services.list_set(round=poll.round, by=admin, remove=[entries[1].case_id])
    assert "R-108" in [v.rule for v in violations] and "R-108" not in [v.rule for v in after]


def test_only_the_round_org_changes_the_list_and_only_with_its_candidates(poll, entries, campaign):
    with scopes_disabled():
        with pytest.raises(NotFound):
            services.list_set(round=poll.round, by=campaign.zhejiang_admin, add=[entries[0].case_id])
        with pytest.raises(ValidationError) as stranger:
            services.list_set(round=poll.round, by=campaign.hangzhou_admin, add=[999999])
        Round.plain.filter(pk=poll.round.pk).update(state=Round.State.LOCKED)
        poll.round.refresh_from_db()
        with pytest.raises(ValidationError) as locked:
            services.list_set(round=poll.round, by=campaign.hangzhou_admin, add=[entries[0].case_id])
        assert services.list_ids(poll.round) == []
    assert stranger.value.messages == ["案例999999不在本轮候选名单中"]
    assert "名单不能修改" in locked.value.messages[0]


def test_the_best_list_is_shown_with_its_changes_and_replaces_the_list_only_when_confirmed(client, poll, entries,
                                                                                         campaign):
    from apps.campaigns.models import Rulebook

    client.force_login(campaign.hangzhou_admin)
    url = reverse("selection:list_propose", args=[poll.round.pk])
    refused = client.get(url, follow=True).content.decode()
    assert "R-105" in refused and "72" in refused
    with scopes_disabled():
        rulebook = Rulebook.plain.get(programme=poll.round.programme)
        rulebook.values = {**rulebook.values, "target": 3, "surplus_ratio": "0"}  # 杭州市's quota: 2
        rulebook.save()
    asked = client.get(url)
    page = asked.content.decode()
    assert asked.status_code == 200 and "建议名单2件" in page and "新列入（2件）" in page and "确认替换当前名单" in page
    with scopes_disabled():
        assert services.list_ids(poll.round) == []  # nothing replaced yet
    chosen = asked.context["found"].chosen
    done = client.post(reverse("selection:list_adopt", args=[poll.round.pk]), {"case": list(chosen)},
                       follow=True).content.decode()
    assert "已采用建议名单：2件（新列入2件，移出0件）" in done and "名单符合本轮全部规则" in done
    with scopes_disabled():
        assert sorted(services.list_ids(poll.round)) == sorted(chosen)
        assert AuditEntry.plain.filter(action="selection.list_adopt").count() == 1


def _row(page: str, case_id: int) -> str:
    return page.split(f'id="case-{case_id}"')[1].split("</tr>")[0]


def test_the_page_marks_listed_rows_links_titles_and_says_why_a_higher_case_is_off_r108(client, small, entries,
                                                                                    campaign):
    from apps.cases.models import Case

    admin = campaign.hangzhou_admin
    with scopes_disabled():
        Case.plain.filter(pk=entries[1].case_id).update(enterprise_id=entries[0].case.enterprise_id)
        services.list_set(round=small, by=admin, add=[entries[1].case_id, entries[2].case_id])
        second = Case.plain.get(pk=entries[1].case_id).title
    client.force_login(admin)
    page = client.get(reverse("selection:list", args=[small.pk])).content.decode()
    first_row, listed_row = _row(page, entries[0].case_id), _row(page, entries[1].case_id)
    assert "在名单中" in listed_row and "在名单中" not in first_row
    assert f'href="{reverse("cases:case_detail", args=[entries[0].case_id])}"' in first_row
    assert f"同一企业最多推荐1件，名单中已有“{second}”（R-108）" in first_row  # ranked first, yet off: why


def test_a_row_that_breaks_a_rule_is_highlighted_with_the_rule(client, small, entries, campaign):
    from apps.cases.models import Case

    admin = campaign.hangzhou_admin
    with scopes_disabled():
        Case.plain.filter(pk=entries[1].case_id).update(enterprise_id=entries[0].case.enterprise_id)
        services.list_set(round=small, by=admin, add=[entries[0].case_id, entries[1].case_id, entries[2].case_id])
    client.force_login(admin)
    page = client.get(reverse("selection:list", args=[small.pk])).content.decode()
    for entry in entries[:2]:
        row = _row(page, entry.case_id)
        assert 'class="chosen breaks' in page.split(f'id="case-{entry.case_id}"')[1][:40]
        assert "来自同一企业（R-108）" in row
    assert "breaks" not in page.split(f'id="case-{entries[2].case_id}"')[1][:40]


def test_an_upheld_case_on_the_list_is_flagged_and_offers_a_pin_back_with_a_reason(client, small, entries,
                                                                                 campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        services.list_set(round=small, by=admin, add=[entries[0].case_id, entries[1].case_id])
        locked = services.list_lock(round=small, by=admin)
        objection = services.objection_submit(locked=locked, case_id=entries[0].case_id, name="张华",
                                              contact="zh@example.com", reason="该企业已于今年被列入经营异常名录。")
        services.objection_answer(objection=objection, by=admin, outcome="upheld", answer="经核实属实，调整名单。")
        services.list_unlock(round=small, by=admin, reason="异议成立，调整名单")
    client.force_login(admin)
    page = client.get(reverse("selection:list", args=[small.pk])).content.decode()
    row = _row(page, entries[0].case_id)
    assert "异议已认定成立（R-106）：经核实属实，调整名单。" in row and "写明理由后指定入选" in row
    assert "移出名单或写明理由指定入选后，才能锁定" in page and "锁定名单并公示" not in page
