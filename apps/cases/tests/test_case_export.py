"""Excel export of the filtered case list: every matching row, Chinese headers, no formula injection."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from apps.audit.models import AuditEntry
from apps.cases.models import Case
from apps.cases.tests.list_world import build_list_cases, submitted_case
from apps.core.scoping import scopes_disabled
from tests.factories import make_enterprise

URL = "/cases/export/"


@pytest.fixture
def listed(tree):
    with scopes_disabled():
        return build_list_cases(tree)


def export(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return response, rows[0], rows[1:]


def test_the_export_has_chinese_headers_and_a_dated_file_name(client, listed):
    response, headers, _rows = export(client, listed.hangzhou_admin)
    assert headers[:5] == ["案例编号", "案例标题", "案例类型", "企业名称", "统一社会信用代码"]
    assert "本级结果" in headers
    disposition = unquote(response["Content-Disposition"])
    assert "案例列表-杭州市-" + timezone.localdate().strftime("%Y%m%d") + ".xlsx" in disposition
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_export_holds_the_filtered_rows_of_the_viewers_scope_only(client, listed):
    _r, headers, rows = export(client, listed.hangzhou_admin, type="technological")
    title = headers.index("案例标题")
    assert sorted(r[title] for r in rows) == sorted(["数字孪生柔性产线", "城市数据大脑"])
    assert {r[headers.index("案例类型")] for r in rows} == {"技术创新"}
    assert {r[headers.index("所在区县")] for r in rows} == {"西湖区", "上城区"}


def test_the_export_holds_every_matching_row_not_just_one_page(client, listed):
    with scopes_disabled():
        ent = make_enterprise(listed.campaign, listed.xihu, name="杭州导出测试有限公司", serial="MA2PBME55")
        Case.plain.bulk_create([Case(campaign=listed.campaign, enterprise=ent, recommender=listed.xihu_park,
                                     channel="park", county=listed.xihu, status="submitted", version=1,
                                     title=f"导出案例{i}") for i in range(120)])
    _r, _headers, rows = export(client, listed.xihu_admin)
    assert len(rows) == 122


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_that_could_start_a_formula_is_written_as_text(client, listed, trigger):
    title = f"{trigger}HYPERLINK(\"http://x\")"
    with scopes_disabled():
        ent = make_enterprise(listed.campaign, listed.xihu, name=f"{trigger}cmd|' /C calc'!A0", serial="MA2PBME66")
        submitted_case(ent, listed.xihu_park, listed.xihu_park_admin, title=title)
    _r, headers, rows = export(client, listed.xihu_admin)
    row = next(r for r in rows if r[headers.index("企业名称")].endswith("calc'!A0"))
    assert row[headers.index("案例标题")] == "'" + title
    assert row[headers.index("企业名称")].startswith("'" + trigger)


def test_an_export_leaves_an_audit_row_with_its_filters_and_size(client, listed):
    export(client, listed.zhejiang_admin, county="330100", channel="park")
    entry = AuditEntry.plain.filter(action="case.export").get()
    assert '"county":"330100"' in entry.data and '"rows":2' in entry.data
    assert entry.org_path == listed.zhejiang.path


def test_the_contacts_phone_is_exported_to_the_county_and_association_only(client, listed):
    with scopes_disabled():
        Case.plain.filter(pk=listed.cases["xihu_park"].pk).update(contact_name="王工", contact_phone="13900001234")
    _r, headers, rows = export(client, listed.xihu_admin)
    phones = [r[headers.index("联系人手机")] for r in rows]
    assert "13900001234" in phones
    _r, headers, rows = export(client, listed.xihu_park_admin)
    assert "13900001234" in [r[headers.index("联系人手机")] for r in rows]
    _r, headers, rows = export(client, listed.hangzhou_admin)
    assert "联系人手机" not in headers and "联系人" not in headers
    assert all("13900001234" not in [str(v) for v in r] for r in rows)
