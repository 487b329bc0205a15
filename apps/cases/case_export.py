"""Excel export of the filtered case list (issue 4 item 6).

Every matching row, written with openpyxl's write-only mode into a temporary file that spills to
disk: memory stays flat at 50,000 rows (rows are read from the database in chunks and each is
written and dropped). Every text cell goes through `safe_cell`, so a title typed as "=HYPERLINK(…)"
stays text in the reader's Excel. Body texts are not exported (a list, not the case files). The
enterprise contact's name and phone go only to those who see them on the case page, the association and
its county (apps.cases.permissions.contact_visible_to_org; PIPL: no more personal data than the purpose
needs), so an export of a city or above has no such columns.
"""

from __future__ import annotations

import tempfile
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from apps.audit.services import audit_record
from apps.cases.levels import levels
from apps.cases.listing import industry_sections
from apps.cases.models import Case
from apps.cases.permissions import contact_visible_to_org
from apps.orgs.excel import safe_cell
from apps.orgs.models import Org

CHUNK = 2000
# Spill the workbook to disk above this size; smaller exports stay in memory.
SPOOL_BYTES = 8 * 1024 * 1024

COLUMNS = (
    ("id", "案例编号", 10),
    ("title", "案例标题", 36),
    ("type", "案例类型", 10),
    ("enterprise__name", "企业名称", 30),
    ("enterprise__credit_code", "统一社会信用代码", 22),
    ("enterprise__industry_section", "行业门类", 24),
    ("enterprise__little_giant_batch", "“小巨人”批次", 12),
    ("county__name", "所在区县", 12),
    ("recommender__name", "推荐单位", 26),
    ("channel", "推荐渠道", 14),
    ("status", "状态", 10),
    ("decision", "本级结果", 10),
    ("version", "版本", 6),
    ("submitted_at", "提交时间", 18),
)
CONTACT_COLUMNS = (("contact_name", "联系人", 12), ("contact_phone", "联系人手机", 14))


def _columns(*, with_decision: bool, with_contact: bool) -> list[tuple[str, str, int]]:
    return [c for c in COLUMNS if with_decision or c[0] != "decision"] + (list(CONTACT_COLUMNS) if with_contact else [])


def export_headers(*, with_decision: bool, with_contact: bool = False) -> list[str]:
    # The template's headers stay Chinese in every UI language, like the import template.
    return [label for _key, label, _w in _columns(with_decision=with_decision, with_contact=with_contact)]


def write_cases(qs: QuerySet[Case], out: IO[bytes], *, with_decision: bool, viewer: Org | None = None) -> int:
    """Write the rows of `qs` (already filtered and scoped) into `out` as .xlsx; return the row count. The
    contact columns are there when `viewer` is an association or a county, filled for its own cases only."""
    with_contact = viewer is not None and (viewer.is_association or viewer.kind == Org.Kind.COUNTY)
    columns = _columns(with_decision=with_decision, with_contact=with_contact)
    keys = [key for key, _label, _w in columns]
    owners = ["recommender_id", "county_id"] if with_contact else []
    types, statuses, channels = dict(Case.Type.choices), dict(Case.Status.choices), dict(Case.Channel.choices)
    decisions = dict(levels().decision_choices())
    sections = dict(industry_sections())
    label_of = {"type": types, "status": statuses, "channel": channels, "decision": decisions,
                "enterprise__industry_section": sections}
    tz = timezone.get_current_timezone()

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("案例列表"))
    widths = {label: width for _k, label, width in columns}
    headers = export_headers(with_decision=with_decision, with_contact=with_contact)
    for i, label in enumerate(headers):
        ws.column_dimensions[chr(ord("A") + i)].width = widths[label]
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
    header_cells = []
    for label in headers:
        cell = WriteOnlyCell(ws, value=label)
        cell.font, cell.fill = bold, fill
        header_cells.append(cell)
    ws.append(header_cells)

    count = 0
    for values in qs.values_list(*keys, *owners).iterator(chunk_size=CHUNK):
        own = bool(owners) and contact_visible_to_org(viewer, Case(recommender_id=values[-2], county_id=values[-1]))
        row = []
        for key, value in zip(keys, values):
            if key.startswith("contact_") and not own:
                value = ""
            if key in label_of and value:
                value = str(label_of[key].get(value, value))
            elif key == "submitted_at" and value is not None:
                value = timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M")
            row.append(safe_cell(value))
        ws.append(row)
        count += 1
    wb.save(out)
    return count


def cases_export(*, qs: QuerySet[Case], by, viewer: Org, filters: dict, with_decision: bool) -> tuple[IO[bytes], int]:
    """The workbook of the filtered list in a temporary file (rewound), and its row count.

    An export takes personal and unpublished data out of the system, so it leaves an audit row
    naming who exported what filter and how many rows.
    """
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    count = write_cases(qs, out, with_decision=with_decision, viewer=viewer)
    out.seek(0)
    with transaction.atomic():
        audit_record(actor=by, action="case.export", target=viewer,
                     data={"filters": {k: getattr(v, "code", v) for k, v in filters.items()}, "rows": count})
    return out, count


def export_filename(viewer: Org) -> str:
    return _("案例列表-%(org)s-%(date)s.xlsx") % {"org": viewer.name, "date": timezone.localdate().strftime("%Y%m%d")}
