"""One word for each thing (docs/glossary.md): the UI catalogue uses no banned variant, and each page of the
navigation is called the same in the menu, its title and its heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def banned_variants() -> list[tuple[re.Pattern, str]]:
    """(banned, preferred) pairs from the glossary's table rows: | preferred | banned、banned | meaning |; a
    banned word written between slashes is a regular expression."""
    pairs = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[1] in ("不用", "") or set(cells[1]) <= {"-"}:
            continue
        banned_cell = cells[1]
        words = [banned_cell[1:-1]] if banned_cell.startswith("/") else [re.escape(w) for w in banned_cell.split("、")]
        pairs.extend((re.compile(word), cells[0]) for word in words)
    return pairs


def msgids(text: str) -> list[str]:
    found = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        parts = re.findall(r'^msgid "(.*)"$|^"(.*)"$', block.split("msgstr")[0], re.M)
        found.append("".join(a or b for a, b in parts))
    return [m for m in found if m]


def test_the_glossary_names_banned_variants():
    by_word = {preferred: pattern for pattern, preferred in banned_variants()}
    assert by_word["件"].search("%(n)d个案例待评分") and not by_word["件"].search("每个案例的评审专家数")
    assert by_word["未通过"].search("所选案例不通过")


def test_no_catalogue_entry_uses_a_banned_variant():
    entries = msgids(PO.read_text(encoding="utf-8"))
    assert len(entries) > 500
    offending = [(preferred, m) for banned, preferred in banned_variants() for m in entries if banned.search(m)]
    assert offending == []


def test_a_banned_variant_in_the_catalogue_is_caught():
    sample = 'msgid "所选案例不通过"\nmsgstr "x"\n\nmsgid "%(n)d个案例待评分"\nmsgstr "y"'
    caught = {preferred for banned, preferred in banned_variants() for m in msgids(sample) if banned.search(m)}
    assert caught == {"未通过", "件"}


def _text(html: str) -> str:
    html = re.sub(r'<span class="(?:rule|badge)[^"]*">.*?</span>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


@pytest.mark.parametrize("who", ["xihu_park_admin", "xihu_admin", "zhejiang_admin", "center_admin"])
def test_each_menu_entry_leads_to_a_page_of_the_same_name(world, who):
    client = Client()
    client.force_login(getattr(world, who))
    nav = re.search(r'<nav class="mainnav".*?</nav>', client.get("/").content.decode(), re.S).group(0)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    assert len(links) >= 8
    for href, label in links:
        page = client.get(href, follow=True).content.decode()
        title = re.search(r"<title>(.*?) · ", page, re.S).group(1).strip()
        h1 = _text(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))
        assert (label, title, h1) == (label, label, label), href
