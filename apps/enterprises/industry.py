"""GB/T 4754-2017 国民经济行业分类: the 20 门类 (sections A–T) and 97 大类 (divisions 01–97).

The codes and names are read from apps/enterprises/data/gb4754.json, written from the public
standard's text (see its "source" line). An enterprise records one 门类 and one 大类 of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "gb4754.json"


@dataclass(frozen=True)
class Section:
    code: str  # "C"
    name: str  # 制造业


@dataclass(frozen=True)
class Division:
    code: str  # "34"
    name: str  # 通用设备制造业
    section: str  # "C"


@dataclass(frozen=True)
class Classification:
    source: str
    sections: dict[str, Section]
    divisions: dict[str, Division]


@lru_cache(maxsize=1)
def classification() -> Classification:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    sections = {s["code"]: Section(s["code"], s["name"]) for s in raw["sections"]}
    divisions = {d["code"]: Division(d["code"], d["name"], d["section"]) for d in raw["divisions"]}
    return Classification(raw["source"], sections, divisions)


def sections() -> list[Section]:
    return list(classification().sections.values())


def divisions(section: str | None = None) -> list[Division]:
    found = classification().divisions.values()
    return [d for d in found if section is None or d.section == section]


def section(code: str) -> Section | None:
    return classification().sections.get(code or "")


def division(code: str) -> Division | None:
    return classification().divisions.get(code or "")


def section_label(code: str) -> str:
    found = section(code)
    return f"{found.code} {found.name}" if found else ""


def division_label(code: str) -> str:
    found = division(code)
    return f"{found.code} {found.name}" if found else ""


def section_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.code} {s.name}") for s in sections()]


def division_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped by 门类, for a <select> with <optgroup>s."""
    return [(f"{s.code} {s.name}", [(d.code, f"{d.code} {d.name}") for d in divisions(s.code)]) for s in sections()]
