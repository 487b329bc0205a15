"""The rich text of written stories (R-305): a plain, safe subset, sanitised with nh3 (the Rust ammonia library).

Allowed: paragraphs, line breaks, bold, italic, level-3 and level-4 headings, lists, quotations and links to
http(s) addresses. Everything else goes: scripts, styles, event handlers, `javascript:` links, images (the story's
photo is its own upload). Plain text without tags becomes paragraphs (one per blank-line block)."""

from __future__ import annotations

import difflib
import html
import re

import nh3

TAGS = {"p", "br", "strong", "em", "b", "i", "h3", "h4", "ul", "ol", "li", "blockquote", "a"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https"}


def clean(text: str) -> str:
    """The safe HTML of what was typed or pasted."""
    text = (text or "").strip()
    if text and "<" not in text:
        blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
        text = "".join(f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)
    return nh3.clean(text, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True).strip()


def plain(body: str) -> str:
    """The words of a story without its markup, paragraph by paragraph (for lengths and comparisons)."""
    text = re.sub(r"</(p|h3|h4|li|blockquote)>|<br\s*/?>", "\n", body)
    return html.unescape(nh3.clean(text, tags=set())).strip()


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, line) of the change from `old` to `new`, by paragraph: kind is "+" added, "-" removed, " " kept."""
    out = []
    for line in difflib.ndiff(plain(old).splitlines(), plain(new).splitlines()):
        if line.startswith(("+ ", "- ", "  ")):
            out.append((line[0], line[2:]))
    return out
