"""Excel import of the tree below a province (issue 3 item 2): all or nothing, every bad row named."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from apps.audit.models import AuditEntry
from apps.orgs.excel import safe_cell
from apps.orgs.importer import COLUMNS, import_template, orgs_import
from apps.orgs.models import Org
from apps.orgs.tests.conftest import xlsx_file

HAPPY = [
    ("市", "330300", "", "330000"),             # 温州市, official name from the region data
    ("区县", "330302", "", "330300"),           # 鹿城区, parent earlier in the file
    ("园区科协", "", "鹿城科技园科协", "330302"),
    ("企业科协", "", "温州某电气有限公司科协", "330302"),
    ("企业科协", "LC-E900", "鹿城某鞋业科协", "330302"),
    ("区县", "330105", "拱墅区科协", "330100"),  # an existing city as parent, a name given
    ("园区科协", "", "紫金港科技城科协", "330106"),  # existing county that already has P001
]


def counts():
    return Org.plain.count(), AuditEntry.plain.count()


def rejected(province, by, rows, **kw) -> list[str]:
    """Import `rows`, expect a refusal, and check that nothing was written."""
    before = counts()
    with pytest.raises(ValidationError) as err:
        orgs_import(province=province, by=by, file=xlsx_file(rows, **kw))
    assert counts() == before
    return err.value.messages


def test_a_province_admin_imports_cities_counties_and_associations(tree, system):
    summary = orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=xlsx_file(HAPPY), filename="浙江.xlsx")
    assert summary.created == {"city": 1, "county": 2, "park": 2, "enterprise": 2}
    assert summary.skipped == 0

    wenzhou = Org.plain.get(code="330300")
    assert (wenzhou.name, wenzhou.kind, wenzhou.parent, wenzhou.region_code) == ("温州市", "city", tree.zhejiang, "330300")
    lucheng = Org.plain.get(code="330302")
    assert lucheng.name == "鹿城区" and lucheng.parent == wenzhou
    assert lucheng.path == "000000/330000/330300/330302/" and lucheng.depth == 3
    park = Org.plain.get(name="鹿城科技园科协")
    assert park.code == "330302-P001" and park.path == lucheng.path + "330302-P001/" and park.depth == 4
    assert Org.plain.get(name="温州某电气有限公司科协").code == "330302-E001"
    assert Org.plain.get(code="LC-E900").parent == lucheng
    assert Org.plain.get(code="330105").name == "拱墅区科协"
    # 西湖区 already has 330106-P001: the next free number is taken.
    assert Org.plain.get(name="紫金港科技城科协").code == "330106-P002"


def test_an_import_writes_one_summary_audit_row(tree, system):
    before = AuditEntry.plain.count()
    summary = orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=xlsx_file(HAPPY), filename="浙江.xlsx")
    assert AuditEntry.plain.count() == before + 1
    entry = AuditEntry.plain.get(action="org.import")
    data = json.loads(entry.data)
    assert entry.actor_label == "admin-330000" and entry.org_path == tree.zhejiang.path
    assert data["created"] == {"city": 1, "county": 2, "park": 2, "enterprise": 2}
    assert sorted(data["codes"]) == sorted(summary.codes) and len(data["codes"]) == 7
    assert len(data["sha256"]) == 64 and data["file"] == "浙江.xlsx"


def test_rows_identical_to_existing_orgs_are_skipped_so_a_file_can_be_uploaded_twice(tree, system):
    orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=xlsx_file(HAPPY))
    before = counts()
    summary = orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=xlsx_file(HAPPY))
    assert summary.total_created == 0 and summary.skipped == len(HAPPY)
    assert counts() == before


def test_an_existing_county_row_with_an_empty_name_is_already_present(tree, system):
    summary = orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=xlsx_file([
        ("区县", "330106", "", "330100"),
        ("园区科协", "", "之江实验室园区科协", "330106"),
    ]))
    assert summary.skipped == 1 and summary.created == {"park": 1}


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(tree, system):
    rows = [("市", "330300", "", "330000"), None, None, None, None,
            ("区县", "330302", "", "330199")]
    assert rejected(tree.zhejiang, tree.zhejiang_admin, rows) == ["第7行：上级单位代码330199不存在"]


@pytest.mark.parametrize("row,message", [
    (("省", "330300", "温州", "330000"), "第2行：级别“省”不正确，应为市、区县、园区科协或企业科协"),
    (("", "330300", "温州", "330000"), "第2行：请填写级别"),
    (("区县", "330199", "", "330100"), "第2行：单位代码330199不是有效的行政区划代码"),
    (("市", "33030", "", "330000"), "第2行：单位代码“33030”应为6位行政区划代码"),
    (("市", "510100", "", "330000"), "第2行：510100（成都市）不属于浙江省"),
    (("区县", "510107", "", "330100"), "第2行：510107（武侯区）不属于浙江省"),
    (("区县", "330300", "", "330000"), "第2行：330300（温州市）是市级代码，级别应填“市”"),
    (("市", "330302", "", "330000"), "第2行：330302（鹿城区）是区县级代码，级别应填“区县”"),
    (("区县", "330302", "", "330300"), "第2行：上级单位代码330300不存在"),
    (("区县", "330302", "", ""), "第2行：请填写上级单位代码"),
    (("园区科协", "", "某园区科协", "330100"), "第2行：园区科协的上级单位必须是区县，330100（杭州市）是市"),
    (("区县", "330212", "", "330000"), "第2行：区县的上级单位必须是市，330000（浙江省）是省"),
    (("区县", "330212", "", "330100"), "第2行：330212（鄞州区）不在上级单位330100（杭州市）辖区内，其上级应为330200"),
    (("园区科协", "", "某园区科协", "510107"), "第2行：上级单位510107（武侯区）不属于浙江省"),
    (("园区科协", "", "", "330106"), "第2行：请填写单位名称"),
    (("企业科协", "", "  ", "330106"), "第2行：请填写单位名称"),
    (("园区科协", "330106-P001", "另一个园区科协", "330106"), "第2行：单位代码330106-P001已存在（西湖科技园科协，园区科协，上级单位330106），与本行不一致"),
    (("区县", "330106", "西湖新区", "330100"), "第2行：单位代码330106已存在（西湖区，区县，上级单位330100），与本行不一致"),
    (("园区科协", "X", "某园区科协", "330106"), "第2行：单位代码“X”只能包含数字、大写字母和“-”"),
    (("园区科协", "", "园" * 101, "330106"), "第2行：单位名称超过100个字"),
])
def test_every_kind_of_bad_row_is_reported_in_chinese_and_nothing_is_written(tree, system, row, message):
    messages = rejected(tree.zhejiang, tree.zhejiang_admin, [row])
    assert len(messages) == 1 and messages[0].startswith(message), messages


def test_a_duplicate_code_in_the_file_names_the_first_row(tree, system):
    messages = rejected(tree.zhejiang, tree.zhejiang_admin, [
        ("市", "330300", "", "330000"),
        ("市", "330300", "温州", "330000"),
    ])
    assert messages == ["第3行：单位代码330300与第2行重复"]


def test_the_same_codeless_association_twice_under_one_county_is_a_duplicate(tree, system):
    messages = rejected(tree.zhejiang, tree.zhejiang_admin, [
        ("园区科协", "", "云栖小镇科协", "330106"),
        ("园区科协", "", "云栖小镇科协", "330106"),
    ])
    assert messages == ["第3行：与第2行重复：同一上级单位下已有同名的园区科协"]


def test_a_parent_must_come_before_its_children_in_the_file(tree, system):
    messages = rejected(tree.zhejiang, tree.zhejiang_admin, [
        ("区县", "330302", "", "330300"),
        ("市", "330300", "", "330000"),
    ])
    assert messages == ["第2行：上级单位330300在第3行，应排在本行之前"]


def test_every_bad_row_is_reported_not_only_the_first(tree, system):
    rows = [("市", "330300", "", "330000"), ("省", "1", "", ""), ("区县", "330302", "", "330300"),
            ("园区科协", "", "", "330302"), ("区县", "330199", "", "330300")]
    messages = rejected(tree.zhejiang, tree.zhejiang_admin, rows)
    assert [m.split("：")[0] for m in messages] == ["第3行", "第5行", "第6行"]


def test_a_municipality_imports_its_districts_directly_under_it(tree, system):
    """北京市 has no city level (GB/T 2260): its districts sit under it and take the city's role."""
    from apps.orgs.services import org_create

    beijing = org_create(kind=Org.Kind.PROVINCE, code="110000", name="北京市", parent=tree.center, region_code="110000")
    assert beijing.is_municipality and not tree.zhejiang.is_municipality
    rows = [("区县", "110101", "", "110000"), ("区县", "110108", "", ""),
            ("园区科协", "", "中关村科学城科协", "110108"), ("企业科协", "", "北京某科技有限公司科协", "110101")]
    summary = orgs_import(province=beijing, by=tree.center_admin, file=xlsx_file(rows))
    assert summary.created == {"county": 2, "park": 1, "enterprise": 1}
    haidian = Org.plain.get(code="110108")
    assert (haidian.name, haidian.parent, haidian.depth) == ("海淀区", beijing, Org.CITY_DEPTH)
    assert haidian.takes_city_role and not Org.plain.get(code="330106").takes_city_role
    assert Org.plain.get(name="中关村科学城科协").parent == haidian


