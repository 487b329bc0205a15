"""The public 公示 page of a round (R-106): one address for good, whatever re-locks; an old link leads to the list
in force; the page names the issuing org, says the rules in words (no rule ids, no command lines) and shows the
checksum only in a 「核验结果」 section written for people; a failed objection says what to fix at the top of the
form and at each field."""

from __future__ import annotations

import re

from django.urls import reverse

from apps.core.scoping import scopes_disabled
from apps.selection import services
from apps.selection.models import Objection


def _relock(round, entries, admin):
    """Lock entries 0 and 1, unlock with a reason, swap entry 1 for entry 2, lock again."""
    services.list_set(round=round, by=admin, add=[entries[0].case_id, entries[1].case_id])
    first = services.list_lock(round=round, by=admin)
    services.list_unlock(round=round, by=admin, reason="第二件案例的企业资质存疑，调整名单")
    services.list_set(round=round, by=admin, remove=[entries[1].case_id], add=[entries[2].case_id])
    return first, services.list_lock(round=round, by=admin)


def test_a_relock_keeps_one_public_address_and_an_old_link_leads_to_the_list_in_force(client, small, entries,
                                                                                      campaign):
    with scopes_disabled():
        first, second = _relock(small, entries, campaign.hangzhou_admin)
        titles = {e.case_id: e.case.title for e in entries}
    home = reverse("gs:list", args=[first.slug])
    old_link = client.get(reverse("gs:list", args=[second.slug]))
    assert old_link.status_code == 302 and old_link["Location"] == home
    page = client.get(home).content.decode()
    assert "本次为第2次公示" in page and titles[entries[2].case_id] in page
    listed = page.split('class="gslist"')[1].split("</ol>")[0]
    assert titles[entries[1].case_id] not in listed
    history = page.split('id="history-h"')[1]
    assert "第1次公示" in history and "撤回" in history and "第二件案例的企业资质存疑，调整名单" in history
    client.force_login(campaign.hangzhou_admin)
    officials = client.get(reverse("selection:publicity", args=[small.pk])).content.decode()
    assert f"http://testserver{home}" in officials


def test_while_the_list_is_being_adjusted_the_address_says_so_and_keeps_the_history(client, small, entries,
                                                                                   campaign):
    with scopes_disabled():
        services.list_set(round=small, by=campaign.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
        first = services.list_lock(round=small, by=campaign.hangzhou_admin)
        services.list_unlock(round=small, by=campaign.hangzhou_admin, reason="异议成立，调整名单")
    page = client.get(reverse("gs:list", args=[first.slug])).content.decode()
    assert "名单正在调整" in page and "本页地址不变" in page and "异议成立，调整名单" in page
    assert "提交异议" not in page


def test_the_public_page_names_the_issuer_and_shows_no_rule_id_command_or_stray_hash(client, poll, entries,
                                                                                    campaign):
    from apps.selection.tests.conftest import set_rulebook

    with scopes_disabled():
        set_rulebook(poll.round, list_override=True)
        services.list_set(round=poll.round, by=campaign.hangzhou_admin, add=[entries[0].case_id])
        locked = services.list_lock(round=poll.round, by=campaign.hangzhou_admin, reason="本市符合条件的案例不足")
    page = client.get(reverse("gs:list", args=[locked.slug])).content.decode()
    assert "发布单位：杭州市科学技术协会" in page
    assert not re.search(r"R-\d", page) and "manage.py" not in page and "python" not in page
    check = page.split('id="check-h"')[1].split("</section>")[0]
    assert locked.sha256 in check and "校验码的用途" in check and "核验方法" in check
    assert page.count(locked.sha256) == 1 and not re.search(r"[0-9a-f]{40}", page.replace(locked.sha256, ""))


def test_a_failed_objection_is_summed_up_at_the_top_of_the_form_and_at_each_field(client, small, entries,
                                                                                  campaign):
    with scopes_disabled():
        services.list_set(round=small, by=campaign.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
        locked = services.list_lock(round=small, by=campaign.hangzhou_admin)
    response = client.post(reverse("gs:list", args=[locked.slug]),
                           {"case": entries[0].case_id, "name": "李明", "contact": "12", "reason": "太短",
                            "notice": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_contact"' in summary and 'href="#id_reason"' in summary and 'href="#id_name"' not in summary
    contact = page.split('id="field-contact"')[1].split("</div>")[0]
    assert "has-error" in page.split('id="field-contact"')[0][-40:] and "请填写手机号码" in contact
    assert "forms.js" in page  # lands the phone on the summary


def test_an_objection_to_a_list_replaced_meanwhile_is_not_filed_against_the_new_one(client, small, entries,
                                                                                   campaign):
    with scopes_disabled():
        first, second = _relock(small, entries, campaign.hangzhou_admin)
    response = client.post(reverse("gs:list", args=[first.slug]),
                           {"case": entries[0].case_id, "name": "李明", "contact": "13800138000",
                            "reason": "案例中所述专利尚未授权，与事实不符。", "notice": "1"})
    assert response.status_code == 400 and "已更新为第2次公示" in response.content.decode()
    with scopes_disabled():
        assert not Objection.plain.exists()
