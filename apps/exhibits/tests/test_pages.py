"""The exhibit pages: the status list with a count per state and a filter, the propose form (an invalid submit keeps
what was typed), the exhibit with its photos and the centre's decision, and the centre's approvals page that shows
what it decides on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_return
from apps.core.scoping import scopes_disabled
from apps.exhibits import services
from apps.exhibits.approvals import KIND, thread
from apps.exhibits.models import Exhibit
from apps.exhibits.tests.conftest import FIELDS, photo, propose

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_status_list_counts_each_state_and_filters_by_it(exhibit_world, django_assert_max_num_queries):
    w = exhibit_world
    with scopes_disabled():
        first = propose(w)
        services.exhibit_decline(exhibit=propose(w, name="光纤传感演示台"), by=w.zhejiang_admin, reason="同类")
        for n in range(3):
            propose(w, name=f"展品{n}")
    client = signed_in(w.zhejiang_admin)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("exhibits:exhibit_list")).content.decode()
    assert "全部（5）" in page and "已申报（4）" in page and "未入选（1）" in page and "中心确定参展（0）" in page
    assert "已向中心推荐0件，目标≥ 1件" in page
    declined = client.get(reverse("exhibits:exhibit_list"), {"state": "declined"}).content.decode()
    assert "光纤传感演示台" in declined and first.name not in declined
    assert "光纤传感演示台" not in signed_in(w.sichuan_admin).get(reverse("exhibits:exhibit_list")).content.decode()
    assert "申报展品" in signed_in(w.xihu_park_admin).get(reverse("exhibits:exhibit_list")).content.decode()


def test_an_invalid_proposal_shows_its_errors_and_keeps_what_was_typed(exhibit_world):
    w = exhibit_world
    client = signed_in(w.xihu_park_admin)
    data = {**FIELDS, "enterprise": w.giant.pk, "weight_kg": "很重", "photos": [photo()]}
    page = client.post(reverse("exhibits:exhibit_new"), data)
    html = page.content.decode()
    assert page.status_code == 200 and "请填写重量" in html
    assert 'value="智能协作机械臂"' in html and "观众牵引机械臂示教" in html and 'value="很重"' in html
    with scopes_disabled():
        assert not Exhibit.plain.exists()
    done = client.post(reverse("exhibits:exhibit_new"), {**data, "weight_kg": "85.5", "photos": [photo()]})
    with scopes_disabled():
        exhibit = Exhibit.plain.get()
    assert done.status_code == 302 and done["Location"] == reverse("exhibits:exhibit_detail", args=[exhibit.pk])


def test_the_enterprise_choice_holds_only_the_little_giants_one_may_act_for(exhibit_world):
    page = signed_in(exhibit_world.xihu_park_admin).get(reverse("exhibits:exhibit_new")).content.decode()
    assert "杭州西湖智能装备有限公司（2023）" in page
    assert "普通贸易" not in page and "上城精密" not in page and "武侯光电" not in page


def test_the_centre_reads_the_exhibit_in_its_approvals_and_the_proposer_reads_its_decision(exhibit_world):
    w = exhibit_world
    with scopes_disabled():
        exhibit = propose(w)
    province = signed_in(w.zhejiang_admin)
    detail = province.get(reverse("exhibits:exhibit_detail", args=[exhibit.pk])).content.decode()
    assert "推荐并报送中心" in detail and "设为未推荐" in detail
    missing = province.post(reverse("exhibits:exhibit_decline", args=[exhibit.pk]), {"reason": ""})
    assert missing.status_code == 200 and "请填写未推荐的原因" in missing.content.decode()
    assert province.post(reverse("exhibits:exhibit_shortlist", args=[exhibit.pk])).status_code == 302
    with scopes_disabled():
        request = latest_of(KIND, thread(exhibit))
    inbox = signed_in(w.center_admin).get(reverse("approvals:detail", args=[request.pk])).content.decode()
    for text in ("杭州西湖智能装备有限公司", "2023年", "七轴力控协作机械臂", "120×80×160 cm", "220V，约800W"):
        assert text in inbox
    # The centre's no to an exhibit is final: the choice reads 不予采纳, not a return for changes.
    assert "不予采纳" in inbox and "退回修改" not in inbox
    declined = signed_in(w.center_admin).post(reverse("approvals:detail", args=[request.pk]),
                                              {"decision": "return", "comment": "展品用电超出展厅条件"}, follow=True)
    assert "已决定不予采纳" in declined.content.decode()
    park = signed_in(w.xihu_park_admin).get(reverse("exhibits:exhibit_detail", args=[exhibit.pk])).content.decode()
    assert "未入选" in park and "展品用电超出展厅条件" in park and "推荐并报送中心" not in park
    with scopes_disabled():
        photo_url = reverse("exhibits:exhibit_photo", args=[exhibit.pk, exhibit.photos.get().pk])
    assert photo_url in park
    assert signed_in(w.xihu_park_admin).get(photo_url)["Content-Type"] == "image/png"
    assert signed_in(w.xihu_ent_admin).get(photo_url).status_code == 404


def test_an_exhibit_sent_to_the_centre_is_no_longer_edited(exhibit_world):
    w = exhibit_world
    with scopes_disabled():
        exhibit = services.exhibit_shortlist(exhibit=propose(w), by=w.zhejiang_admin)
    response = signed_in(w.xihu_park_admin).get(reverse("exhibits:exhibit_edit", args=[exhibit.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("exhibits:exhibit_detail", args=[exhibit.pk])


def test_the_menu_leads_to_the_exhibits_for_every_level(exhibit_world):
    w = exhibit_world
    for who in (w.xihu_park_admin, w.xihu_admin, w.hangzhou_admin, w.zhejiang_admin, w.center_admin):
        home = signed_in(who).get("/").content.decode()
        assert f'<a href="{reverse("exhibits:exhibit_list")}">展品</a>' in home


def test_the_province_admin_is_asked_on_the_home_page_to_decide_on_proposed_exhibits(exhibit_world):
    w = exhibit_world
    assert "件展品待推荐" not in signed_in(w.zhejiang_admin).get("/").content.decode()
    with scopes_disabled():
        first = propose(w)
        propose(w)
    home = signed_in(w.zhejiang_admin).get("/").content.decode()
    assert "2件展品待推荐或设为未推荐" in home and reverse("exhibits:exhibit_list") + "?state=proposed" in home
    assert "件展品待推荐" not in signed_in(w.sichuan_admin).get("/").content.decode()
    assert "件展品待推荐" not in signed_in(w.xihu_park_admin).get("/").content.decode()
    with scopes_disabled():
        services.exhibit_shortlist(exhibit=first, by=w.zhejiang_admin)
    assert "1件展品待推荐或设为未推荐" in signed_in(w.zhejiang_admin).get("/").content.decode()