def test_a_municipality_has_no_cities_and_a_province_has_no_districts_under_it(tree, system):
    from apps.orgs.services import org_create

    beijing = org_create(kind=Org.Kind.PROVINCE, code="110000", name="北京市", parent=tree.center, region_code="110000")
    messages = rejected(beijing, tree.center_admin, [("市", "110100", "", "110000")])
    assert messages[0].startswith("第2行：单位代码110100不是有效的行政区划代码")
    # A county of 浙江省 must sit under its city, not under the province.
    messages = rejected(tree.zhejiang, tree.zhejiang_admin, [("区县", "330302", "", "330000")])
    assert messages[0] == "第2行：区县的上级单位必须是市，330000（浙江省）是省"
    with pytest.raises(ValidationError, match="不是直辖市"):
        org_create(kind=Org.Kind.COUNTY, code="330302", name="鹿城区", parent=tree.zhejiang, region_code="330302")
    with pytest.raises(ValidationError, match="是直辖市，没有市级单位"):
        org_create(kind=Org.Kind.CITY, code="110100", name="北京市市辖区", parent=beijing)


# Files that are not what they claim to be.

def test_a_text_file_renamed_xlsx_is_refused(tree, system):
    before = counts()
    fake = io.BytesIO("级别,单位代码,单位名称,上级单位代码\n市,330300,,330000\n".encode())
    fake.name = "tree.xlsx"
    with pytest.raises(ValidationError, match="文件不是Excel（.xlsx）格式"):
        orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=fake)
    assert counts() == before


