"""《企业创新故事集》 (issue 18, item 4, R-506): built in the background from the national story round's locked list and
the stories the centre approved for publication, in province order, as a .docx that holds every story and a
print-ready PDF (16开 with 3-mm bleed, fonts embedded, contents whose page numbers are the pages where the stories
start); a build is approved before it is printed, and a print run must name the approved PDF's checksum."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_approve
from apps.book.models import BookBuild
from apps.book.services import book_build_request, book_of, book_submit, print_run_record
from apps.campaigns.indicators import Status, indicator_for
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.orgs.models import Membership
from apps.publication.models import Publication
from apps.publicity.models import Story
from apps.rounds.models import Round
from apps.selection.models import LockedList
from tests.factories import admin_of
from tests.pdf import pdf_fonts, pdf_page_texts, poppler
from tests.tasks import run_queued_tasks

STORIES = 100


def _photo() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), "#2a6").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def national_world(w, n: int = STORIES) -> None:
    """The centre's story round locked with n cases, half from 浙江省 and half from 四川省 (listed alternately), each
    with a story the centre published; every tenth story has a photo."""
    from apps.rounds.tests.conftest import submit

    with scopes_disabled():
        cases = []
        for i in range(n):
            county = w.xihu if i % 2 == 0 else w.wuhou
            recommender = w.xihu_park if i % 2 == 0 else w.wuhou_park
            cases.append(submit(w, county=county, recommender=recommender, title=f"案例{i:03d}").case)
        story_round = Round.plain.create(programme=w.brand_programme, org=w.center, kind="national_story",
                                         state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=story_round, number=1, slug="bookworld001", case_ids=[c.pk for c in cases],
                                starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
        for i, case in enumerate(cases):
            province = w.zhejiang if i % 2 == 0 else w.sichuan
            programme = w.zhejiang_programme if i % 2 == 0 else w.sichuan_programme
            story = Story(programme=programme, org=province, case=case, title=f"故事{i:03d}号",
                          body=f"<h3>背景</h3><p>故事{i:03d}号的正文。</p>" + "<p>企业持续攻关，成效显著。</p>" * 8,
                          state=Story.State.REVIEWED)
            media = []
            if i % 10 == 0:
                story.photo.save(f"book-{i}.jpg", _photo(), save=False)
                media = [{"name": story.photo.name, "type": "image/jpeg", "size": 1, "sha256": "0" * 64,
                          "width": 1600, "height": 1000}]
            story.save()
            Publication.plain.create(campaign=w.campaign, programme=programme, org=province, kind="story",
                                     object_id=story.pk, number=1, title=story.title, state="published",
                                     published_at=timezone.now(), media=media,
                                     content={"body": story.body, "enterprise": case.enterprise.name,
                                              "region": "某市某区", "form_label": "介绍式"})
        w.cases = cases
        w.center_editor = admin_of(w.center, "center-editor", role=Membership.Role.STAFF)


def expected_order(w) -> list[str]:
    zhejiang = [f"故事{i:03d}号" for i in range(0, STORIES, 2)]
    sichuan = [f"故事{i:03d}号" for i in range(1, STORIES, 2)]
    return zhejiang + sichuan  # 浙江省 (330000) before 四川省 (510000), each in the list's order


@pytest.mark.django_db(transaction=True)
def test_r506_the_book_of_100_stories_in_province_order_with_right_contents_pages(campaign_world, system):
    w = campaign_world
    national_world(w)
    book = book_of(w.campaign)
    build = book_build_request(book=book, by=w.center_editor)
    run_queued_tasks()
    build.refresh_from_db()
    assert build.state == BookBuild.State.BUILT, build.problem
    assert [c["title"] for c in build.contents] == expected_order(w)

    with build.docx.open("rb") as handle:
        doc = Document(handle)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == ["浙江省", "四川省", "行业索引"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == expected_order(w)
    assert len(doc.inline_shapes) == STORIES // 10

    with build.pdf.open("rb") as handle:
        pdf = handle.read()
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts), fonts
    pages = pdf_page_texts(pdf)
    assert len(pages) == build.pdf_pages
    assert STORIES + 5 <= len(pages) <= 3 * STORIES  # cover, preface, contents, a page or two a story, index
    # The contents (and the index at the end) are the pages with dot leaders; a story starts on the first other
    # page that has its title.
    listing = [n for n, page in enumerate(pages) if "....." in page]
    contents = "\n".join(pages[n] for n in listing if n < len(pages) // 2)
    for title in expected_order(w):
        line = next(line for line in contents.splitlines() if title in line)
        number = int(re.search(r"(\d+)\s*$", line).group(1))
        first = next(n for n, page in enumerate(pages, start=1) if title in page and n - 1 not in listing)
        assert first == number, (title, number, first)
    poppler()
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    mm = 72 / 25.4
    assert abs(width - (185 + 6) * mm) < 1 and abs(height - (260 + 6) * mm) < 1  # 16开 with 3-mm bleed


@pytest.mark.django_db
def test_r506_a_build_is_approved_before_it_is_printed_and_a_print_run_names_its_checksum(campaign_world, system,
                                                                                          monkeypatch):
    from apps.book import build as book_builder

    w = campaign_world
    national_world(w, n=4)
    book = book_of(w.campaign)
    with scopes_disabled():
        w.campaign.stories = 4
        w.campaign.print_copies = 1500
        w.campaign.save()
        w.brand_programme = type(w.brand_programme).plain.select_related("campaign").get(pk=w.brand_programme.pk)
    built = book_builder.book_build(book_build_request(book=book, by=w.center_editor).pk)
    with pytest.raises(ValidationError, match="尚无审核通过"):
        print_run_record(book=book, by=w.center_editor, copies=1500, printer="某印刷厂", printed_on=timezone.localdate(),
                         pdf_sha256=built.pdf_sha256)
    book_submit(build=built, by=w.center_editor)
    with scopes_disabled():
        request = ApprovalRequest.plain.get(kind="book_build", object_id=built.pk)
    with pytest.raises(NotFound):
        approval_approve(request=request, by=w.center_editor)  # nobody approves their own submission
    approval_approve(request=request, by=w.center_admin)
    with pytest.raises(ValidationError) as refused:
        print_run_record(book=book, by=w.center_editor, copies=0, printer="", printed_on=None, pdf_sha256="abc")
    assert set(refused.value.message_dict) == {"copies", "printer", "printed_on", "pdf_sha256"}
    brand = indicator_for(w.brand_programme, "R-506")
    assert brand.status != Status.MET and brand.value == 0
    print_run_record(book=book, by=w.center_editor, copies=1000, printer="某印刷厂",
                     printed_on=timezone.localdate() - dt.timedelta(days=1), pdf_sha256=built.pdf_sha256.upper())
    assert indicator_for(w.brand_programme, "R-506").value == 1000
    print_run_record(book=book, by=w.center_editor, copies=500, printer="某印刷厂", printed_on=timezone.localdate(),
                     pdf_sha256=built.pdf_sha256)
    final = indicator_for(w.brand_programme, "R-506")
    assert final.status == Status.MET, (final.value, final.notes, final.target_text)


@pytest.mark.django_db
def test_r506_only_the_centre_reads_and_builds_the_book(campaign_world, client):
    w = campaign_world
    for outsider in (w.zhejiang_admin, w.hangzhou_admin):
        client.force_login(outsider)
        assert client.get(reverse("book:home")).status_code == 404
        with pytest.raises(NotFound):
            book_build_request(book=book_of(w.campaign), by=outsider)
    client.force_login(w.center_admin)
    page = client.get(reverse("book:home")).content.decode()
    assert "企业创新故事集" in page and "尚未生成过故事集" in page
    refused = client.post(reverse("book:home"), {"form": "build"}, follow=True).content.decode()
    assert "尚无经中心审核发布的故事" in refused
    saved = client.post(reverse("book:home"), {"form": "book", "title": "", "preface": "x", "page_size": "a5",
                                               "bleed_mm": "9"})
    assert saved.status_code == 200 and "请填写书名" in saved.content.decode() and "出血应为0至5毫米" in saved.content.decode()
