"""What PDF documents need of the server, and a resource fetcher that reads only the files a document names.

WeasyPrint lays PDFs out with Pango and embeds a subset of every font it used. Two things can be missing on a
server: Pango itself (WeasyPrint then fails to import) and a font with Chinese glyphs (the PDF would print empty
boxes). `pdf_unavailable()` says which, in words an official reads, so a document that has a Word version can still
be built and say why its PDF is missing, instead of printing boxes or failing.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _


@functools.cache
def _missing() -> str:
    try:
        import weasyprint  # noqa: F401  (loads Pango)
    except OSError:
        return "pango"
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return "fonts"
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    return "" if found.strip() else "fonts"


def pdf_unavailable() -> str | None:
    """None when this server can make PDFs with Chinese text, else why not (for the official who asked for one)."""
    missing = _missing()
    if missing == "pango":
        return _("本服务器未安装PDF排版组件（Pango），未生成PDF版；Word版已生成")
    if missing == "fonts":
        return _("本服务器未安装中文字体，未生成PDF版；Word版已生成")
    return None


def own_files_fetcher(files: dict[str, Path]):
    """A WeasyPrint URL fetcher that serves `files` (name → local path, the document refers to them as
    "own:NAME") and refuses every other URL, so no text in a document can make the server fetch anything."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFiles(URLFetcher):
        def fetch(self, url, headers=None):
            name = url.removeprefix("own:")
            path = files.get(name) if url.startswith("own:") else None
            if path is None:
                raise ValueError(f"Not a file of this document: {url[:80]}")
            kind = "image/png" if path.suffix == ".png" else "image/jpeg"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return OwnFiles(allowed_protocols=("own",))
