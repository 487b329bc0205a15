"""The province's case collection (案例集, R-306): its reviewed stories, in the order of the provincial list, each with
its case, enterprise, region and photo, as a Word document (for editors) and as a PDF (for any medium).

`collection_build` is what the background task runs (apps/publicity/tasks.py). It writes its progress on the
`CaseCollection` row as it goes (each update commits at once: the task runs outside any request's transaction), so
the page that polls the row shows how far the build is. Photos are scaled once to print size (at most 1,800 px on
the long side, about 300 dpi across a page) into a temporary folder that both documents read: a build of 100 stories
with 5-MB photos holds one photo in memory at a time.

The PDF is laid out by WeasyPrint from apps/publicity/templates/publicity/collection_pdf.html: A4, the cover, the
table of contents whose page numbers WeasyPrint computes from the links to each story (`target-counter`), each
story on a new page, running heads and page numbers. It embeds the subset of the CJK font it used. Story bodies are
the sanitised subset of apps/publicity/stories.py; the renderer fetches nothing but the build's own photos.
"""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from PIL import Image, ImageOps

from apps.core.builds import store_documents
from apps.core.pdf import own_files_fetcher, pdf_unavailable
from apps.core.word import add_run, style_document
from apps.publicity.models import CaseCollection, Story
from apps.publicity.selectors import province_list_cases

log = logging.getLogger(__name__)
PHOTO_EDGE = 1800  # pixels on the long side
PHOTO_WIDTH_CM = 14
State, Stage = CaseCollection.State, CaseCollection.Stage


@dataclass
class Entry:
    """One story of the collection, as printed."""

    story_id: int
    case_id: int
    version: int
    title: str
    form: str
    enterprise: str
    region: str
    body: str  # sanitised HTML
    photo_name: str = ""  # the stored photo, if any
    photo: Path | None = None  # its print-size copy, once made

    @property
    def html(self) -> str:
        return mark_safe(self.body)  # sanitised when the story was saved (apps/publicity/stories.clean)

    @property
    def anchor(self) -> str:
        return f"story-{self.story_id}"


def entries_of(programme) -> list[Entry]:
    """The province's reviewed stories of cases still on its live provincial list, in the list's order."""
    order = {case.pk: n for n, case in enumerate(province_list_cases(programme))}
    stories = (Story.plain.filter(programme=programme, state=Story.State.REVIEWED, case_id__in=order)
               .select_related("case__enterprise", "case__county__parent"))
    out = []
    for story in sorted(stories, key=lambda s: order[s.case_id]):
        county = story.case.county  # "杭州市西湖区", "上海市浦东新区"
        region = f"{county.parent.name}{county.name}" if county.parent else county.name
        out.append(Entry(story.pk, story.case_id, story.version, story.title, story.get_form_display(),
                         story.case.enterprise.name, region, story.body, story.photo.name if story.photo else ""))
    return out


def print_photo(name: str, folder: Path, key: int) -> Path | None:
    """A print-size JPEG copy of a stored photo, upright and in RGB; None when the file is gone or unreadable."""
    from django.core.files.storage import default_storage

    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
            image.draft("RGB", (PHOTO_EDGE, PHOTO_EDGE))  # a JPEG decodes at a reduced scale: much faster
            # In place, and no conversion of what is RGB already: the same file without two copies of the pixels
            # (for a 3,000 × 2,000 photo 24 MB, and 90 ms become 60).
            ImageOps.exif_transpose(image, in_place=True)
            image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            path = folder / f"{key}.jpg"
            (image if image.mode == "RGB" else image.convert("RGB")).save(path, "JPEG", quality=85, optimize=True)
            return path
    except (OSError, ValueError):
        log.warning("collection photo %s unreadable", name)
        return None


# -- Word ------------------------------------------------------------------------------------------------------

