"""Reading uploaded workbooks (apps.orgs.excel): what python-calamine is given and how rows come back."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from apps.orgs.excel import MAX_SHEET_CELLS, column_number, open_xlsx, read_rows, sheet_extent


def _workbook(cells: dict[str, object]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for ref, value in cells.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_sheet_xml(data: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML passed through `edit`."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = edit(body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def _message(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        open_xlsx(io.BytesIO(data))
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("letters, number", [("A", 1), ("Z", 26), ("AA", 27), ("AZ", 52), ("XFD", 16384)])
def test_column_letters_become_numbers(letters, number):
    assert column_number(letters) == number
    assert column_number(letters.encode()) == number


def test_the_extent_of_a_sheet_saved_by_excel_is_its_last_row_and_column():
    xml = _with_sheet_xml(_workbook({"A1": "x", "C7": "y"}), lambda body: body)
    sheet = zipfile.ZipFile(io.BytesIO(xml)).read("xl/worksheets/sheet1.xml")
    assert sheet_extent(sheet) == (7, 3)


def test_rows_and_cells_without_a_reference_count_towards_the_extent():
    xml = (b'<worksheet><sheetData><row r="3"><c r="B3"><v>1</v></c></row>'
           b"<row><c><v>1</v></c><c><v>2</v></c><c/></row></sheetData></worksheet>")
    rows, columns = sheet_extent(xml)
    assert rows >= 4 and columns >= 2 + 3


def test_references_written_with_odd_but_valid_xml_still_count():
    # Whitespace around "=", single quotes, a namespace prefix, a newline inside the tag.
    xml = (b"<x:worksheet><x:sheetData><x:row\n r = '5'><x:c\tr='XFD5'/><c\n/></x:row><row/>"
           b"</x:sheetData></x:worksheet>")
    rows, columns = sheet_extent(xml)
    assert rows >= 6 and columns >= 16384 + 1


def test_two_cells_far_apart_are_refused_before_the_reader_allocates_them():
    # A1 and XFD1048576: a 5 KB file that asks a dense reader for 17 billion cells.
    data = _workbook({"A1": "x", "XFD1048576": "y"})
    assert len(data) < 10_000
    message = _message(data)
    assert "使用范围过大" in message and "1048576行×16384列" in message


def test_a_million_unreferenced_cells_in_one_row_are_refused():
    def widen(body: bytes) -> bytes:
        filler = b"<c/>" * (MAX_SHEET_CELLS // 2 + 1)
        return body.replace(b'<row r="2">', b'<row r="2">' + filler, 1)

    data = _with_sheet_xml(_workbook({"A1": "x", "A2": "y"}), widen)
    assert "使用范围过大" in _message(data)


def test_a_zip_bomb_is_refused_by_its_unpacked_size():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (90 * 1024 * 1024))
    assert len(out.getvalue()) < 200_000
    assert "内容过大" in _message(out.getvalue())


def test_a_sheet_xml_that_is_not_xml_is_refused_as_damaged():
    data = _with_sheet_xml(_workbook({"A1": "x"}), lambda body: b"\x00\xff not xml <<<")
    assert "文件已损坏" in _message(data)


def test_rows_start_at_row_1_and_column_a_wherever_the_first_cell_is():
    data = _workbook({"B1": "名称", "C1": "代码", "B3": "甲公司", "C3": 330106.0, "B4": "乙", "C4": dt.date(2026, 1, 2)})
    sheet = open_xlsx(io.BytesIO(data))
    try:
        rows = list(sheet.rows())
        assert rows[0][:3] == ["", "名称", "代码"]
        read = list(read_rows(sheet, ["代码", "名称"], max_rows=10))
    finally:
        sheet.close()
    assert [(r.number, r.values) for r in read] == [
        (3, {"代码": "330106", "名称": "甲公司"}),  # an integral number loses its ".0"; empty row 2 skipped
        (4, {"代码": "2026-01-02", "名称": "乙"}),
    ]


def test_an_empty_sheet_has_no_rows():
    sheet = open_xlsx(io.BytesIO(_workbook({})))
    try:
        assert list(sheet.rows()) == []
        with pytest.raises(ValidationError, match="表头缺少"):
            list(read_rows(sheet, ["名称"], max_rows=10))
    finally:
        sheet.close()


def test_the_first_sheet_is_read_not_the_notes_sheet():
    wb = Workbook()
    wb.active["A1"] = "第一张"
    wb.create_sheet("说明")["A1"] = "说明页"
    out = io.BytesIO()
    wb.save(out)
    sheet = open_xlsx(io.BytesIO(out.getvalue()))
    try:
        assert next(sheet.rows())[0] == "第一张"
    finally:
        sheet.close()


def test_character_references_and_utf8_text_read_the_same():
    # openpyxl writes 甲 as &#30002;, Excel and WPS write UTF-8 bytes.
    referenced = _workbook({"A1": "名称", "A2": "甲"})

    def to_utf8(body: bytes) -> bytes:
        assert b"&#30002;" in body
        return re.sub(rb"&#(\d+);", lambda m: chr(int(m.group(1))).encode("utf-8"), body)

    for data in (referenced, _with_sheet_xml(referenced, to_utf8)):
        sheet = open_xlsx(io.BytesIO(data))
        try:
            assert [r.values for r in read_rows(sheet, ["名称"], max_rows=10)] == [{"名称": "甲"}]
        finally:
            sheet.close()
