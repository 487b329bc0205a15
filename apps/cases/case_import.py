"""Bulk import of cases from the Excel template, for counties that collected cases offline (issue 4 item 6).

A county's admin or staff downloads the template, fills one row per case and uploads it.
All or nothing:

- every row is checked first (the recommending association is one of this county's; the
  enterprise is registered in this county under that credit code, R-106 属地; title ≤ 30,
  abstract ≤ 300, the five body sections ≤ 5,000 together; the type; the contact's mobile
  number; both consents 是), and every bad row is reported as 「第7行：案例标题超过30个字」;
  nothing is written while any row is bad;
- otherwise every case is created as submitted version 1 with its CaseVersion and enters the
  county's screening round as pending (R-107), in one transaction.

Speed: 10,000 rows must import in about the time openpyxl takes to read the file (bench/case_import.py,
goal ≤ 1.5×). `round_receive` takes about ten queries per case (round look-up, row lock, entry,
audit chain), which for 10,000 rows is 100,000 round trips; so the import does the same work in bulk:
one lock of the round, cases streamed into one COPY while a second thread reads and checks the rows
(PostgreSQL; bulk_create on SQLite), versions built by the database from the cases, round entries in
one COPY, one summary audit row `case.import`, and one `round.receive` audit row per case (the row
round_receive writes), appended to the hash chain in bulk under the chain's head lock. The file
is read with python-calamine (apps.orgs.excel). Measured: about 1.3× openpyxl's read alone.

Attachments (photos, video, the sealed recommendation form) are not in the template: they are
uploaded afterwards on each case's page.
"""

from __future__ import annotations

import hashlib
import json
import queue
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.campaigns.models import Programme
from apps.cases.levels import levels
from apps.cases.models import Case, CaseVersion
from apps.cases.selectors import BENEFIT_MAX, BOOL_FIELDS, TEXT_FIELDS, current_campaign, province_programme
from apps.core import creditcode
from apps.core.errors import NotFound, ensure
from apps.enterprises.models import Enterprise
from apps.orgs.acting import memberships_of
from apps.orgs.excel import Sheet, SheetRow, build_workbook, cell_text, header_columns, open_xlsx
from apps.orgs.models import PHONE_RE as ORG_PHONE_RE
from apps.orgs.models import Org
from apps.orgs.permissions import access_org

MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024
CHUNK = 900  # below SQLite's old 999-variable limit
BULK = 500
STREAM_CHUNK = 500  # rows parsed, checked and written together

# The template's headers and values are Chinese in every UI language (like the tree import).
COL_RECOMMENDER = "推荐单位代码"
COL_CREDIT_CODE = "统一社会信用代码"
COL_TITLE = "案例标题"
COL_TYPE = "案例类型"
COL_ABSTRACT = "摘要"
SECTION_COLUMNS = (("background", "背景"), ("practice", "主要做法"), ("innovation", "创新点"),
                   ("results", "成效"), ("insights", "启示"))
COL_ECONOMIC = "经济效益"
COL_SOCIAL = "社会效益"
COL_CONTACT = "联系人"
COL_PHONE = "联系人手机"
COL_CONSENT_PUBLICITY = "同意公开宣传"
COL_CONSENT_TRUTHFUL = "承诺材料真实"
COLUMNS = (COL_RECOMMENDER, COL_CREDIT_CODE, COL_TITLE, COL_TYPE, COL_ABSTRACT,
           *(label for _f, label in SECTION_COLUMNS), COL_ECONOMIC, COL_SOCIAL, COL_CONTACT, COL_PHONE,
           COL_CONSENT_PUBLICITY, COL_CONSENT_TRUTHFUL)
TYPES = {"组织创新": Case.Type.ORGANISATIONAL, "技术创新": Case.Type.TECHNOLOGICAL, "工艺创新": Case.Type.PROCESS}
YES_NO = {"是": True, "否": False}
PHONE_RE = re.compile(ORG_PHONE_RE)
CONTACT_MAX = 50


def can_import_cases(user, org: Org) -> bool:
    """Admins and staff of the county itself (not the city above it: the import is the county's collection)."""
    return org.kind == Org.Kind.COUNTY and any(m.org_id == org.pk for m in memberships_of(user))


