"""Excel (.xlsx) helpers shared by imports and exports: safe reading, templates, safe cells.

Reading refuses anything that is not an Office Open XML workbook by its content (a .xls,
a CSV or a text file renamed .xlsx), anything too large, and zip bombs (the uncompressed
size is checked before openpyxl parses a byte). Writing passes every text value through
`safe_cell` so a value typed by a user cannot become a formula in someone else's Excel.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any, Iterator, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An honest 20,000-row sheet unpacks to a few MB of XML; more than this is a zip bomb.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024

# Characters that make a spreadsheet treat a text cell as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value fit to write into a cell: text that could start a formula gets a leading "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    """A cell's value as clean text: numbers without ".0", full-width digits folded (NFKC), trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _size_of(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    pos = file.tell()
    file.seek(0, io.SEEK_END)
    end = file.tell()
    file.seek(pos)
    return end


def open_xlsx(file: IO[bytes], *, max_bytes: int = MAX_UPLOAD_BYTES):
    """Open an uploaded workbook read-only, or raise ValidationError saying what is wrong.

    The caller closes the workbook (`wb.close()`).
    """
    if _size_of(file) > max_bytes:
        raise ValidationError(
            _("文件超过%(mb)dMB，请删除多余内容或分多个文件导入") % {"mb": max_bytes // (1024 * 1024)}
        )
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head != ZIP_MAGIC:
        raise ValidationError(
            _("文件不是Excel（.xlsx）格式。请用下载的模板填写；.xls或.csv文件请先在Excel中“另存为”.xlsx格式")
        )
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("文件已损坏，无法读取。请重新保存为.xlsx格式后再上传")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(_("文件内容过大，无法读取。请删除多余内容或分多个文件导入"))
    if "xl/workbook.xml" not in names:
        raise ValidationError(
            _("文件不是Excel（.xlsx）格式。请用下载的模板填写；.xls或.csv文件请先在Excel中“另存为”.xlsx格式")
        )
    file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise ValidationError(_("文件已损坏，无法读取。请重新保存为.xlsx格式后再上传")) from exc


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows (1-based, header is row 1)
    values: dict[str, str]  # header → cell text

    @property
    def is_empty(self) -> bool:
        return not any(self.values.values())


def read_rows(wb, headers: Sequence[str], *, max_rows: int) -> Iterator[SheetRow]:
    """Rows of the first sheet, keyed by the expected headers (any order, extra columns ignored).

    Raises ValidationError when a header is missing or the sheet holds more than `max_rows`
    non-empty data rows.
    """
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    found = {cell_text(v): i for i, v in enumerate(header_row) if cell_text(v)}
    missing = [h for h in headers if h not in found]
    if missing:
        raise ValidationError(
            _("第1行表头缺少“%(missing)s”列。表头应为：%(all)s，请使用下载的模板")
            % {"missing": "”、“".join(missing), "all": "、".join(headers)}
        )
    index = {h: found[h] for h in headers}
    seen = 0
    for number, raw in enumerate(rows, start=2):
        values = {h: cell_text(raw[i]) if i < len(raw) else "" for h, i in index.items()}
        row = SheetRow(number, values)
        if row.is_empty:
            continue
        seen += 1
        if seen > max_rows:
            raise ValidationError(
                _("文件超过%(max)d行数据，请分多个文件导入") % {"max": max_rows}
            )
        yield row


def build_workbook(*, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                   notes_title: str = "", notes: Sequence[Sequence[str]] = (),
                   sheet_title: str = "Sheet1") -> bytes:
    """An .xlsx with a bold header row, the given rows and an optional second sheet of notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    ws.append([safe_cell(h) for h in headers])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF1F5")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(14, len(str(header)) * 3)
        # Codes are text: "330100" must not become a number and lose leading zeros elsewhere.
        for cell in ws[get_column_letter(i)]:
            cell.number_format = "@"
    ws.freeze_panes = "A2"
    if notes:
        ns = wb.create_sheet(notes_title or "说明")
        for row in notes:
            ns.append([safe_cell(v) for v in row])
        for cell in ns[1]:
            cell.font = bold
            cell.fill = fill
        ns.column_dimensions["A"].width = 18
        ns.column_dimensions["B"].width = 90
        for row in ns.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
