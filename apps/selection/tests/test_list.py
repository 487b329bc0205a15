"""The round's list page: cases go on and off the list in one click; the rules it breaks are shown with their
R-ids after every change; only the org running the round changes it, and every change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.orgs.scoping import scopes_disabled
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
        assert AuditEntry.log.filter(action="selection.list_set").count() == 1


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


def test_the_best_list_replaces_the_list_or_the_page_says_why_there_is_none(client, poll, entries, campaign):
    from apps.campaigns.models import Rulebook

    client.force_login(campaign.hangzhou_admin)
    url = reverse("selection:list_propose", args=[poll.round.pk])
    refused = client.post(url, follow=True).content.decode()
    assert "R-105" in refused and "72" in refused
    with scopes_disabled():
        rulebook = Rulebook.plain.get(programme=poll.round.programme)
        rulebook.values = {**rulebook.values, "target": 3, "surplus_ratio": "0"}  # 杭州市's quota: 2
        rulebook.save()
    done = client.post(url, follow=True).content.decode()
    assert "已采用建议名单：2件" in done and "已证明为最优" in done and "名单符合本轮全部规则" in done
    with scopes_disabled():
        assert len(services.list_ids(poll.round)) == 2
