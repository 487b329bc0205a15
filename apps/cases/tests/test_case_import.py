"""A county imports the cases it collected offline from the Excel template: every row or none (issue 4 item 6)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from apps.audit.models import AuditEntry
from apps.audit.services import audit_verify
from apps.cases import case_import
from apps.cases.case_import import COLUMNS, cases_import
from apps.cases.models import Case, CaseVersion
from apps.cases.tests.list_world import build_list_cases
from apps.core.scoping import scope, scopes_disabled
from apps.rounds.models import RoundEntry
from apps.rounds.services import round_for, round_transition
from tests.factories import CASE_TEXT

URL = "/cases/import/330106/"


@pytest.fixture
def county(tree):
    with scopes_disabled():
        return build_list_cases(tree)


def row(world, **over) -> dict:
    values = {
        "推荐单位代码": world.xihu_park.code, "统一社会信用代码": world.ent_xihu_maker.credit_code,
        "案例标题": "工业互联网平台赋能中小企业", "案例类型": "技术创新", "摘要": CASE_TEXT["abstract"],
        "背景": CASE_TEXT["background"], "主要做法": CASE_TEXT["practice"], "创新点": CASE_TEXT["innovation"],
        "成效": CASE_TEXT["results"], "启示": CASE_TEXT["insights"], "经济效益": CASE_TEXT["economic_benefits"],
        "社会效益": CASE_TEXT["social_benefits"], "联系人": "李工", "联系人手机": "13900139000",
        "同意公开宣传": "是", "承诺材料真实": "是",
    }
    values.update(over)
    return values


def xlsx(rows: list[dict], headers=COLUMNS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "cases.xlsx"
    return out


def run(world, rows, by=None):
    with scope(org=world.xihu):
        return cases_import(county=world.xihu, by=by or world.xihu_admin, file=xlsx(rows), filename="cases.xlsx")


def errors_of(world, rows) -> list[str]:
    before = (Case.plain.count(), AuditEntry.plain.count(), RoundEntry.plain.count())
    with pytest.raises(ValidationError) as exc:
        run(world, rows)
    assert (Case.plain.count(), AuditEntry.plain.count(), RoundEntry.plain.count()) == before, "a bad file wrote data"
    return exc.value.messages


def test_r107_imported_cases_are_submitted_version_1_and_pending_in_the_countys_screening(county):
    summary = run(county, [row(county), row(county, 案例标题="第二个案例", 推荐单位代码=county.xihu_ent.code,
                                          统一社会信用代码=county.ent_xihu_soft.credit_code, 案例类型="组织创新")])
    assert summary.created == 2
    cases = list(Case.plain.filter(pk__in=summary.case_ids).order_by("id"))
    assert [c.title for c in cases] == ["工业互联网平台赋能中小企业", "第二个案例"]
    assert all(c.status == "submitted" and c.version == 1 and c.submitted_at for c in cases)
    assert [c.channel for c in cases] == ["park", "enterprise"] and cases[1].type == "organisational"
    assert cases[0].background == CASE_TEXT["background"] and cases[0].consent_publicity
    versions = CaseVersion.plain.filter(case__in=cases, number=1)
    assert versions.count() == 2
    assert versions.get(case=cases[0]).data["fields"]["title"] == "工业互联网平台赋能中小企业"
    entries = RoundEntry.plain.filter(case__in=cases).select_related("round")
    assert {(e.round.org_id, e.round.kind, e.round.state, e.decision, e.case_version) for e in entries} == {
        (county.xihu.pk, "county_screening", "open", "pending", 1)}


def test_an_import_writes_one_summary_audit_row_and_one_receipt_per_case_on_an_unbroken_chain(county):
    summary = run(county, [row(county), row(county, 案例标题="第二个案例")])
    head = AuditEntry.plain.get(action="case.import")
    assert '"rows":2' in head.data and '"sha256"' in head.data and head.org_path == county.xihu.path
    receipts = AuditEntry.plain.filter(action="round.receive", data__contains='"import":true')
    assert sorted(int(r.target_id) for r in receipts) == sorted(
        RoundEntry.plain.filter(case_id__in=summary.case_ids).values_list("pk", flat=True))
    assert audit_verify().ok


def test_the_import_refuses_every_bad_row_with_its_number_and_writes_nothing(county):
    from apps.core.creditcode import make_code

    five = {"背景": "背" * 1000, "主要做法": "做" * 1000, "创新点": "创" * 1000, "成效": "成" * 1000, "启示": "启" * 1001}
    bad = [
        {},  # row 2 is fine
        dict(案例标题="一" * 31),  # row 3
        dict(摘要="摘" * 301, 案例类型="管理创新"),  # row 4
        five,  # row 5
        dict(联系人手机="12345"),  # row 6
        dict(同意公开宣传="否", 承诺材料真实=""),  # row 7
        dict(推荐单位代码=county.shangcheng_park.code),  # row 8
        dict(统一社会信用代码=county.ent_shangcheng.credit_code),  # row 9
        dict(统一社会信用代码="914403001922038217"),  # row 10
        dict(统一社会信用代码=make_code(region="330106", serial="MA2PBME99")),  # row 11
        dict(启示=""),  # row 12
    ]
    messages = errors_of(county, [row(county, **{"案例标题": f"案例{i}", **over}) for i, over in enumerate(bad)])
    text = "\n".join(messages)
    assert not any(m.startswith("第2行") for m in messages)
    assert "第3行：案例标题超过30个字（当前31个字）" in text
    assert "第4行：" in text and "案例类型“管理创新”不正确" in text and "摘要超过300个字" in text
    assert "第5行：正文五部分合计超过5000个字（当前5001个字）" in text
    assert "第6行：联系人手机“12345”不正确" in text
    assert "第7行：“同意公开宣传”为“否”的案例不能提交" in text and "“承诺材料真实”应填写“是”或“否”" in text
    assert "第8行：推荐单位代码“330102-P001”不是本区县的园区科协或企业科协" in text
    assert "第9行：" in text and "登记在上城区，不属于本区县" in text
    assert "第10行：统一社会信用代码第18位校验码不正确" in text
    assert "第11行：" in text and "尚未在本区县登记" in text
    assert "第12行：请填写正文的“启示”部分" in text
    assert len(messages) == 10


def test_a_case_repeated_in_the_file_or_already_present_is_refused(county):
    messages = errors_of(county, [row(county), row(county), row(county, 案例标题="数字孪生柔性产线")])
    assert messages == ["第3行：与第2行重复（同一企业、同一标题）", "第4行：该企业已有同名案例“数字孪生柔性产线”，请勿重复导入"]


def test_full_width_digits_and_spaces_in_codes_and_phones_are_accepted(county):
    code = county.ent_xihu_maker.credit_code
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in code)
    summary = run(county, [row(county, 统一社会信用代码=f" {full_width.lower()} ", 联系人手机="139 0013 9000",
                               推荐单位代码=county.xihu_park.code.lower())])
    assert Case.plain.get(pk=summary.case_ids[0]).contact_phone == "13900139000"


def test_a_file_that_is_not_xlsx_is_refused(county):
    with scope(org=county.xihu), pytest.raises(ValidationError, match="不是Excel"):
        cases_import(county=county.xihu, by=county.xihu_admin, file=io.BytesIO("标题,类型\n".encode() * 10))


def test_a_file_over_10_mb_is_refused(county):
    big = io.BytesIO(b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024))
    with scope(org=county.xihu), pytest.raises(ValidationError, match="超过10MB"):
        cases_import(county=county.xihu, by=county.xihu_admin, file=big)


def test_a_file_over_10000_rows_is_refused(county):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(COLUMNS))
    for i in range(case_import.MAX_ROWS + 1):
        ws.append([county.xihu_park.code, "x", f"t{i}"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    with scope(org=county.xihu), pytest.raises(ValidationError, match="超过10000行"):
        cases_import(county=county.xihu, by=county.xihu_admin, file=out)


def test_a_file_without_the_templates_headers_is_refused(county):
    with pytest.raises(ValidationError, match="缺少“承诺材料真实”列"):
        run_file = xlsx([row(county)], headers=COLUMNS[:-1])
        with scope(org=county.xihu):
            cases_import(county=county.xihu, by=county.xihu_admin, file=run_file)


def test_an_empty_template_is_refused(county):
    assert errors_of(county, []) == ["文件中没有案例数据。请从第2行起每行填写一个案例"]


def test_r107_a_county_that_reported_its_list_takes_no_more_imported_cases(county):
    screening = round_for(programme=county.zhejiang_programme, org=county.xihu, kind="county_screening")
    round_transition(round=screening, to="locked", by=county.xihu_admin)
    assert errors_of(county, [row(county)]) == ["西湖区已锁定并上报推荐名单，不再接收案例"]


def test_only_the_countys_own_people_may_import(county):
    from apps.core.errors import NotFound

    for user in (county.hangzhou_admin, county.xihu_park_admin, county.shangcheng_admin):
        with scope(org=county.xihu), pytest.raises(NotFound):
            cases_import(county=county.xihu, by=user, file=xlsx([row(county)]))


def test_the_template_has_the_columns_and_explains_them_with_the_countys_association_codes(client, county):
    client.force_login(county.xihu_admin)
    response = client.get(URL + "template/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == list(COLUMNS)
    assert wb.worksheets[0].max_row == 1  # no example rows that could be imported by mistake
    notes = "\n".join(str(c.value) for r in wb.worksheets[1].iter_rows() for c in r if c.value)
    assert "330106-P001　西湖科技园科协（园区科协）" in notes and "330102-P001" not in notes
    assert "导入后请在每个案例的页面上传" in notes


def test_the_import_page_lists_the_bad_rows_in_chinese(client, county):
    client.force_login(county.xihu_admin)
    upload = SimpleUploadedFile("cases.xlsx", xlsx([row(county, 联系人手机="1")]).getvalue())
    body = client.post(URL, {"file": upload}).content.decode()
    assert "发现 1 处问题，未导入任何案例" in body and "第2行：联系人手机“1”不正确" in body


def test_the_import_page_reports_what_it_imported(client, county):
    client.force_login(county.xihu_admin)
    upload = SimpleUploadedFile("cases.xlsx", xlsx([row(county), row(county, 案例标题="第二个案例")]).getvalue())
    body = client.post(URL, {"file": upload}).content.decode()
    assert "已导入 2 件案例" in body and "西湖科技园科协" in body
    listed = client.get("/cases/").content.decode()
    assert "第二个案例" in listed
