"""The case collection (issue 17, item 3, R-306): built in the background by the task worker from the province's
reviewed stories, as a Word document that holds every reviewed story and a PDF with its fonts embedded whose table
of contents gives the pages where the stories start; one build at a time; the R-306 indicator."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document
from PIL import Image

from apps.campaigns.indicators import Status, indicator_for
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.publicity.collection import collection_build
from apps.publicity.models import CaseCollection, Story
from apps.publicity.services import case_collection_request, story_move, story_save
from tests.factories import admin_of
from tests.pdf import pdf_fonts, pdf_page_texts
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db
TITLES = ["数字孪生让产线活起来", "一颗螺丝钉的十年攻关", "把实验室搬进车间", "小配件撬动大市场"]


def photo(color: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1600), color).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def reviewed(campaign_world):  # noqa: F811
    """Zhejiang's locked provincial list of five cases: four stories reviewed (with photos, one long enough to run
    over several pages), one left as a draft."""
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList

    w = campaign_world
    with scopes_disabled():
        w.cases = [submit(w).case for _ in range(5)]
        province = Round.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, kind="province_selection",
                                      state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=province, number=1, slug="collect00001", case_ids=[c.pk for c in w.cases],
                                starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
        w.staff = admin_of(w.zhejiang, "staff-330000", role=Membership.Role.STAFF)
    long_body = "".join(f"<p>第{n}段：企业围绕关键工序持续攻关，<strong>逐项</strong>解决难题，形成可复制的经验。" * 6 + "</p>"
                        for n in range(1, 30))
    w.stories = []
    for n, (case, title) in enumerate(zip(w.cases, TITLES)):
        body = long_body if n == 1 else f"<h3>背景</h3><p>{title}的故事正文。</p><ul><li>要点一</li></ul>"
        story = story_save(programme=w.zhejiang_programme, case_id=case.pk, by=w.staff, title=title,
                           form="introduction", body=body, photo=photo(("#c33", "#3c3", "#33c", "#cc3")[n]))
        story = story_move(story=story, by=w.staff, to="edited")
        w.stories.append(story_move(story=story, by=w.zhejiang_admin, to="reviewed"))
    w.draft = story_save(programme=w.zhejiang_programme, case_id=w.cases[4].pk, by=w.staff, title="尚在起草的故事",
                         form="interview", body="<p>草稿</p>")
    return w


@pytest.mark.django_db(transaction=True)
def test_r306_the_build_runs_in_the_task_worker_and_holds_every_reviewed_story(reviewed, system):
    w = reviewed
    collection = case_collection_request(programme=w.zhejiang_programme, by=w.staff)
    assert collection.state == CaseCollection.State.QUEUED and collection.number == 1
    queued = DBTaskResult.objects.get(id=collection.task_id)
    assert queued.task_path.endswith("build_case_collection") and queued.status == "READY"

    run_queued_tasks()  # the real worker runs the queued task

    collection.refresh_from_db()
    assert collection.state == CaseCollection.State.BUILT, collection.problem
    assert (collection.done, collection.total, collection.percent) == (4, 4, 100)
    assert [c["title"] for c in collection.contents] == TITLES
    assert DBTaskResult.objects.get(id=collection.task_id).status == "SUCCESSFUL"

    # Word: python-docx opens it; every reviewed story is a heading with its text; the draft is not there.
    with collection.docx.open("rb") as handle:
        doc = Document(handle)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == TITLES
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "数字孪生让产线活起来的故事正文。" in text and "要点一" in text and "尚在起草的故事" not in text
    assert len(doc.inline_shapes) == 4  # the four photos
    assert collection.docx_sha256 and len(collection.docx_sha256) == 64


def test_r306_the_pdf_embeds_its_fonts_and_its_contents_give_the_pages_where_stories_start(reviewed, system):
    w = reviewed
    collection = collection_build(case_collection_request(programme=w.zhejiang_programme, by=w.staff).pk)
    with collection.pdf.open("rb") as handle:
        pdf = handle.read()
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts), fonts
    assert any("CJK" in name for name, _embedded in fonts), fonts
    pages = pdf_page_texts(pdf)
    assert len(pages) == collection.pdf_pages >= 7  # cover, contents, four stories, one of several pages
    contents = pages[1]
    assert "目录" in contents
    starts = {}
    for title in TITLES:
        line = next(line for line in contents.splitlines() if title in line)
        starts[title] = int(re.search(r"(\d+)\s*$", line).group(1))
    for title, number in starts.items():
        first = next(n for n, page in enumerate(pages[2:], start=3) if title in page)
        assert first == number, (title, number, first)
    assert starts[TITLES[2]] - starts[TITLES[1]] >= 2  # the long story runs over more than one page
    assert "尚在起草的故事" not in "".join(pages)


def test_r306_one_build_at_a_time_and_none_without_reviewed_stories(reviewed, system):
    w = reviewed
    first = case_collection_request(programme=w.zhejiang_programme, by=w.staff)
    with pytest.raises(ValidationError, match="正在生成"):
        case_collection_request(programme=w.zhejiang_programme, by=w.zhejiang_admin)
    # A build whose worker died long ago no longer blocks a new one.
    CaseCollection.plain.filter(pk=first.pk).update(requested_at=timezone.now() - dt.timedelta(hours=1))
    second = case_collection_request(programme=w.zhejiang_programme, by=w.staff)
    first.refresh_from_db()
    assert first.state == CaseCollection.State.FAILED and "超时" in first.problem and second.number == 2
    # Nothing reviewed: refused, nothing written.
    with scopes_disabled():
        Story.plain.all().update(state=Story.State.DRAFT)
        CaseCollection.plain.all().update(state=CaseCollection.State.FAILED)
    with pytest.raises(ValidationError, match="审核通过后才能生成"):
        case_collection_request(programme=w.zhejiang_programme, by=w.staff)
    assert CaseCollection.plain.count() == 2


def test_r306_other_provinces_and_cities_cannot_build_or_download(reviewed, client):
    w = reviewed
    for outsider in (w.sichuan_admin, w.hangzhou_admin):
        with pytest.raises(NotFound):
            case_collection_request(programme=w.zhejiang_programme, by=outsider)
    collection = collection_build(case_collection_request(programme=w.zhejiang_programme, by=w.staff).pk)
    client.force_login(w.sichuan_admin)
    for kind in ("docx", "pdf"):
        assert client.get(reverse("publicity:collection_file", args=[collection.pk, kind])).status_code == 404
    client.force_login(w.staff)
    response = client.get(reverse("publicity:collection_file", args=[collection.pk, "pdf"]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(reverse("publicity:collection_file", args=[collection.pk, "exe"])).status_code == 404


def test_r306_the_indicator_asks_for_a_new_build_when_a_story_is_reviewed_after_it(reviewed, system):
    w = reviewed
    before = indicator_for(w.zhejiang_programme, "R-306")
    assert before.status != Status.MET and before.value_text == "未生成"
    collection_build(case_collection_request(programme=w.zhejiang_programme, by=w.staff).pk)
    built = indicator_for(w.zhejiang_programme, "R-306")
    assert built.status == Status.MET and (built.value, built.target) == (4, 4)
    story_move(story=story_move(story=w.draft, by=w.staff, to="edited"), by=w.zhejiang_admin, to="reviewed")
    stale = indicator_for(w.zhejiang_programme, "R-306")
    assert stale.status != Status.MET and (stale.value, stale.target) == (4, 5)
    assert any("请重新生成" in note for note in stale.notes)


@pytest.mark.django_db(transaction=True)
def test_r306_the_page_shows_the_progress_and_the_builds(reviewed, client):
    w = reviewed
    client.force_login(w.staff)
    page = client.get(reverse("publicity:collection"))
    assert page.status_code == 200 and "尚未生成过案例集" in page.content.decode()
    response = client.post(reverse("publicity:collection"), follow=True)
    body = response.content.decode()
    assert "已开始生成案例集" in body and 'hx-trigger="every 2s"' in body and "排队等待" in body
    collection = CaseCollection.plain.get()
    run_queued_tasks()
    fragment = client.get(reverse("publicity:collection_progress", args=[collection.pk])).content.decode()
    assert "hx-trigger" not in fragment and "下载PDF版" in fragment and "下载Word版" in fragment


def test_r306_a_server_without_chinese_fonts_builds_the_word_version_and_says_why_there_is_no_pdf(
        reviewed, system, tmp_path, monkeypatch):
    """fontconfig pointed at a configuration with no fonts: the real check finds no Chinese font."""
    from apps.core import pdf

    (tmp_path / "fonts.conf").write_text('<?xml version="1.0"?><fontconfig><cachedir>%s</cachedir></fontconfig>'
                                         % tmp_path)
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "fonts.conf"))
    pdf._missing.cache_clear()
    try:
        assert pdf.pdf_unavailable() == "本服务器未安装中文字体，未生成PDF版；Word版已生成"
        collection = collection_build(case_collection_request(programme=reviewed.zhejiang_programme,
                                                              by=reviewed.staff).pk)
    finally:
        pdf._missing.cache_clear()
    assert collection.state == CaseCollection.State.BUILT and collection.docx and not collection.pdf
    assert "未安装中文字体" in collection.problem
    assert indicator_for(reviewed.zhejiang_programme, "R-306").status != Status.MET


@pytest.mark.django_db(transaction=True)
def test_r306_the_api_asks_for_a_build_and_reads_its_progress_and_files(reviewed, system):
    from rest_framework.test import APIClient

    w = reviewed
    api = APIClient()
    api.force_authenticate(w.staff)
    created = api.post("/api/v1/case-collections/")
    assert created.status_code == 201 and created.json()["state"] == "queued"
    again = api.post("/api/v1/case-collections/")
    assert again.status_code == 400 and "正在生成" in again.content.decode()
    run_queued_tasks()
    build = api.get(f"/api/v1/case-collections/{created.json()['id']}/").json()
    assert build["state"] == "built" and build["percent"] == 100 and len(build["contents"]) == 4
    assert build["pdf_url"].endswith("/pdf/") and len(build["pdf_sha256"]) == 64
    outsider = APIClient()
    outsider.force_authenticate(w.sichuan_admin)
    assert outsider.get(f"/api/v1/case-collections/{build['id']}/").status_code == 404


@pytest.mark.parametrize("state, stage, done, total, percent", [
    ("queued", "waiting", 0, 0, 0), ("building", "word", 0, 40, 0), ("building", "word", 20, 40, 25),
    ("building", "word", 40, 40, 50), ("building", "pdf", 40, 40, 60), ("building", "saving", 40, 40, 90),
    ("built", "done", 40, 40, 100),
])
def test_r306_the_progress_bar_follows_the_stages(state, stage, done, total, percent):
    assert CaseCollection(state=state, stage=stage, done=done, total=total).percent == percent
