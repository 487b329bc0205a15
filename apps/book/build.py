"""Building 《企业创新故事集》 (R-506): the stories of the national story round's live locked list, each in the version
the centre approved for publication (apps/publication), chapter by province, as a .docx for editors and a
print-ready PDF.

The PDF (template book/book_pdf.html, WeasyPrint): A5 or 16开, the bleed the book's settings ask for (with crop
marks), a cover, the preface, the table of contents and the index by industry with page numbers the layout computes
(`target-counter`), each chapter and story from a new page, running heads (the book's title on the left page, the
province on the right), page numbers, photos at print resolution (scaled once to 1,800 px on the long side: over
300 dpi across a 16开 text block). The CJK font it uses is embedded.

The case collection's pieces do the common work (apps/publicity/collection.py: photos to print size, story bodies
to Word). The build runs in the background task apps/book/tasks.py and writes its progress on its row.

Where the time goes (bench/story_book.py: 100 stories, 20 photos of 3,000 × 2,000 px, 212 pages): WeasyPrint lays
the book out in about 3.3 s and draws it in 1.6 s, and a quarter of that is the dot leaders of the contents and the
index (WeasyPrint makes a text box of every dot, and lays a page that looks page numbers up out three times).
Scaling the photos takes 1.3 s of CPU and the .docx 0.5 s; they run side by side (book_build)."""

from __future__ import annotations

import io
import logging
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from apps.book.models import Book, BookBuild
from apps.cases.models import Case
from apps.core.builds import store_documents
from apps.core.pdf import own_files_fetcher, pdf_unavailable
from apps.core.word import add_run, style_document
from apps.enterprises.industry import section_label
from apps.publication.models import Publication
from apps.publicity.collection import WordBody, print_photo, toc_field
from apps.publicity.models import Story
from apps.rounds.kinds import Kind
from apps.rounds.models import Round
from apps.selection.models import LockedList

log = logging.getLogger(__name__)
State = BookBuild.State
PAGE = {Book.PageSize.A5: (148, 210), Book.PageSize.K16: (185, 260)}  # millimetres
PHOTO_THREADS = 2


@dataclass
class BookStory:
    publication_id: int
    case_id: int
    title: str
    enterprise: str
    region: str
    industry: str
    body: str
    photo_name: str = ""
    scaled: Future | None = None  # its print-size copy, being made (book_build)

    @property
    def photo(self) -> Path | None:
        """The print-size copy of the photo once it is made; None without a photo or when it is unreadable."""
        return self.scaled.result() if self.scaled is not None else None

    @property
    def anchor(self) -> str:
        return f"story-{self.publication_id}"

    @property
    def html(self) -> str:
        return mark_safe(self.body)  # the sanitised subset, frozen when the centre approved it


@dataclass
class Chapter:
    province: str
    code: str
    stories: list[BookStory] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"province-{self.code}"


def national_list(campaign) -> LockedList | None:
    found = Round.plain.filter(programme__campaign=campaign, kind=Kind.NATIONAL_STORY).first()
    return LockedList.plain.filter(round=found, withdrawn_at__isnull=True).first() if found else None


def chapters_of(campaign) -> tuple[list[Chapter], list[int]]:
    """The book's chapters (provinces by code, stories in the list's order) and the listed cases without a published
    story yet (the book leaves them out and the page says which)."""
    locked = national_list(campaign)
    if locked is None:
        return [], []
    order = {case_id: n for n, case_id in enumerate(locked.case_ids)}
    story_case = dict(Story.plain.filter(case_id__in=order).values_list("pk", "case_id"))
    published = (Publication.public().filter(campaign=campaign, kind=Publication.Kind.STORY,
                                             object_id__in=story_case).select_related("org"))
    by_case = {}
    for p in published:
        by_case[story_case[p.object_id]] = p
    sections = dict(Case.plain.filter(pk__in=by_case).values_list("pk", "enterprise__industry_section"))
    chapters: dict[str, Chapter] = {}
    for case_id in sorted(by_case, key=lambda c: (by_case[c].org.code, order[c])):
        p = by_case[case_id]
        chapter = chapters.setdefault(p.org.code, Chapter(p.org.name, p.org.code))
        media = p.media[0]["name"] if p.media and p.media[0]["type"].startswith("image/") else ""
        chapter.stories.append(BookStory(p.pk, case_id, p.title, p.content.get("enterprise", ""),
                                      p.content.get("region", ""), sections.get(case_id) or "",
                                      p.content.get("body", ""), media))
    missing = [c for c in locked.case_ids if c not in by_case]
    return list(chapters.values()), missing


def industry_index(chapters: list[Chapter]) -> list[tuple[str, list[BookStory]]]:
    groups: dict[str, list[BookStory]] = {}
    for chapter in chapters:
        for story in chapter.stories:
            groups.setdefault(story.industry or "~", []).append(story)
    return [(section_label(code) or _("其他行业"), groups[code]) for code in sorted(groups)]


# -- Word ------------------------------------------------------------------------------------------------------