class WordBody(HTMLParser):
    """The sanitised story body as Word paragraphs: p, h3, h4, li (bulleted or numbered), blockquote; strong/b
    and em/i as bold and italic runs; br as a line break; a link's text (its address in brackets)."""

    BLOCKS = {"p": "Normal", "h3": "Heading 3", "h4": "Heading 4", "blockquote": "Quote"}

    def __init__(self, doc):
        super().__init__(convert_charrefs=True)
        self.doc, self.paragraph, self.bold, self.italic, self.lists, self.href = doc, None, 0, 0, [], None

    def _open(self, style: str):
        # A paragraph without a style is Normal, the same XML as naming it; python-docx looks a named style up
        # with XPath queries, half a millisecond a paragraph (0.3 s of the 0.8 s a 100-story book took in Word).
        self.paragraph = self.doc.add_paragraph(style=None if style == "Normal" else style)
        if style == "Normal":
            self.paragraph.paragraph_format.first_line_indent = Pt(24)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._open(self.BLOCKS[tag])
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self._open("List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break(WD_BREAK.LINE)
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS or tag == "li":
            self.paragraph = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a" and self.href:
            if self.paragraph is not None:
                add_run(self.paragraph, f"（{self.href}）")
            self.href = None

    def handle_data(self, data):
        if not data.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self._open("Normal")
        add_run(self.paragraph, data, bold=self.bold > 0, italic=self.italic > 0)


def toc_field(paragraph) -> None:
    """A Word table-of-contents field over heading 1 (Word fills in the page numbers when the file is opened)."""
    run = paragraph.add_run()
    begin, code, separate, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar"),
                                  OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    code.set(qn("xml:space"), "preserve")
    code.text = 'TOC \\o "1-1" \\h \\z \\u'
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    placeholder = OxmlElement("w:t")
    placeholder.text = _("（打开文件时请更新目录）")
    for element in (begin, code, separate):
        run._r.append(element)
    run._r.append(placeholder)
    run._r.append(end)


def write_docx(title: str, subtitle: str, entries: list[Entry], progress: Callable[[int], None]) -> bytes:
    doc = Document()
    style_document(doc, size=11)
    # Word asks to update fields (the table of contents) when the document opens.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.header.paragraphs[0].text = ""
    add_run(section.header.paragraphs[0], title)

    cover = doc.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_before = Pt(180)
    add_run(cover, title, bold=True).font.size = Pt(26)
    line = doc.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(line, subtitle).font.size = Pt(14)

    doc.add_section(WD_SECTION.NEW_PAGE)
    heading = doc.add_paragraph()
    add_run(heading, _("目录"), bold=True).font.size = Pt(16)
    toc_field(doc.add_paragraph())

    for n, entry in enumerate(entries, start=1):
        h = doc.add_heading(level=1)
        h.paragraph_format.page_break_before = True
        add_run(h, entry.title)
        meta = doc.add_paragraph()
        add_run(meta, _("%(enterprise)s　%(region)s　%(form)s") % {
            "enterprise": entry.enterprise, "region": entry.region, "form": entry.form}, italic=True)
        if entry.photo is not None:
            doc.add_picture(str(entry.photo), width=Cm(PHOTO_WIDTH_CM))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        parser = WordBody(doc)
        parser.feed(entry.body)
        parser.close()
        progress(n)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- PDF -------------------------------------------------------------------------------------------------------

def write_pdf(title: str, subtitle: str, entries: list[Entry]) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML

    files = {str(e.story_id): e.photo for e in entries if e.photo is not None}
    html = render_to_string("publicity/collection_pdf.html", {
        "title": title, "subtitle": subtitle, "entries": entries})
    document = HTML(string=html, base_url=None, url_fetcher=own_files_fetcher(files)).render()
    return document.write_pdf(), len(document.pages)


# -- the build -------------------------------------------------------------------------------------------------

def _update(collection_id: int, **fields) -> None:
    CaseCollection.plain.filter(pk=collection_id).update(**fields)


def titles_of(collection: CaseCollection) -> tuple[str, str]:
    programme = collection.programme
    title = _("%(org)s企业典型创新案例集") % {"org": programme.org.name}
    subtitle = _("%(year)s年企业典型创新案例征集及宣讲活动　%(date)s") % {
        "year": programme.campaign.year, "date": date_format(timezone.localdate(), "Y年n月j日")}
    return title, subtitle


def collection_build(collection_id: int) -> CaseCollection:
    """Build one queued collection: Word, then PDF (when this server can), then store both with their SHA-256. A
    build already started or finished is left alone (a task run twice builds once). A failure marks the build
    failed, with a message for the official, and is raised again for the worker's record."""
    with transaction.atomic():
        collection = (CaseCollection.plain.select_for_update().select_related("programme__org", "programme__campaign")
                      .filter(pk=collection_id).first())
        if collection is None or collection.state != State.QUEUED:
            return collection
        collection.state, collection.stage, collection.started_at = State.BUILDING, Stage.WORD, timezone.now()
        collection.save(update_fields=["state", "stage", "started_at"])
    try:
        entries = entries_of(collection.programme)
        _update(collection_id, total=len(entries), done=0, contents=[
            {"story": e.story_id, "case": e.case_id, "version": e.version, "title": e.title} for e in entries])
        title, subtitle = titles_of(collection)
        with tempfile.TemporaryDirectory(prefix="collection-") as folder:
            for entry in entries:
                entry.photo = print_photo(entry.photo_name, Path(folder), entry.story_id)
            docx = write_docx(title, subtitle, entries, lambda n: _update(collection_id, done=n))
            problem = pdf_unavailable()
            pdf, pages = b"", None
            if problem is None:
                _update(collection_id, stage=Stage.PDF)
                pdf, pages = write_pdf(title, subtitle, entries)
        _update(collection_id, stage=Stage.SAVING)
        collection.refresh_from_db()
        store_documents(collection, f"case-collection-{collection.programme.org.code}-{collection.number}", docx,
                        pdf, pages, problem)
    except Exception:
        log.exception("case collection %s failed", collection_id)
        _update(collection_id, state=State.FAILED, finished_at=timezone.now(),
                problem=_("生成时出错，请稍后重新生成；如仍失败，请联系技术支持"))
        raise
    return collection