def test_an_old_xls_file_is_refused(tree, system):
    ole = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    with pytest.raises(ValidationError, match="另存为"):
        orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=ole)


def test_a_zip_that_is_not_a_workbook_is_refused(tree, system):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(ValidationError, match="文件不是Excel"):
        orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=buf)


def test_a_truncated_workbook_is_refused(tree, system):
    whole = xlsx_file(HAPPY).getvalue()
    with pytest.raises(ValidationError, match="文件已损坏"):
        orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=io.BytesIO(whole[: len(whole) // 2]))


def test_a_file_over_5_mb_is_refused(tree, system):
    big = io.BytesIO(b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="文件超过5MB"):
        orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=big)


def test_a_file_with_more_than_20000_rows_is_refused(tree, system):
    rows = [("园区科协", "", f"园区{i}科协", "330106") for i in range(20_001)]
    before = counts()
    with pytest.raises(ValidationError, match="文件超过20000行数据"):
        orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=xlsx_file(rows))
    assert counts() == before


def test_a_sheet_without_the_template_headers_is_refused(tree, system):
    messages = rejected(tree.zhejiang, tree.zhejiang_admin, [("市", "330300")], headers=("级别", "代码"))
    assert messages == ["第1行表头缺少“单位代码”、“单位名称”、“上级单位代码”列。表头应为：级别、单位代码、单位名称、上级单位代码，请使用下载的模板"]


