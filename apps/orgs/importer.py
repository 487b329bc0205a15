"""Import the tree below a province from an Excel file (issue 3 item 2). All or nothing.

Columns: 级别 (市 / 区县 / 园区科协 / 企业科协), 单位代码, 单位名称, 上级单位代码.

- A city or county is named by its 6-digit GB/T 2260 code, which must exist in the region
  data (apps/orgs/regions.py) and lie under the province; an empty name takes the official one.
- A park or enterprise association may leave its code empty: it gets `<county code>-P001`,
  `-E001`, … (the next free number under that county).
- Each row's parent is an existing org of the province or a row earlier in the file, and it
  is of the level right above (city under the province, county under a city, association
  under a county).
- A row that names an org already present with the same level, parent and name (or an empty
  name) is skipped as "already present", so the same file can be uploaded twice; a code that
  exists with anything different is an error. An association without a code is "already
  present" when its county already has one of that level with that name.
- Every row is checked first; if any row is bad, every bad row is reported as
  「第7行：上级单位代码330199不存在」 and nothing is written. Otherwise all new orgs are
  created in one transaction (bulk, level by level, with their paths and depths) and one
  summary audit row `org.import` names the file's SHA-256 and every created code.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import NotFound, ensure
from apps.orgs import permissions
from apps.orgs.excel import build_workbook, open_xlsx, read_rows
from apps.orgs.models import Org, User
from apps.orgs.regions import Region, children_of, region

COL_LEVEL, COL_CODE, COL_NAME, COL_PARENT = "级别", "单位代码", "单位名称", "上级单位代码"
COLUMNS = (COL_LEVEL, COL_CODE, COL_NAME, COL_PARENT)
LEVELS = {
    "市": Org.Kind.CITY,
    "区县": Org.Kind.COUNTY,
    "园区科协": Org.Kind.PARK,
    "企业科协": Org.Kind.ENTERPRISE,
}
MAX_ROWS = 20_000
NAME_MAX = 100
REGION_RE = re.compile(r"^\d{6}$")
CODE_RE = re.compile(r"^[0-9A-Z-]{2,32}$")
# The values people type in the 级别 column: the template is Chinese in every language, so these stay untranslated.
REGION_LEVEL_LABEL = {"province": "省", "city": "市", "county": "区县"}
SUFFIX = {Org.Kind.PARK: "P", Org.Kind.ENTERPRISE: "E"}
CHUNK = 900  # below SQLite's old 999-variable limit


@dataclass
class _Row:
    number: int
    kind: str
    code: str
    name: str
    parent_code: str
    region_code: str = ""
    name_given: bool = True
    skip: bool = False  # already present


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)  # kind → count
    skipped: int = 0
    codes: list[str] = field(default_factory=list)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    def by_level(self) -> list[tuple[str, int]]:
        """(level label, count) for each level, in tree order."""
        return [(Org.Kind(k).label, self.created.get(k, 0)) for k in LEVELS.values()]


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _province_code_of(reg: Region) -> str | None:
    seen = 0
    while reg.parent_code is not None and seen < 4:
        parent = region(reg.parent_code)
        if parent is None:
            return None
        reg, seen = parent, seen + 1
    return reg.code if reg.level == "province" else None


class _Checker:
    """Collects every problem of every row; rows are reported in file order."""

    def __init__(self, province: Org):
        self.province = province
        self.errors: dict[int, list[str]] = defaultdict(list)

    def bad(self, row_number: int, message: str) -> None:
        self.errors[row_number].append(message)

    def messages(self) -> list[str]:
        return [
            _("第%(n)d行：%(reasons)s") % {"n": n, "reasons": "；".join(reasons)}
            for n, reasons in sorted(self.errors.items())
        ]

    # First pass: each row on its own.
    def parse(self, sheet_row) -> _Row | None:
        n = sheet_row.number
        values = sheet_row.values
        level = values[COL_LEVEL]
        code = values[COL_CODE].upper()
        name = values[COL_NAME]
        parent_code = values[COL_PARENT].upper()
        if not level:
            self.bad(n, _("请填写级别（市、区县、园区科协或企业科协）"))
            return None
        kind = LEVELS.get(level)
        if kind is None:
            self.bad(n, _("级别“%(level)s”不正确，应为市、区县、园区科协或企业科协") % {"level": level})
            return None
        row = _Row(n, kind.value, code, name, parent_code, name_given=bool(name))
        if kind in Org.ADMINISTRATIVE:
            self._parse_region(row)
        else:
            if code and not CODE_RE.match(code):
                self.bad(n, _("单位代码“%(code)s”只能包含数字、大写字母和“-”，长度2至32位；也可留空由系统生成")
                         % {"code": code})
            if not name:
                self.bad(n, _("请填写单位名称"))
        if len(row.name) > NAME_MAX:
            self.bad(n, _("单位名称超过%(max)d个字") % {"max": NAME_MAX})
        if not row.parent_code:
            # A city's parent is the province; so is a district's in a municipality (直辖市), which has no cities.
            if kind == Org.Kind.CITY or (kind == Org.Kind.COUNTY and self.province.is_municipality):
                row.parent_code = self.province.code
            else:
                self.bad(n, _("请填写上级单位代码"))
        return row

    def _parse_region(self, row: _Row) -> None:
        n, code = row.number, row.code
        want = "city" if row.kind == Org.Kind.CITY else "county"
        if not code:
            self.bad(n, _("请填写单位代码（6位行政区划代码，如330100）"))
            return
        if not REGION_RE.match(code):
            self.bad(n, _("单位代码“%(code)s”应为6位行政区划代码（GB/T 2260），如330100") % {"code": code})
            return
        reg = region(code)
        if reg is None:
            self.bad(n, _("单位代码%(code)s不是有效的行政区划代码（GB/T 2260），请核对") % {"code": code})
            return
        if _province_code_of(reg) != (self.province.region_code or self.province.code):
            self.bad(n, _("%(code)s（%(name)s）不属于%(province)s")
                     % {"code": code, "name": reg.name, "province": self.province.name})
            return
        if reg.level != want:
            self.bad(n, _("%(code)s（%(name)s）是%(actual)s级代码，级别应填“%(actual)s”")
                     % {"code": code, "name": reg.name, "actual": REGION_LEVEL_LABEL[reg.level]})
            return
        row.region_code = code
        if not row.name:
            row.name = reg.name


def _existing(codes: set[str]) -> dict[str, Org]:
    found: dict[str, Org] = {}
    for chunk in _chunks(sorted(codes)):
        for org in Org.plain.filter(code__in=chunk).select_related("parent"):
            found[org.code] = org
    return found


def _check_tree(check: _Checker, rows: list[_Row]) -> None:
    """Second pass: duplicates, existing codes, parents (existence, order, level, region)."""
    province = check.province
    first_at: dict[str, _Row] = {}
    for row in rows:
        if not row.code:
            continue
        if row.code in first_at:
            check.bad(row.number, _("单位代码%(code)s与第%(other)d行重复")
                      % {"code": row.code, "other": first_at[row.code].number})
        else:
            first_at[row.code] = row

    existing = _existing({r.code for r in rows if r.code} | {r.parent_code for r in rows if r.parent_code})

    for row in rows:
        n = row.number
        # The parent: an org of this province, or a row above this one.
        parent_kind = None
        parent_label = row.parent_code
        if row.parent_code:
            in_db = existing.get(row.parent_code)
            in_file = first_at.get(row.parent_code)
            if in_db is not None:
                parent_label = f"{in_db.code}（{in_db.name}）"
                if not in_db.is_under(province):
                    check.bad(n, _("上级单位%(parent)s不属于%(province)s")
                              % {"parent": parent_label, "province": province.name})
                else:
                    parent_kind = in_db.kind
            elif in_file is not None and in_file.number < n:
                parent_kind = in_file.kind
                parent_label = f"{in_file.code}（{in_file.name}）" if in_file.name else in_file.code
            elif in_file is not None:
                check.bad(n, _("上级单位%(parent)s在第%(other)d行，应排在本行之前")
                          % {"parent": row.parent_code, "other": in_file.number})
            else:
                check.bad(n, _("上级单位代码%(parent)s不存在") % {"parent": row.parent_code})
        # A municipality's (直辖市) districts sit directly under it; elsewhere a county sits under a city.
        wanted = Org.PARENT_KIND[Org.Kind(row.kind)]
        if row.kind == Org.Kind.COUNTY and province.is_municipality:
            wanted = Org.Kind.PROVINCE
        if parent_kind is not None and parent_kind != wanted:
            check.bad(n, _("%(kind)s的上级单位必须是%(wanted)s，%(parent)s是%(actual)s")
                      % {"kind": Org.Kind(row.kind).label, "wanted": Org.Kind(wanted).label,
                         "parent": parent_label, "actual": Org.Kind(parent_kind).label})
        elif parent_kind is not None and row.kind == Org.Kind.COUNTY and row.region_code:
            reg = region(row.region_code)
            if reg is not None and reg.parent_code != row.parent_code:
                check.bad(n, _("%(code)s（%(name)s）不在上级单位%(parent)s辖区内，其上级应为%(right)s")
                          % {"code": row.code, "name": reg.name, "parent": parent_label, "right": reg.parent_code})

        # The org itself may already exist: identical → skipped; different → an error.
        same = existing.get(row.code) if row.code else None
        if same is not None and first_at.get(row.code) is row:
            identical = (same.kind == row.kind
                         and (same.parent.code if same.parent else "") == row.parent_code
                         and (not row.name_given or row.name == same.name))
            if identical:
                row.skip = True
            else:
                check.bad(n, _("单位代码%(code)s已存在（%(name)s，%(kind)s，上级单位%(parent)s），与本行不一致")
                          % {"code": row.code, "name": same.name, "kind": same.get_kind_display(),
                             "parent": same.parent.code if same.parent else "—"})

    _check_codeless(check, rows)


def _check_codeless(check: _Checker, rows: list[_Row]) -> None:
    """Associations without a code: a county holds one of each level and name."""
    codeless = [r for r in rows if not r.code and r.kind in Org.ASSOCIATIONS and r.name and r.parent_code]
    if not codeless:
        return
    counties = sorted({r.parent_code for r in codeless})
    present: set[tuple[str, str, str]] = set()
    for chunk in _chunks(counties):
        for parent_code, kind, name in Org.plain.filter(
            parent__code__in=chunk, kind__in=Org.ASSOCIATIONS
        ).values_list("parent__code", "kind", "name"):
            present.add((parent_code, kind, name))
    seen: dict[tuple[str, str, str], int] = {}
    for row in codeless:
        key = (row.parent_code, row.kind, row.name)
        if key in seen:
            check.bad(row.number, _("与第%(other)d行重复：同一上级单位下已有同名的%(kind)s")
                      % {"other": seen[key], "kind": Org.Kind(row.kind).label})
            continue
        seen[key] = row.number
        if key in present:
            row.skip = True


def _assign_codes(rows: list[_Row]) -> None:
    """Give each new code-less association the next free `<county>-P001` / `-E001`."""
    pending = [r for r in rows if not r.code and not r.skip]
    if not pending:
        return
    taken = {r.code for r in rows if r.code}
    counties = sorted({r.parent_code for r in pending})
    for chunk in _chunks(counties):
        taken.update(Org.plain.filter(parent__code__in=chunk).values_list("code", flat=True))
    counters: dict[str, int] = defaultdict(int)
    pattern = re.compile(r"^(.*-[PE])(\d+)$")
    for code in taken:
        m = pattern.match(code)
        if m:
            counters[m.group(1)] = max(counters[m.group(1)], int(m.group(2)))

    def next_code(prefix: str) -> str:
        while True:
            counters[prefix] += 1
            candidate = f"{prefix}{counters[prefix]:03d}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    for row in pending:
        row.code = next_code(f"{row.parent_code}-{SUFFIX[row.kind]}")
    # A code is unique across the whole tree: bump any that someone used elsewhere.
    while True:
        clashes = set()
        for chunk in _chunks([r.code for r in pending]):
            clashes.update(Org.plain.filter(code__in=chunk).values_list("code", flat=True))
        if not clashes:
            return
        taken |= clashes
        for row in pending:
            if row.code in clashes:
                row.code = next_code(row.code.rsplit("-", 1)[0] + "-" + SUFFIX[row.kind])


def _digest(file: IO[bytes]) -> str:
    file.seek(0)
    sha = hashlib.sha256()
    for chunk in iter(lambda: file.read(65536), b""):
        sha.update(chunk)
    file.seek(0)
    return sha.hexdigest()


def _write(province: Org, rows: list[_Row]) -> list[Org]:
    """Create the new orgs level by level, so every parent has its path before its children."""
    new = [r for r in rows if not r.skip]
    parents = _existing({r.parent_code for r in new})
    created: list[Org] = []
    for kinds in ((Org.Kind.CITY,), (Org.Kind.COUNTY,), Org.ASSOCIATIONS):
        level = []
        for row in new:
            if row.kind not in kinds:
                continue
            parent = parents[row.parent_code]
            path = f"{parent.path}{row.code}/"
            level.append(Org(kind=row.kind, code=row.code, name=row.name, parent=parent,
                             region_code=row.region_code, path=path, depth=path.count("/") - 1))
        if not level:
            continue
        Org.plain.bulk_create(level, batch_size=500)
        if any(o.pk is None for o in level):  # a backend that cannot return ids
            ids = {}
            for chunk in _chunks([o.code for o in level]):
                ids.update(Org.plain.filter(code__in=chunk).values_list("code", "pk"))
            for o in level:
                o.pk = ids[o.code]
        parents.update({o.code: o for o in level})
        created.extend(level)
    return created


def orgs_import(*, province: Org, by: User, file: IO[bytes], filename: str = "") -> ImportSummary:
    """Import cities, counties and associations below `province` from an .xlsx file. All or nothing."""
    ensure(permissions.can_import_tree(by, province), NotFound)
    sheet = open_xlsx(file)
    try:
        sheet_rows = list(read_rows(sheet, COLUMNS, max_rows=MAX_ROWS))
    finally:
        sheet.close()
    if not sheet_rows:
        raise ValidationError(_("文件中没有数据行。请从第2行起每行填写一个单位"))

    check = _Checker(province)
    rows = [r for r in (check.parse(s) for s in sheet_rows) if r is not None]
    _check_tree(check, rows)
    if check.errors:
        raise ValidationError(check.messages())

    summary = ImportSummary(skipped=sum(1 for r in rows if r.skip))
    if summary.skipped == len(rows):
        return summary
    digest = _digest(file)
    try:
        with transaction.atomic():
            _assign_codes(rows)
            created = _write(province, rows)
            for org in created:
                summary.created[org.kind] = summary.created.get(org.kind, 0) + 1
            summary.codes = [o.code for o in created]
            audit_record(actor=by, action="org.import", target=province, data={
                "file": filename[:200], "sha256": digest, "rows": len(rows),
                "created": summary.created, "skipped": summary.skipped, "codes": summary.codes,
            })
    except IntegrityError as exc:
        # Someone created one of these codes between the check and the write.
        raise ValidationError(_("导入时发现单位代码已被他人同时创建，未写入任何数据。请重新上传该文件")) from exc
    return summary


def import_template(province: Org) -> bytes:
    """The downloadable template: headers, one example per level, and a sheet explaining the columns."""
    city = next(iter(children_of(province.region_code or province.code)), None)
    county = next(iter(children_of(city.code)), None) if city and city.level == "city" else None
    examples = []
    if city is not None and city.level == "county":  # a municipality (直辖市): districts under the province
        examples = [
            ["区县", city.code, city.name, province.code],
            ["园区科协", "", f"{city.name.rstrip('区县市')}高新技术产业园科协", city.code],
            ["企业科协", "", f"{city.name.rstrip('区县市')}某科技有限公司科协", city.code],
        ]
    elif city is not None and county is not None:
        examples = [
            ["市", city.code, city.name, province.code],
            ["区县", county.code, county.name, city.code],
            ["园区科协", "", f"{county.name.rstrip('区县市')}高新技术产业园科协", county.code],
            ["企业科协", "", f"{county.name.rstrip('区县市')}某科技有限公司科协", county.code],
        ]
    notes = [
        [_("列"), _("说明")],
        [COL_LEVEL, _("必填。填写“市”“区县”“园区科协”或“企业科协”之一。")],
        [COL_CODE, _("市、区县必填，为6位行政区划代码（GB/T 2260），如杭州市330100、西湖区330106，须属于本省。"
                     "园区科协、企业科协可留空，系统按“区县代码-P001”“区县代码-E001”依次生成；"
                     "自行填写时只能包含数字、大写字母和“-”。")],
        [COL_NAME, _("园区科协、企业科协必填。市、区县留空时使用行政区划的标准名称。")],
        [COL_PARENT, _("市的上级为本省代码（可留空）；区县的上级为所在市的代码；园区科协、企业科协的上级为所在区县的代码。"
                       "北京、天津、上海、重庆等直辖市没有市级，区县的上级为直辖市代码（可留空）。"
                       "上级单位须已在系统中，或在本表中排在本行之前。")],
        [_("整体规则"), _("全部行检查无误后一次性导入；任何一行有错误时不导入任何数据，并列出每个错误所在的行号和原因。"
                       "与系统中已有单位完全相同的行视为“已存在”并跳过，可重复上传同一文件。"
                       "空行忽略；文件不超过5MB、不超过20000行。")],
        [_("示例"), _("第一个工作表第2行起为示例，请删除后填写本省数据。")],
    ]
    return build_workbook(headers=COLUMNS, rows=examples, notes_title=_("填写说明"), notes=notes,
                          sheet_title=_("组织导入"))
