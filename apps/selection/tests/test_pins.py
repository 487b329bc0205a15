"""What people decide about a round's candidates holds against the solver: a case whose objection was upheld stays
off every proposal and the list until someone pins it back with a written reason (R-106); people's pins (must
include) and exclusions are kept per round and every proposal respects them; every pin is audited; replacing the
list with a proposal happens only once the person has seen what changes."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.selection import services
from apps.selection.models import ListPin


def _upheld_then_unlocked(round, entries, admin):
    """Lock entries 0 and 1, uphold an objection against entry 0, unlock (the list keeps both)."""
    services.list_set(round=round, by=admin, add=[entries[0].case_id, entries[1].case_id])
    locked = services.list_lock(round=round, by=admin)
    objection = services.objection_submit(locked=locked, case_id=entries[0].case_id, name="张华",
                                          contact="zh@example.com", reason="该企业已于今年被列入经营异常名录。")
    services.objection_answer(objection=objection, by=admin, outcome="upheld", answer="经核实属实，调整名单。")
    services.list_unlock(round=round, by=admin, reason="异议成立，调整名单")
    return locked


def test_an_upheld_case_stays_off_proposals_until_pinned_back_with_a_reason_r106(small, entries, campaign):
    admin, upheld = campaign.hangzhou_admin, entries[0].case_id
    with scopes_disabled():
        _upheld_then_unlocked(small, entries, admin)
        services.list_set(round=small, by=admin, remove=[upheld])
        assert upheld not in services.list_propose(small).chosen  # the best-ranked case, yet left out
        with pytest.raises(ValidationError) as no_reason:
            services.list_pin(round=small, by=admin, case_id=upheld, kind="include", reason=" ")
        assert "至少5个字" in no_reason.value.message_dict["reason"][0]
        assert not ListPin.plain.exists() and upheld not in services.list_ids(small)
        services.list_pin(round=small, by=admin, case_id=upheld, kind="include",
                          reason="经复核，经营异常已于公示期内移出名录，恢复推荐")
        assert upheld in services.list_ids(small) and upheld in services.list_propose(small).chosen
        entry = AuditEntry.plain.get(action="selection.pin")
    data = json.loads(entry.data)
    assert data["case"] == upheld and data["kind"] == "include" and data["reason"].startswith("经复核")
    assert data["upheld_objection"] is not None


def test_an_upheld_case_cannot_be_put_back_by_hand_nor_locked_on_the_list(small, entries, campaign):
    admin, upheld = campaign.hangzhou_admin, entries[0].case_id
    with scopes_disabled():
        _upheld_then_unlocked(small, entries, admin)
        with pytest.raises(ValidationError, match="异议已认定成立，请移出名单"):
            services.list_lock(round=small, by=admin)  # still on the list from before the answer
        services.list_set(round=small, by=admin, remove=[upheld])
        with pytest.raises(ValidationError, match="异议已认定成立，不能列入名单"):
            services.list_set(round=small, by=admin, add=[upheld])
        assert upheld not in services.list_ids(small)


def test_an_api_caller_cannot_bring_an_upheld_case_back_without_a_pin(small, entries, campaign):
    with scopes_disabled():
        _upheld_then_unlocked(small, entries, campaign.hangzhou_admin)
        found = services.list_propose(small, include=[entries[0].case_id])
    assert found.infeasible and "异议已认定成立" in found.explanations[0] and "R-106" in found.explanations[0]


def test_an_excluded_case_stays_off_proposals_and_the_list_until_the_exclusion_is_taken_away(small, entries,
                                                                                         campaign):
    admin, first = campaign.hangzhou_admin, entries[0].case_id
    with scopes_disabled():
        services.list_set(round=small, by=admin, add=[first])
        services.list_pin(round=small, by=admin, case_id=first, kind="exclude", reason="材料待补正")
        assert first not in services.list_ids(small)  # excluding takes it off the list too
        assert first not in services.list_propose(small).chosen
        with pytest.raises(ValidationError, match="已被排除"):
            services.list_set(round=small, by=admin, add=[first])
        services.list_unpin(round=small, by=admin, case_id=first)
        assert first in services.list_propose(small).chosen
        actions = list(AuditEntry.plain.filter(action__in=["selection.pin", "selection.unpin"])
                       .order_by("pk").values_list("action", flat=True))
    assert actions == ["selection.pin", "selection.unpin"]


def test_a_pinned_case_is_on_every_proposal_and_does_not_come_off_by_a_click(small, entries, campaign):
    admin, last = campaign.hangzhou_admin, entries[3].case_id
    with scopes_disabled():
        assert last not in services.list_propose(small).chosen  # ranked last: the solver would not take it
        services.list_pin(round=small, by=admin, case_id=last, kind="include")
        assert last in services.list_ids(small) and last in services.list_propose(small).chosen
        with pytest.raises(ValidationError, match="已指定入选"):
            services.list_set(round=small, by=admin, remove=[last])


def test_only_the_round_org_pins_and_only_its_candidates(small, entries, campaign):
    with scopes_disabled():
        with pytest.raises(NotFound):
            services.list_pin(round=small, by=campaign.zhejiang_admin, case_id=entries[0].case_id, kind="exclude")
        with pytest.raises(ValidationError) as stranger:
            services.list_pin(round=small, by=campaign.hangzhou_admin, case_id=999999, kind="include")
        assert not ListPin.plain.exists()
    assert "不在本轮候选名单中" in stranger.value.message_dict["case"][0]


def test_adopting_a_proposal_is_refused_when_the_list_changed_since_it_was_shown(small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        found = services.list_propose(small)
        services.list_set(round=small, by=admin, add=[entries[3].case_id])  # someone else, meanwhile
        with pytest.raises(ValidationError, match="名单已有改动"):
            services.list_adopt(round=small, by=admin, case_ids=found.chosen, expected=[])
        assert services.list_ids(small) == [entries[3].case_id]


def test_the_proposal_page_lists_what_comes_in_and_goes_out_and_what_stays_off(client, small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        _upheld_then_unlocked(small, entries, admin)
        services.list_set(round=small, by=admin, remove=[entries[0].case_id, entries[1].case_id])
        services.list_set(round=small, by=admin, add=[entries[3].case_id])
        titles = {e.case_id: e.case.title for e in entries}
    client.force_login(admin)
    response = client.get(reverse("selection:list_propose", args=[small.pk]))
    page = response.content.decode()
    incoming = page.split('id="in-h"')[1].split('id="out-h"')[0]
    outgoing = page.split('id="out-h"')[1].split('id="holds-h"')[0]
    holds = page.split('id="holds-h"')[1]
    assert titles[entries[1].case_id] in incoming and titles[entries[2].case_id] in incoming
    assert titles[entries[3].case_id] in outgoing
    assert titles[entries[0].case_id] not in incoming and titles[entries[0].case_id] in holds
    assert "异议已认定成立" in holds
    with scopes_disabled():
        assert services.list_ids(small) == [entries[3].case_id]  # asked, not applied


def test_a_pin_back_without_a_reason_comes_back_on_its_row_with_the_summary(client, small, entries, campaign):
    admin, upheld = campaign.hangzhou_admin, entries[0].case_id
    with scopes_disabled():
        _upheld_then_unlocked(small, entries, admin)
    client.force_login(admin)
    response = client.post(reverse("selection:list_pin", args=[small.pk]),
                           {"case": upheld, "kind": "include", "reason": "", "query": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and f'href="#pin-reason-{upheld}"' in page
    row = page.split(f'id="case-{upheld}"')[1].split("</tr>")[0]
    assert "has-error" in row and "须写明复核理由（至少5个字）" in row and "<details class=\"pin\" open>" in row
    with scopes_disabled():
        assert not ListPin.plain.exists()