def access_case_import(user, code: str) -> Org:
    """The county whose cases the person may import, else the same 404 as for no such org."""
    org = access_org(user, code)
    if not can_import_cases(user, org):
        raise NotFound()
    return org


def programme_of(county: Org) -> Programme | None:
    """The county's province programme in the current (latest) campaign, the one collecting cases now."""
    campaign = current_campaign()
    return province_programme(campaign.pk, county) if campaign is not None else None


@dataclass
class ImportSummary:
    created: int = 0
    case_ids: list[int] = field(default_factory=list)
    by_recommender: dict[str, int] = field(default_factory=dict)  # association name → cases
    round_id: int | None = None


@dataclass
class _Row:
    number: int
    recommender: Org
    enterprise: Enterprise
    fields: dict


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass(frozen=True)
class _Unregistered:
    """A problem whose words depend on a query: the credit code is not registered in this county (it may be
    registered in another one). The checker runs in the reading thread, which must not use the database;
    _Checker.messages() looks all such codes up at once."""
    code: str


class _Checker:
    """Checks each row against the county's associations and enterprises; collects every problem.

    Everything it needs is loaded here, in the request's thread; `check` touches no database, so that it
    can run in the reading thread while this one writes the chunks before."""

    def __init__(self, county: Org, campaign_id: int):
        self.county = county
        self.campaign_id = campaign_id
        self.problems: list[tuple[int, list]] = []  # (row number, problems: text or _Unregistered)
        self.associations = {o.code: o for o in Org.plain.filter(parent=county, kind__in=Org.ASSOCIATIONS,
                                                                  is_active=True)}
        self.enterprises = {e.credit_code: e for e in Enterprise.plain.filter(campaign_id=campaign_id, county=county)
                            .only("id", "name", "credit_code", "county_id", "campaign_id")}
        self.existing = set(Case.plain.filter(campaign_id=campaign_id, county=county)
                            .values_list("enterprise_id", "title"))
        self.seen: dict[tuple[int, str], int] = {}

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def messages(self) -> list[str]:
        """Every bad row as 「第7行：…」, the unregistered credit codes named with the county they are
        registered in (one query per 900 codes)."""
        wanted = sorted({p.code for _n, found in self.problems for p in found if isinstance(p, _Unregistered)})
        elsewhere: dict[str, str] = {}
        for chunk in _chunks(wanted):
            elsewhere.update(Enterprise.plain.filter(campaign_id=self.campaign_id, credit_code__in=chunk)
                             .values_list("credit_code", "county__name"))

        def words(problem) -> str:
            if not isinstance(problem, _Unregistered):
                return problem
            if problem.code in elsewhere:
                return (_("统一社会信用代码%(code)s的企业登记在%(county)s，不属于本区县，应由所在区县推荐（属地原则）")
                        % {"code": problem.code, "county": elsewhere[problem.code]})
            return (_("统一社会信用代码%(code)s的企业尚未在本区县登记，请先在企业名录中添加该企业")
                    % {"code": problem.code})

        return [_("第%(n)d行：%(reasons)s") % {"n": number, "reasons": "；".join(map(words, found))}
                for number, found in self.problems]

    def check(self, sheet_row) -> _Row | None:
        values = sheet_row.values
        problems: list[str] = []

        code = values[COL_RECOMMENDER].upper()
        recommender = self.associations.get(code)
        if not code:
            problems.append(_("请填写推荐单位代码（本区县园区科协或企业科协的代码，见模板“填写说明”）"))
        elif recommender is None:
            problems.append(_("推荐单位代码“%(code)s”不是本区县的园区科协或企业科协") % {"code": code})

        raw_code = values[COL_CREDIT_CODE]
        credit = creditcode.normalise(raw_code)
        enterprise = None
        code_problems = creditcode.problems(raw_code)
        if code_problems:
            problems.extend(code_problems)
        else:
            enterprise = self.enterprises.get(credit)
            if enterprise is None:
                problems.append(_Unregistered(credit))

        title = values[COL_TITLE]
        if not title:
            problems.append(_("请填写案例标题"))
        elif len(title) > Case.TITLE_MAX:
            problems.append(_("案例标题超过%(max)d个字（当前%(n)d个字）") % {"max": Case.TITLE_MAX, "n": len(title)})

        type_text = values[COL_TYPE]
        case_type = TYPES.get(type_text)
        if case_type is None:
            problems.append(_("案例类型“%(value)s”不正确，应为组织创新、技术创新或工艺创新") % {"value": type_text}
                            if type_text else _("请填写案例类型（组织创新、技术创新或工艺创新）"))

        abstract = values[COL_ABSTRACT]
        if not abstract:
            problems.append(_("请填写摘要"))
        elif len(abstract) > Case.ABSTRACT_MAX:
            problems.append(_("摘要超过%(max)d个字（当前%(n)d个字）") % {"max": Case.ABSTRACT_MAX, "n": len(abstract)})

        sections = {name: values[label] for name, label in SECTION_COLUMNS}
        empty = [label for name, label in SECTION_COLUMNS if not sections[name]]
        if empty:
            problems.append(_("请填写正文的“%(sections)s”部分") % {"sections": "”“".join(empty)})
        body = sum(len(text) for text in sections.values())
        if body > Case.BODY_MAX:
            problems.append(_("正文五部分合计超过%(max)d个字（当前%(n)d个字），请精简")
                            % {"max": Case.BODY_MAX, "n": body})

        economic, social = values[COL_ECONOMIC], values[COL_SOCIAL]
        for label, text in ((COL_ECONOMIC, economic), (COL_SOCIAL, social)):
            if not text:
                problems.append(_("请填写%(label)s") % {"label": label})
            elif len(text) > BENEFIT_MAX:
                problems.append(_("%(label)s超过%(max)d个字") % {"label": label, "max": BENEFIT_MAX})

        contact = values[COL_CONTACT]
        if not contact:
            problems.append(_("请填写联系人"))
        elif len(contact) > CONTACT_MAX:
            problems.append(_("联系人超过%(max)d个字") % {"max": CONTACT_MAX})
        phone = re.sub(r"[\s-]", "", values[COL_PHONE])
        if not phone:
            problems.append(_("请填写联系人手机"))
        elif not PHONE_RE.match(phone):
            problems.append(_("联系人手机“%(phone)s”不正确，应为以1开头的11位手机号码") % {"phone": values[COL_PHONE]})

        consents = {}
        for name, label in (("consent_publicity", COL_CONSENT_PUBLICITY), ("consent_truthful", COL_CONSENT_TRUTHFUL)):
            value = YES_NO.get(values[label])
            if value is None:
                problems.append(_("“%(label)s”应填写“是”或“否”") % {"label": label})
            elif not value:
                problems.append(_("“%(label)s”为“否”的案例不能提交，请与企业确认后填写“是”") % {"label": label})
            consents[name] = bool(value)

        if enterprise is not None and title:
            key = (enterprise.pk, title)
            if key in self.existing:
                problems.append(_("该企业已有同名案例“%(title)s”，请勿重复导入") % {"title": title})
            elif key in self.seen:
                problems.append(_("与第%(n)d行重复（同一企业、同一标题）") % {"n": self.seen[key]})
            else:
                self.seen[key] = sheet_row.number

        if problems:
            self.problems.append((sheet_row.number, problems))
            return None
        return _Row(sheet_row.number, recommender, enterprise, {
            "title": title, "type": case_type.value, "abstract": abstract, **sections,
            "economic_benefits": economic, "social_benefits": social, "contact_name": contact,
            "contact_phone": phone, **consents,
        })


