"""Reading generated PDFs back with poppler's pdftotext, pdfinfo and pdffonts (Debian's poppler-utils), so a test
sees what a reader of the file sees: its text, its pages and its fonts."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

POPPLER = ("pdftotext", "pdfinfo", "pdffonts")


def poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install Debian's poppler-utils (scripts/system-deps.sh)")


def pdf_text(pdf: bytes) -> str:
    poppler()
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    poppler()
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def pdf_fonts(pdf: bytes) -> list[tuple[str, str]]:
    """(name, embedded "yes"/"no") of every font the PDF uses."""
    poppler()
    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    fonts = []
    for line in listing.splitlines()[2:]:
        columns = line.split()
        # name type... encoding emb sub uni object-id generation: "emb" is the 5th column from the end.
        fonts.append((columns[0], columns[-5]))
    return fonts


def pdf_page_texts(pdf: bytes) -> list[str]:
    """The text of each page, in reading order (pdftotext separates pages by form feeds)."""
    poppler()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return text.split("\f")[:pdf_pages(pdf)]
