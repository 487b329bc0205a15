"""Chinese first, English second: every UI string has an English entry, and pages switch language."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def untranslated(text: str) -> list[str]:
    missing = []
    for block in text.split("\n\n")[1:]:
        if block.startswith("#~"):
            continue
        msgid = "".join(re.findall(r'^msgid "(.*)"$|^"(.*)"$', block, re.M)[0])
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        if not strings or any(not (head + tail.replace('\n"', "").replace('"', "")) for head, tail in strings):
            missing.append(msgid or block[:80])
        if "#, fuzzy" in block:
            missing.append(f"fuzzy: {block[:80]}")
    return missing


def test_every_ui_string_has_an_english_translation():
    assert untranslated(PO.read_text(encoding="utf-8")) == []


def test_pages_follow_the_browsers_language(client, tree):
    client.force_login(tree.hangzhou_admin)
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "待办事项" in chinese
    assert "To-do items" in english and "待办事项" not in english