def snapshot(row: _Row) -> dict:
    """CaseVersion.data in the shape of apps.cases.selectors.case_snapshot, without its attachment query
    (an imported case has no attachments yet; one query per case would cost 10,000 round trips)."""
    fields = {name: "" for name in TEXT_FIELDS}
    fields.update(row.fields)
    return {
        "fields": {name: fields.get(name, False) for name in (*TEXT_FIELDS, *BOOL_FIELDS)},
        "enterprise": {"id": row.enterprise.pk, "name": row.enterprise.name,
                       "credit_code": row.enterprise.credit_code},
        "attachments": [],
    }


# Columns of codes and choices: NFKC-normalised (full-width digits and letters folded). Free text is only
# trimmed: NFKC would turn Chinese full-width punctuation (，：（）) into ASCII.
CODE_COLUMNS = frozenset({COL_RECOMMENDER, COL_CREDIT_CODE, COL_TYPE, COL_PHONE, COL_CONSENT_PUBLICITY,
                          COL_CONSENT_TRUTHFUL})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return cell_text(value)


def read_sheet(sheet: Sheet) -> Iterator[SheetRow]:
    """The template's rows (header row 1; any column order; empty rows skipped), as apps.orgs.excel.read_rows
    reads them, except that free text keeps its full-width punctuation."""
    rows = sheet.rows()
    index = [(h, i, h in CODE_COLUMNS) for h, i in header_columns(next(rows, None), COLUMNS).items()]
    count = 0
    for number, raw in enumerate(rows, start=2):
        width = len(raw)
        values = {h: ((cell_text(raw[i]) if code else _text(raw[i])) if i < width else "") for h, i, code in index}
        if not any(values.values()):
            continue
        if count >= MAX_ROWS:
            raise ValidationError(_("文件超过%(max)d行数据，请分多个文件导入") % {"max": MAX_ROWS})
        count += 1
        yield SheetRow(number, values)