def write_docx(book: Book, chapters: list[Chapter], preface: str, progress) -> bytes:
    doc = Document()
    style_document(doc, size=11)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)
    width, height = PAGE[book.page_size]
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(width / 10), Cm(height / 10)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    cover = doc.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_before = Pt(150)
    add_run(cover, book.title, bold=True).font.size = Pt(28)
    year = doc.add_paragraph()
    year.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(year, _("%(year)s年企业典型创新案例征集及宣讲活动") % {"year": book.campaign.year})
    doc.add_section(WD_SECTION.NEW_PAGE)
    add_run(doc.add_paragraph(), _("前言"), bold=True).font.size = Pt(16)
    body = WordBody(doc)
    body.feed(preface or "<p></p>")
    body.close()
    doc.add_section(WD_SECTION.NEW_PAGE)
    add_run(doc.add_paragraph(), _("目录"), bold=True).font.size = Pt(16)
    toc_field(doc.add_paragraph())
    done = 0
    for chapter in chapters:
        h = doc.add_heading(level=1)
        h.paragraph_format.page_break_before = True
        add_run(h, chapter.province)
        for story in chapter.stories:
            s = doc.add_heading(level=2)
            s.paragraph_format.page_break_before = True
            add_run(s, story.title)
            meta = doc.add_paragraph()
            add_run(meta, f"{story.enterprise}　{story.region}", italic=True)
            if story.photo is not None:
                doc.add_picture(str(story.photo), width=Cm(min(12, width / 10 - 4)))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            parser = WordBody(doc)
            parser.feed(story.body)
            parser.close()
            done += 1
            progress(done)
    h = doc.add_heading(level=1)
    h.paragraph_format.page_break_before = True
    add_run(h, _("行业索引"))
    for label, stories in industry_index(chapters):
        add_run(doc.add_paragraph(), label, bold=True)
        for story in stories:
            add_run(doc.add_paragraph(style="List Bullet"), f"{story.title}（{story.enterprise}）")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- PDF -------------------------------------------------------------------------------------------------------

def write_pdf(book: Book, chapters: list[Chapter], preface: str) -> tuple[bytes, int]:
    from weasyprint import HTML

    files = {str(s.publication_id): s.photo for c in chapters for s in c.stories if s.photo is not None}
    width, height = PAGE[book.page_size]
    html = render_to_string("book/book_pdf.html", {
        "book": book, "chapters": chapters, "preface": mark_safe(preface), "index": industry_index(chapters),
        "width": width, "height": height, "bleed": book.bleed_mm,
        "count": sum(len(c.stories) for c in chapters)})
    document = HTML(string=html, base_url=None, url_fetcher=own_files_fetcher(files)).render()
    return document.write_pdf(), len(document.pages)


# -- the build -------------------------------------------------------------------------------------------------

def _update(build_id: int, **fields) -> None:
    BookBuild.plain.filter(pk=build_id).update(**fields)


def book_build(build_id: int) -> BookBuild | None:
    """Build one queued build; a build already started or finished is left alone (a task run twice builds once)."""
    with transaction.atomic():
        build = (BookBuild.plain.select_for_update().select_related("book__campaign", "book__org")
                 .filter(pk=build_id).first())
        if build is None or build.state != State.QUEUED:
            return build
        build.state, build.stage, build.started_at = State.BUILDING, "word", timezone.now()
        build.save(update_fields=["state", "stage", "started_at"])
    book = build.book
    try:
        chapters, _missing = chapters_of(book.campaign)
        stories = [s for c in chapters for s in c.stories]
        _update(build_id, total=len(stories), done=0, layout={
            "title": book.title, "page_size": book.page_size, "bleed_mm": book.bleed_mm},
            contents=[{"publication": s.publication_id, "case": s.case_id, "title": s.title, "province": c.province}
                      for c in chapters for s in c.stories])
        # The photos are scaled on two threads while the .docx is written, which waits for each story's photo in
        # turn: Pillow lets go of the GIL while it decodes, scales and encodes, so on two cores the photos and the
        # .docx take 1.2 s instead of 3.0 s.
        with (tempfile.TemporaryDirectory(prefix="book-") as folder,
              ThreadPoolExecutor(PHOTO_THREADS, thread_name_prefix="book-photo") as scaler):
            for story in stories:
                if story.photo_name:
                    story.scaled = scaler.submit(print_photo, story.photo_name, Path(folder), story.publication_id)
            docx = write_docx(book, chapters, book.preface, lambda n: _update(build_id, done=n))
            problem = pdf_unavailable()
            pdf, pages = b"", None
            if problem is None:
                _update(build_id, stage="pdf")
                pdf, pages = write_pdf(book, chapters, book.preface)
        _update(build_id, stage="saving")
        build.refresh_from_db()
        store_documents(build, f"story-book-{book.campaign.year}-{build.number}", docx, pdf, pages, problem)
    except Exception:
        log.exception("story book build %s failed", build_id)
        _update(build_id, state=State.FAILED, finished_at=timezone.now(),
                problem=_("生成时出错，请稍后重新生成；如仍失败，请联系技术支持"))
        raise
    return build