def test_a_file_without_data_rows_is_refused(tree, system):
    assert rejected(tree.zhejiang, tree.zhejiang_admin, [None, None]) == ["文件中没有数据行。请从第2行起每行填写一个单位"]


# Who may import.

def test_a_city_admin_cannot_import(tree, system):
    before = counts()
    with pytest.raises(Http404):
        orgs_import(province=tree.zhejiang, by=tree.hangzhou_admin, file=xlsx_file(HAPPY))
    with pytest.raises(Http404):
        orgs_import(province=tree.hangzhou, by=tree.hangzhou_admin, file=xlsx_file(HAPPY))
    assert counts() == before


def test_a_province_admin_cannot_import_into_another_province(tree, system):
    with pytest.raises(Http404):
        orgs_import(province=tree.zhejiang, by=tree.sichuan_admin, file=xlsx_file(HAPPY))


def test_a_province_admin_cannot_smuggle_another_provinces_orgs_in(tree, system):
    messages = rejected(tree.sichuan, tree.sichuan_admin, [("市", "330300", "", "330000")])
    assert messages[0].startswith("第2行：330300（温州市）不属于四川省")


def test_the_centre_admin_may_import_into_a_province(tree, system):
    summary = orgs_import(province=tree.sichuan, by=tree.center_admin, file=xlsx_file([("市", "510300", "", "")]))
    assert summary.created == {"city": 1}
    assert Org.plain.get(code="510300").parent == tree.sichuan


# The template.

def test_the_template_has_headers_an_example_and_a_sheet_of_notes(tree, system):
    wb = load_workbook(io.BytesIO(import_template(tree.zhejiang)))
    first, notes = wb.worksheets
    rows = list(first.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[1] == ("市", "330100", "杭州市", "330000")
    assert notes.title == "填写说明" and notes.max_row >= 5
    assert [r[0] for r in notes.iter_rows(min_row=2, max_row=5, values_only=True)] == list(COLUMNS)


def test_the_template_as_downloaded_imports_cleanly(tree, system):
    template = io.BytesIO(import_template(tree.zhejiang))
    summary = orgs_import(province=tree.zhejiang, by=tree.zhejiang_admin, file=template)
    # 杭州市 and 上城区 are in the tree already; the two example associations are new.
    assert summary.skipped == 2 and summary.created == {"park": 1, "enterprise": 1}


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("西湖区", "西湖区"), ("a=b", "a=b"), (42, 42), (None, None),
])
def test_safe_cell_neutralises_formula_injection(value, expected):
    assert safe_cell(value) == expected


def test_a_written_cell_that_looks_like_a_formula_stays_text():
    from apps.orgs.excel import build_workbook

    wb = load_workbook(io.BytesIO(build_workbook(headers=["名称"], rows=[["=HYPERLINK(\"http://x\")"]])))
    cell = wb.active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


# The page.

def test_the_import_page_shows_every_bad_row(client, tree, system):
    client.force_login(tree.zhejiang_admin)
    before = counts()
    upload = xlsx_file([("区县", "330302", "", "330199"), ("园区科协", "", "", "330106")])
    response = client.post(reverse("org_import", args=["330000"]), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "未导入任何数据" in body
    assert "第2行：上级单位代码330199不存在" in body and "第3行：请填写单位名称" in body
    assert counts() == before


def test_the_import_page_shows_the_summary_by_level(client, tree, system):
    client.force_login(tree.zhejiang_admin)
    response = client.post(reverse("org_import", args=["330000"]), {"file": xlsx_file(HAPPY)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "导入完成" in body and Org.plain.filter(code="330300").exists()


def test_the_import_page_refuses_a_renamed_text_file_in_words(client, tree, system):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(tree.zhejiang_admin)
    fake = SimpleUploadedFile("tree.xlsx", "市,330300".encode(), content_type=
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = client.post(reverse("org_import", args=["330000"]), {"file": fake})
    assert response.status_code == 200 and "文件不是Excel（.xlsx）格式" in response.content.decode()


def test_the_template_downloads_as_xlsx(client, tree):
    client.force_login(tree.zhejiang_admin)
    response = client.get(reverse("org_import_template", args=["330000"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:4] == b"PK\x03\x04"