_END = object()


def read_in_background(sheet: Sheet, checker: _Checker, size: int = STREAM_CHUNK) -> Iterator[list[_Row]]:
    """The sheet's good rows in chunks, read and checked by a second thread while this one writes the
    chunks before: the database works (in its own process) on one chunk while the next is read and
    checked. The thread runs under the caller's language so its messages read the same; an error in it
    is raised here. Bad rows are left out of the chunks and kept in `checker.problems`."""
    chunks: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()
    language = translation.get_language()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def parse() -> None:
        with translation.override(language):
            try:
                chunk: list[SheetRow] = []
                for row in read_sheet(sheet):
                    chunk.append(row)
                    if len(chunk) >= size:
                        if not put([r for r in map(checker.check, chunk) if r is not None]):
                            return
                        chunk = []
                if chunk:
                    put([r for r in map(checker.check, chunk) if r is not None])
                put(_END)
            except BaseException as exc:  # handed to the reading thread, which raises it
                put(exc)

    worker = threading.Thread(target=parse, name="case-import-reader", daemon=True)
    worker.start()
    try:
        while True:
            item = chunks.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _file_digest(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for block in iter(lambda: file.read(1 << 20), b""):
        digest.update(block)
    file.seek(0)
    return digest.hexdigest()


def cases_import(*, county: Org, by, file: IO[bytes], filename: str = "") -> ImportSummary:
    """Check every row of the uploaded template, then create all cases or none (issue 4 item 6, R-106, R-107)."""
    ensure(can_import_cases(by, county), NotFound)
    programme = programme_of(county)
    if programme is None:
        raise ValidationError(_("本省尚未开展本年度活动，暂不能导入案例"))
    # Read, not made: a bad file must change nothing (the round is opened below, inside the transaction).
    refusal = levels().intake_refusal(programme=programme, county=county)
    if refusal:
        raise ValidationError(refusal)

    digest = _file_digest(file)
    sheet = open_xlsx(file, max_bytes=MAX_BYTES)
    checker = _Checker(county, programme.campaign_id)
    now = timezone.now()
    rows: list[_Row] = []
    try:
        # All rows or none: chunks are written as soon as they are checked, inside one transaction that
        # rolls back if any row of the file is bad (every bad row is still checked and reported).
        with transaction.atomic():
            screening = levels().intake_open(programme=programme, county=county, by=by)
            # On PostgreSQL the cases stream into one COPY that stays open while the rows are read and
            # checked, so that the database stores each chunk while the next is checked.
            with CopyStream(Case, expected=min(sheet.height, MAX_ROWS)) as cases:
                for checked in read_in_background(sheet, checker):
                    if checker.failed:  # nothing more is written; every row is still checked and reported
                        continue
                    for row in checked:
                        cases.write(_case_row(row, programme=programme, county=county, by=by, at=now))
                    rows += checked
            if checker.failed:
                raise ValidationError(checker.messages())
            if not rows:
                raise ValidationError(_("文件中没有案例数据。请从第2行起每行填写一个案例"))
            case_ids = cases.ids
            _insert_versions(case_ids, rows, by=by, at=now)

            summary = ImportSummary(created=len(case_ids), case_ids=case_ids, round_id=screening.pk)
            for row in rows:
                name = row.recommender.name
                summary.by_recommender[name] = summary.by_recommender.get(name, 0) + 1
            audit_record(actor=by, action="case.import", target=county, data={
                "file": filename[:200], "sha256": digest, "rows": len(case_ids), "round": screening.pk,
                "cases": [case_ids[0], case_ids[-1]], "row_numbers": [rows[0].number, rows[-1].number]})
            # The cases enter the county's screening round, each audited as a submission's would be.
            levels().receive_imported(round=screening, cases=[(pk, row.fields["title"]) for pk, row
                                                              in zip(case_ids, rows)], by=by, at=now,
                                      insert=insert_rows)
    finally:
        sheet.close()
    return summary


def _case_row(row: _Row, *, programme: Programme, county: Org, by, at) -> dict:
    """A checked row as the columns of a submitted case, version 1."""
    return dict(
        campaign_id=programme.campaign_id, enterprise_id=row.enterprise.pk, recommender_id=row.recommender.pk,
        channel=(Case.Channel.PARK if row.recommender.kind == Org.Kind.PARK else Case.Channel.ENTERPRISE).value,
        county_id=county.pk, status=Case.Status.SUBMITTED.value, version=1, created_by_id=by.pk, submitted_at=at,
        created_at=at, updated_at=at, **row.fields)


def _insert_versions(case_ids: list[int], rows: list[_Row], *, by, at) -> None:
    """Version 1 of every imported case. On PostgreSQL the snapshot is built by the database from the rows
    just inserted (jsonb_build_object), so 10,000 texts are not sent a second time and parsed as JSON;
    the shape is snapshot()'s, which SQLite uses."""
    if connection.vendor != "postgresql":
        insert_rows(CaseVersion, [dict(case_id=pk, number=1, data=snapshot(row), submitted_by_id=by.pk,
                                       submitted_at=at) for pk, row in zip(case_ids, rows)])
        return
    names = (*TEXT_FIELDS, *BOOL_FIELDS)
    fields = ", ".join(f"'{name}', c.{connection.ops.quote_name(name)}" for name in names)
    sql = (
        f"INSERT INTO {CaseVersion._meta.db_table} (case_id, number, data, submitted_by_id, submitted_at) "
        f"SELECT c.id, 1, jsonb_build_object('fields', jsonb_build_object({fields}), "
        f"'enterprise', jsonb_build_object('id', e.id, 'name', e.name, 'credit_code', e.credit_code), "
        f"'attachments', '[]'::jsonb), %s, %s "
        f"FROM {Case._meta.db_table} c JOIN {Enterprise._meta.db_table} e ON e.id = c.enterprise_id "
        f"WHERE c.id = ANY(%s::bigint[])")
    with connection.cursor() as cursor:
        cursor.execute(sql, [by.pk, at, case_ids])


class CopyStream:
    """Rows written one by one into a table, their ids in `ids` once the block ends.

    On PostgreSQL one COPY stays open for the whole block: ids are taken from the table's sequence first
    (`expected` of them, one query; unused ones are a gap in the sequence, as a rolled-back insert leaves)
    and each row is sent as it is written, so the database stores rows while the caller prepares the
    next. No other query may run on the connection inside the block. Elsewhere (SQLite) the rows are
    collected and inserted by insert_rows when the block ends.

    Why not bulk_create on PostgreSQL: measured in bench/case_import.py, Django 5.2's bulk_create sends each
    column as one array (INSERT … SELECT FROM UNNEST) and psycopg escapes every element of a text array in
    Python; 10,000 cases of ~1,500 characters took ~25 s, ten times openpyxl's read of the file. COPY uses
    psycopg's C dumpers.
    """

    def __init__(self, model, *, expected: int):
        self.model = model
        self.expected = expected
        self.ids: list[int] = []
        self._rows: list[dict] = []
        self._copy = None

    def __enter__(self) -> CopyStream:
        if connection.vendor != "postgresql":
            return self
        meta = self.model._meta
        self._fields = [f for f in meta.concrete_fields if not f.primary_key]
        self._names = [f.attname for f in self._fields]
        self._json = {f.attname for f in self._fields if f.get_internal_type() == "JSONField"}
        self._defaults: dict | None = None
        self._pool = iter(_take_ids(meta, self.expected))
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in self._fields)])
        self._cursor = connection.cursor()
        self._context = self._cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN")
        self._copy = self._context.__enter__()
        return self

    def write(self, row: dict) -> None:
        if self._copy is None:
            self._rows.append(row)
            return
        if self._defaults is None:  # fields the rows leave out take their defaults
            self._defaults = {f.attname: f.get_default() for f in self._fields if f.attname not in row}
        pk = next(self._pool, None)
        if pk is None:
            raise RuntimeError(f"CopyStream({self.model.__name__}): more rows than the {self.expected} expected")
        values = {**self._defaults, **row} if self._defaults or self._json else row
        for name in self._json:
            values[name] = json.dumps(values[name], ensure_ascii=False)
        self._copy.write_row([pk, *(values[name] for name in self._names)])
        self.ids.append(pk)

    def __exit__(self, kind, error, trace) -> None:
        if self._copy is None:
            if kind is None:
                self.ids = insert_rows(self.model, self._rows)
            return
        try:
            self._context.__exit__(kind, error, trace)
        finally:
            self._cursor.close()


