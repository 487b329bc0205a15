"""Import 专精特新“小巨人” lists and match them to the registry.

MIIT publishes the lists by name only (batches 2019–2025). A province admin or the centre
uploads a list (Excel: 企业名称, 统一社会信用代码 optional, 批次 optional when the upload form
gives the batch). Each row is matched against the enterprises of the importer's subtree:

1. by credit code, normalised (an invalid code is reported with its row number and the
   position that is wrong, and that row is matched by name instead);
2. else by normalised exact name (NFKC, no spaces, full-width brackets folded):
   exactly one enterprise → matched; none → unmatched; several → ambiguous. A row whose
   valid code is not in the registry but whose name is, is ambiguous too: the same name
   with a different code needs a person.

A matched enterprise gets the row's batch as its little-giant batch (the earliest batch wins:
little giants are re-reviewed every three years, but the batch that named them stays).
Unmatched and ambiguous rows wait for a person: pick a candidate (or any enterprise of the
subtree by its credit code), or mark "not in our registry". Re-matching runs the open rows
again after new enterprises were registered.

A broken file (not .xlsx, over 5 MB, over 10,000 rows, a missing header, a row without a
name or with a bad batch) is refused whole, with every problem by row number; nothing is written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.campaigns.models import Campaign
from apps.core import creditcode
from apps.core.errors import NotFound, ensure
from apps.core.scoping import subtree_q
from apps.enterprises.models import Enterprise, LittleGiantList, LittleGiantRow
from apps.enterprises.permissions import can_import_little_giants, can_manage_little_giant_list
from apps.enterprises.services import (
    BATCH_ORDINALS,
    FIRST_LITTLE_GIANT_BATCH,
    enterprise_set_little_giant_batch,
    little_giant_batch_years,
)
from apps.orgs.excel import MAX_UPLOAD_BYTES, build_workbook, cell_text, open_xlsx, read_rows
from apps.orgs.models import Org

COL_NAME, COL_CODE, COL_BATCH = "企业名称", "统一社会信用代码", "批次"
COLUMNS = (COL_NAME, COL_CODE, COL_BATCH)
OPTIONAL_COLUMNS = (COL_CODE, COL_BATCH)
MAX_ROWS = 10_000
NAME_MAX = 200
CANDIDATES_MAX = 5
# Containment search for unmatched rows costs rows × enterprises string tests; above this, skip it.
CONTAINMENT_BUDGET = 5_000_000
BULK = 500
YEAR_RE = re.compile(r"^(\d{4})\s*年?$")
ORDINAL_RE = re.compile(r"^第\s*([一二三四五六七八九十\d]+)\s*批$")

Status = LittleGiantRow.Status
MatchedBy = LittleGiantRow.MatchedBy


def name_key(name: str) -> str:
    """The form of a name that "exact name" compares: NFKC, full-width brackets folded, no spaces."""
    text = unicodedata.normalize("NFKC", name or "")
    text = text.replace("（", "(").replace("）", ")")
    return "".join(ch for ch in text if not ch.isspace())


def parse_batch(text: str, campaign: Campaign) -> int | None:
    """"2021", "2021年", "第三批" or "第3批" → 2021; None when it is none of these or out of range."""
    text = (text or "").strip()
    year = None
    m = YEAR_RE.match(text)
    if m:
        year = int(m.group(1))
    else:
        m = ORDINAL_RE.match(text)
        if m:
            token = m.group(1)
            number = int(token) if token.isdigit() else (BATCH_ORDINALS.index(token) + 1 if token in BATCH_ORDINALS
                                                         else 0)
            year = FIRST_LITTLE_GIANT_BATCH + number - 1 if number else None
    return year if year in little_giant_batch_years(campaign) else None


@dataclass
class ImportResult:
    lg_list: LittleGiantList
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)  # rows whose code was invalid (matched by name)


@dataclass
class _Parsed:
    rows: list[LittleGiantRow]
    warnings: list[str]


def _read(file: IO[bytes], *, campaign: Campaign, default_batch: int | None) -> _Parsed:
    sheet = open_xlsx(file, max_bytes=MAX_UPLOAD_BYTES)
    try:
        header = next(sheet.rows(), None) or ()
        present = {cell_text(v) for v in header}
        if COL_NAME not in present:
            raise ValidationError(
                _("第1行表头缺少“%(missing)s”列。表头应为：企业名称、统一社会信用代码（可不填）、批次（可不填），请使用下载的模板")
                % {"missing": COL_NAME})
        headers = [COL_NAME, *[h for h in OPTIONAL_COLUMNS if h in present]]
        if COL_BATCH not in present and default_batch is None:
            raise ValidationError(_("文件没有“批次”列：请在上传时选择批次，或在文件中增加“批次”列"))
        errors: list[str] = []
        warnings: list[str] = []
        rows: list[LittleGiantRow] = []
        for sheet_row in read_rows(sheet, headers, max_rows=MAX_ROWS):
            n, values = sheet_row.number, sheet_row.values
            problems: list[str] = []
            name = " ".join(values[COL_NAME].split())
            if not name:
                problems.append(_("请填写企业名称"))
            elif len(name) > NAME_MAX:
                problems.append(_("企业名称超过%(max)d个字") % {"max": NAME_MAX})
            raw_batch = values.get(COL_BATCH, "")
            batch = default_batch
            if raw_batch:
                batch = parse_batch(raw_batch, campaign)
                if batch is None:
                    years = little_giant_batch_years(campaign)
                    problems.append(_("批次“%(value)s”不正确，应为%(first)d至%(last)d年之间的年份（如2021）或“第三批”")
                                    % {"value": raw_batch, "first": years[0], "last": years[-1]})
            elif batch is None:
                problems.append(_("请填写批次，或在上传时选择批次"))
            raw_code = values.get(COL_CODE, "")
            code, code_problem = "", ""
            if raw_code:
                found = creditcode.problems(raw_code)
                if found:
                    code_problem = "；".join(found)
                    warnings.append(_("第%(n)d行：%(problem)s，该行改按企业名称匹配") % {"n": n, "problem": code_problem})
                else:
                    code = creditcode.normalise(raw_code)
            if problems:
                errors.append(_("第%(n)d行：%(reasons)s") % {"n": n, "reasons": "；".join(problems)})
                continue
            rows.append(LittleGiantRow(row_number=n, name=name, name_key=name_key(name), batch=batch,
                                       credit_code_raw=raw_code[:40], credit_code=code,
                                       code_problem=code_problem[:300]))
    finally:
        sheet.close()
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("文件中没有企业数据：请从第2行起每行填写一家企业"))
    return _Parsed(rows, warnings)


class _Registry:
    """The enterprises a list is matched against, indexed by credit code and by name key."""

    def __init__(self, campaign: Campaign, org: Org):
        self.by_code: dict[str, Enterprise] = {}
        self.by_key: dict[str, list[Enterprise]] = defaultdict(list)
        qs = (Enterprise.objects.filter(subtree_q(org.path, "county__path"), campaign=campaign)
              .only("id", "name", "credit_code", "little_giant_batch", "county_id", "campaign_id"))
        for e in qs.iterator(chunk_size=2000):
            self.by_code[e.credit_code] = e
            self.by_key[name_key(e.name)].append(e)

    def match(self, row: LittleGiantRow, *, containment: bool) -> None:
        """Set the row's status, enterprise, candidates and note from the registry."""
        row.enterprise, row.candidates, row.note, row.matched_by = None, [], "", MatchedBy.NONE
        if row.credit_code and row.credit_code in self.by_code:
            row.status, row.enterprise, row.matched_by = Status.MATCHED, self.by_code[row.credit_code], MatchedBy.CODE
            return
        same_name = self.by_key.get(row.name_key, [])
        if row.credit_code and same_name:
            row.status, row.candidates = Status.AMBIGUOUS, [e.pk for e in same_name]
            row.note = _("名称相同，但企业库中的统一社会信用代码与名单不同，请人工确认")
        elif len(same_name) == 1:
            row.status, row.enterprise, row.matched_by = Status.MATCHED, same_name[0], MatchedBy.NAME
        elif same_name:
            row.status, row.candidates = Status.AMBIGUOUS, [e.pk for e in same_name]
            row.note = _("企业库中有%(n)d家同名企业，请选择") % {"n": len(same_name)}
        else:
            row.status = Status.UNMATCHED
            if containment and len(row.name_key) >= 4:
                near = [e for key, found in self.by_key.items() if row.name_key in key or key in row.name_key
                        for e in found]
                row.candidates = [e.pk for e in near[:CANDIDATES_MAX]]

    def containment_affordable(self, open_rows: int) -> bool:
        return open_rows * max(len(self.by_key), 1) <= CONTAINMENT_BUDGET


