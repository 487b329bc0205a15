"""GB/T 4754-2017 as shipped data: 20 门类, 97 大类, each 大类 under exactly one 门类."""

import json
import re

from apps.enterprises import industry


def test_the_data_file_names_its_source():
    raw = json.loads(industry.DATA_FILE.read_text(encoding="utf-8"))
    assert "GB/T 4754-2017" in raw["source"]


def test_there_are_twenty_sections_a_to_t():
    codes = [s.code for s in industry.sections()]
    assert codes == list("ABCDEFGHIJKLMNOPQRST")
    assert industry.section("C").name == "制造业"
    assert industry.section("I").name == "信息传输、软件和信息技术服务业"


def test_there_are_ninety_seven_divisions_01_to_97():
    codes = [d.code for d in industry.divisions()]
    assert codes == [f"{n:02d}" for n in range(1, 98)]
    assert all(re.fullmatch(r"\d\d", c) for c in codes)
    assert all(d.name for d in industry.divisions())


def test_each_division_belongs_to_exactly_one_known_section():
    raw = json.loads(industry.DATA_FILE.read_text(encoding="utf-8"))
    sections = {s["code"] for s in raw["sections"]}
    seen: dict[str, str] = {}
    for d in raw["divisions"]:
        assert d["section"] in sections
        assert d["code"] not in seen, f"大类{d['code']}出现两次"
        seen[d["code"]] = d["section"]
    # Divisions run in blocks: a section's divisions are consecutive codes.
    order = [seen[f"{n:02d}"] for n in range(1, 98)]
    blocks = [s for i, s in enumerate(order) if i == 0 or order[i - 1] != s]
    assert blocks == list("ABCDEFGHIJKLMNOPQRST")


def test_known_divisions_sit_under_their_sections():
    assert industry.division("34").section == "C" and industry.division("34").name == "通用设备制造业"
    assert industry.division("65").section == "I"
    assert industry.division("73").section == "M"
    assert industry.division("97").section == "T"
    assert len(industry.divisions("C")) == 31
    assert industry.division("98") is None


def test_grouped_choices_hold_every_division_once():
    flat = [code for _label, options in industry.division_choices() for code, _name in options]
    assert flat == [f"{n:02d}" for n in range(1, 98)]
