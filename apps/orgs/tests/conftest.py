"""Fixtures of the orgs tests: Excel files built in the test with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from apps.orgs.importer import COLUMNS


def xlsx_file(rows, headers=COLUMNS, name="tree.xlsx") -> io.BytesIO:
    """An .xlsx upload: the header row, then `rows` (None for an empty row)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织导入")
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row) if row is not None else [])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = name
    return out


@pytest.fixture
def make_xlsx():
    return xlsx_file
