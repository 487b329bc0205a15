"""Written stories (issue 17, item 3, R-305): the rich text is sanitised to a safe subset; every save is a version
and the changes show; the workflow is draft → edited → reviewed by the province's admin; only reviewed stories
count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.campaigns.indicators import Status, indicator_for
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.publicity import stories
from apps.publicity.models import Story, StoryVersion
from apps.publicity.services import story_move, story_save
from tests.factories import admin_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed, kept, gone", [
    ("<p onclick=\"steal()\">创新<script>alert(1)</script></p>", "<p>创新</p>", ["script", "onclick", "alert"]),
    ("<p><a href=\"javascript:alert(1)\">点我</a></p>", "点我", ["javascript"]),
    ("<p><img src=x onerror=alert(1)><style>p{}</style>正文</p>", "<p>正文</p>", ["img", "onerror", "style"]),
    ("<h3>背景</h3><p><strong>企业</strong>坚持<em>创新</em></p><ul><li>一</li></ul><blockquote>引用</blockquote>",
     "<h3>背景</h3><p><strong>企业</strong>坚持<em>创新</em></p><ul><li>一</li></ul><blockquote>引用</blockquote>", []),
    ("<p><a href=\"https://example.cn/a\">链接</a></p>", 'href="https://example.cn/a"', []),
    ("小于号 <不是标签", "&lt;不是标签", []),
])
def test_the_story_text_is_sanitised_to_the_safe_subset(typed, kept, gone):
    safe = stories.clean(typed)
    assert kept in safe
    for word in gone:
        assert word not in safe


def test_plain_text_becomes_paragraphs():
    assert stories.clean("第一段\n续行\n\n第二段") == "<p>第一段<br>续行</p><p>第二段</p>"


@pytest.fixture
def listed(campaign_world):  # noqa: F811
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList

    w = campaign_world
    with scopes_disabled():
        w.case = submit(w).case
        province = Round.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, kind="province_selection",
                                      state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=province, number=1, slug="stories00001", case_ids=[w.case.pk],
                                starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
        w.staff = admin_of(w.zhejiang, "staff-330000", role=Membership.Role.STAFF)
    return w


def save(w, body, by=None, **kw):
    return story_save(programme=w.zhejiang_programme, case_id=w.case.pk, by=by or w.staff,
                      title=kw.pop("title", "数字孪生让产线活起来"), form=kw.pop("form", "introduction"), body=body)


def test_r305_every_save_is_a_version_and_the_change_shows(listed, system):
    w = listed
    story = save(w, "企业面临换型难题。\n\n团队搭建数字孪生平台。")
    story = save(w, "企业面临换型难题。\n\n团队搭建数字孪生平台，三个月上线。\n\n良品率提升到百分之九十九。")
    assert story.version == 2 and StoryVersion.plain.filter(story=story).count() == 2
    old, new = StoryVersion.plain.filter(story=story).order_by("number")
    lines = stories.diff_lines(old.body, new.body)
    assert ("-", "团队搭建数字孪生平台。") in lines and ("+", "良品率提升到百分之九十九。") in lines
    assert ("  "[0], "企业面临换型难题。") in lines
    assert save(w, "企业面临换型难题。\n\n团队搭建数字孪生平台，三个月上线。\n\n良品率提升到百分之九十九。").version == 2


def test_r305_workflow_draft_edited_reviewed_and_an_edit_sends_it_back(listed, system):
    w = listed
    story = save(w, "正文")
    with pytest.raises(ValidationError, match="不能改为"):
        story_move(story=story, by=w.zhejiang_admin, to="reviewed")
    story = story_move(story=story, by=w.staff, to="edited")
    with pytest.raises(NotFound):
        story_move(story=story, by=w.staff, to="reviewed")  # staff writes; the province's admin reviews
    story = story_move(story=story, by=w.zhejiang_admin, to="reviewed")
    assert story.state == Story.State.REVIEWED
    assert save(w, "正文，补充一句。").state == Story.State.DRAFT


def test_r305_a_story_needs_a_case_of_the_list_and_text_and_others_may_not_write(listed, system):
    w = listed
    from apps.rounds.tests.conftest import submit

    with pytest.raises(ValidationError) as refused:
        story_save(programme=w.zhejiang_programme, case_id=submit(w).case.pk, by=w.staff, title="", form="x",
                   body="<script>alert(1)</script>")
    assert set(refused.value.message_dict) == {"title", "form", "body", "case"}
    with pytest.raises(NotFound):
        story_save(programme=w.zhejiang_programme, case_id=w.case.pk, by=w.hangzhou_admin, title="t",
                   form="introduction", body="正文")
    assert not Story.plain.exists()


def test_r305_counts_reviewed_stories(listed, system):
    w = listed
    from apps.campaigns.models import Rulebook

    with scopes_disabled():
        book = Rulebook.plain.get(programme=w.zhejiang_programme)
        book.values = {**book.values, "stories": 1}
        book.save()
    story = save(w, "正文")
    when = dt.datetime(w.campaign.year, 11, 25, tzinfo=dt.timezone.utc)
    with scopes_disabled():
        assert indicator_for(w.zhejiang_programme, "R-305", now=when).status == Status.AT_RISK
    story_move(story=story_move(story=story, by=w.staff, to="edited"), by=w.zhejiang_admin, to="reviewed")
    with scopes_disabled():
        assert indicator_for(w.zhejiang_programme, "R-305", now=when).status == Status.MET


def test_the_story_page_shows_the_safe_body_and_another_province_gets_404(client, listed):
    w = listed
    story = save(w, "<p>正文<script>alert(1)</script></p>")
    client.force_login(w.zhejiang_admin)
    page = client.get(reverse("publicity:story_detail", args=[story.pk])).content.decode()
    assert "<p>正文</p>" in page and "alert(1)" not in page
    client.force_login(w.sichuan_admin)
    assert client.get(reverse("publicity:story_detail", args=[story.pk])).status_code == 404