def _apply_batches(rows: list[LittleGiantRow]) -> list[list[int | None]]:
    """Give matched enterprises their batch (earliest wins); return [[id, old, new], …] for the audit row."""
    wanted: dict[int, int] = {}
    by_id: dict[int, Enterprise] = {}
    for row in rows:
        if row.status == Status.MATCHED and row.enterprise is not None:
            e = row.enterprise
            by_id[e.pk] = e
            wanted[e.pk] = min(wanted.get(e.pk, row.batch), row.batch)
    changes: dict[int, list[int]] = defaultdict(list)
    audit = []
    for pk, batch in wanted.items():
        old = by_id[pk].little_giant_batch
        new = batch if old is None else min(old, batch)
        if new != old:
            changes[new].append(pk)
            audit.append([pk, old, new])
    now = timezone.now()
    for batch, ids in changes.items():
        for i in range(0, len(ids), BULK):
            Enterprise.plain.filter(pk__in=ids[i:i + BULK]).update(little_giant_batch=batch, updated_at=now)
    return sorted(audit)


def _counts(rows: list[LittleGiantRow]) -> dict[str, int]:
    counts = {s: 0 for s in Status.values}
    for row in rows:
        counts[row.status] += 1
    return counts


def little_giant_import(*, campaign: Campaign, org: Org, by, file: IO[bytes], filename: str,
                        batch: int | None = None) -> ImportResult:
    """Import one list for `org` (a province, or the centre) and match it (see the module's doc)."""
    ensure(can_import_little_giants(by, org), NotFound)
    if batch is not None and batch not in little_giant_batch_years(campaign):
        raise ValidationError({"batch": [_("请选择正确的批次")]})
    parsed = _read(file, campaign=campaign, default_batch=batch)
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    registry = _Registry(campaign, org)
    containment = registry.containment_affordable(len(parsed.rows))
    for row in parsed.rows:
        registry.match(row, containment=containment)
    with transaction.atomic():
        lg_list = LittleGiantList.objects.create(campaign=campaign, org=org, batch=batch, uploaded_by=by,
                                                 file_name=(filename or "")[:200], file_sha256=digest.hexdigest())
        for row in parsed.rows:
            row.list = lg_list
        LittleGiantRow.plain.bulk_create(parsed.rows, batch_size=BULK)
        batches = _apply_batches(parsed.rows)
        counts = _counts(parsed.rows)
        audit_record(actor=by, action="littlegiant.import", target=lg_list, org=org, data={
            "file": lg_list.file_name, "sha256": lg_list.file_sha256, "batch": batch, "rows": len(parsed.rows),
            "counts": counts, "invalid_codes": len(parsed.warnings), "batches_set": batches})
    return ImportResult(lg_list, counts, parsed.warnings)


