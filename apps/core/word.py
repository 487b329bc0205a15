"""Word documents with Chinese text: styles and runs that name an East Asian font, so Word and LibreOffice do not
fall back to a Latin font for the Chinese characters."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Pt

# Word on Chinese Windows has SimSun; LibreOffice maps it to Noto Serif CJK SC when that is installed.
CJK_FONT = "SimSun"
LATIN_FONT = "Times New Roman"
STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Table Grid", "List Bullet",
          "List Number", "Quote", "Caption")


def set_fonts(element) -> None:
    """Latin and East Asian fonts on a style's or a run's rPr."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def style_document(doc, size: int = 12) -> None:
    for name in STYLES:
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        set_fonts(style.element)
    doc.styles["Normal"].font.size = Pt(size)


def add_run(paragraph, text: str, *, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    set_fonts(run._element)
    return run