def _take_ids(meta, count: int) -> list[int]:
    """`count` new ids from the table's sequence (PostgreSQL), in one query."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, count])
        return [pk for (pk,) in cursor.fetchall()]


def insert_rows(model, rows: list[dict]) -> list[int]:
    """Insert rows (attname → value; a missing field takes its default) and return their new ids in order:
    by COPY on PostgreSQL (see CopyStream), by bulk_create elsewhere (SQLite, where it is fast)."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        meta = model._meta
        defaults = {f.attname: f.get_default() for f in meta.concrete_fields
                    if not f.primary_key and f.attname not in rows[0]}
        objs = [model(**defaults, **row) for row in rows]
        model._base_manager.bulk_create(objs, batch_size=BULK)
        return [obj.pk for obj in objs]
    with CopyStream(model, expected=len(rows)) as stream:
        for row in rows:
            stream.write(row)
    return stream.ids


def import_template(county: Org) -> bytes:
    """The template: the headers, no data rows, and a sheet explaining each column (with this county's
    association codes, the values the first column takes)."""
    associations = Org.plain.filter(parent=county, kind__in=Org.ASSOCIATIONS, is_active=True).order_by("code")
    codes = "\n".join(f"{o.code}　{o.name}（{o.get_kind_display()}）" for o in associations) or _("（本区县尚无园区科协或企业科协）")
    notes = [
        [_("列"), _("说明")],
        [COL_RECOMMENDER, _("必填。推荐该案例的园区科协或企业科协的单位代码，须为本区县的单位。本区县的单位代码：") + "\n" + codes],
        [COL_CREDIT_CODE, _("必填。企业的18位统一社会信用代码；企业须已在本区县的企业名录中登记（属地原则）。")],
        [COL_TITLE, _("必填，不超过30个字。")],
        [COL_TYPE, _("必填。填写“组织创新”“技术创新”或“工艺创新”之一。")],
        [COL_ABSTRACT, _("必填，不超过300个字。")],
        ["、".join(label for _n, label in SECTION_COLUMNS),
         _("正文五部分，均为必填，合计不超过5000个字（通常2000至3000字）。单元格内换行请按Alt+Enter。")],
        [f"{COL_ECONOMIC}、{COL_SOCIAL}", _("必填，各不超过2000个字。")],
        [COL_CONTACT, _("必填。企业联系人姓名。")],
        [COL_PHONE, _("必填。11位手机号码，以1开头。")],
        [f"{COL_CONSENT_PUBLICITY}、{COL_CONSENT_TRUTHFUL}", _("必填，填写“是”或“否”。须均为“是”才能提交。")],
        [_("整体规则"), _("每行一个案例，从第2行起填写，空行忽略；文件不超过10MB、不超过10000行。"
                       "全部行检查无误后一次性导入；任何一行有错误时不导入任何数据，并列出每个错误所在的行号和原因。"
                       "导入的案例为“已提交”（第1版），直接进入本区县的筛查名单。")],
        [_("附件"), _("照片、视频、演示文稿、佐证材料和盖章推荐表不在本表中，导入后请在每个案例的页面上传。")],
    ]
    return build_workbook(headers=COLUMNS, rows=[], notes_title=_("填写说明"), notes=notes, sheet_title=_("案例导入"))