def little_giant_rematch(*, lg_list: LittleGiantList, by) -> dict[str, int]:
    """Match the list's open rows again (after more enterprises were registered); audited."""
    ensure(can_manage_little_giant_list(by, lg_list), NotFound)
    with transaction.atomic():
        rows = list(LittleGiantRow.plain.select_for_update().filter(list=lg_list, status__in=list(LittleGiantRow.OPEN))
                    .order_by("row_number", "id"))
        registry = _Registry(lg_list.campaign, lg_list.org)
        containment = registry.containment_affordable(len(rows))
        before = {row.pk: row.status for row in rows}
        for row in rows:
            registry.match(row, containment=containment)
        LittleGiantRow.plain.bulk_update(rows, ["status", "enterprise", "candidates", "note", "matched_by"],
                                         batch_size=BULK)
        batches = _apply_batches(rows)
        lg_list.rematched_at = timezone.now()
        lg_list.save(update_fields=["rematched_at"])
        newly = _counts([r for r in rows if r.status != before[r.pk] or r.status == Status.MATCHED])
        audit_record(actor=by, action="littlegiant.rematch", target=lg_list, org=lg_list.org, data={
            "rows": len(rows), "matched": newly[Status.MATCHED], "batches_set": batches})
    return _counts(rows)


def little_giant_row_resolve(*, row: LittleGiantRow, by, enterprise: Enterprise | None = None,
                             credit_code: str = "") -> LittleGiantRow:
    """A person decides an open row: this enterprise (a candidate, or any enterprise of the list's
    subtree named by its credit code), or "not in our registry" (neither given)."""
    lg_list = row.list
    ensure(can_manage_little_giant_list(by, lg_list), NotFound)
    if credit_code.strip():
        found = creditcode.problems(credit_code)
        if found:
            raise ValidationError({"credit_code": found})
        enterprise = (Enterprise.objects.filter(subtree_q(lg_list.org.path, "county__path"),
                                                campaign=lg_list.campaign_id,
                                                credit_code=creditcode.normalise(credit_code)).first())
        if enterprise is None:
            raise ValidationError({"credit_code": [_("%(org)s的企业库中没有统一社会信用代码为%(code)s的企业")
                                                   % {"org": lg_list.org.name,
                                                      "code": creditcode.normalise(credit_code)}]})
    elif enterprise is not None and enterprise.pk not in row.candidates:
        raise ValidationError(_("请从候选企业中选择，或填写企业的统一社会信用代码"))
    with transaction.atomic():
        locked = LittleGiantRow.plain.select_for_update().get(pk=row.pk)
        if not locked.is_open:
            raise ValidationError(_("该行已处理（%(status)s），请刷新页面") % {"status": locked.get_status_display()})
        row.status, row.matched_by, row.enterprise = Status.RESOLVED, MatchedBy.PERSON, enterprise
        row.resolved_by, row.resolved_at = by, timezone.now()
        row.note = "" if enterprise is not None else _("不在本企业库中")
        row.save(update_fields=["status", "matched_by", "enterprise", "note", "resolved_by", "resolved_at"])
        audit_record(actor=by, action="littlegiant.resolve", target=row, org=lg_list.org, data={
            "list": lg_list.pk, "row_number": row.row_number, "name": row.name,
            "enterprise": enterprise.pk if enterprise is not None else None})
        if enterprise is not None:
            old = enterprise.little_giant_batch
            new = row.batch if old is None else min(old, row.batch)
            enterprise_set_little_giant_batch(enterprise=enterprise, batch=new, by=by,
                                              source=f"littlegiant-row:{row.pk}")
    return row


def little_giant_template() -> bytes:
    notes = [
        [_("列"), _("填写说明")],
        [COL_NAME, _("必填。与营业执照上的企业名称一致；全角括号与半角括号视为相同，空格不计。")],
        [COL_CODE, _("可不填。18位统一社会信用代码；填写后优先按代码匹配，代码有误的行改按名称匹配并提示行号。")],
        [COL_BATCH, _("可不填（上传时选择的批次用于空白行）。填写年份如2021，或“第三批”。"
                      "已公布批次：2019年至2025年，共七批。")],
    ]
    return build_workbook(headers=COLUMNS, rows=[["杭州示例精密制造有限公司", "", "2023"]],
                          notes_title=_("说明"), notes=notes, sheet_title=_("小巨人名单"))
