"""Little-giant lists: import, matching by code then by name, refusals, the resolve flow, re-matching."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.campaigns.tests.world import build_campaign
from apps.core.errors import NotFound
from apps.core.scoping import scope, scopes_disabled
from apps.enterprises.little_giants import little_giant_import, little_giant_rematch, little_giant_row_resolve, name_key
from apps.enterprises.models import Enterprise, LittleGiantList, LittleGiantRow
from apps.enterprises.tests.world import workbook_bytes
from tests.factories import make_enterprise

S = LittleGiantRow.Status


@pytest.fixture
def world(tree):
    with scopes_disabled():
        build_campaign(tree)
        c = tree.campaign
        tree.gear = make_enterprise(c, tree.xihu, name="杭州西湖精密齿轮有限公司", serial="MA2GEAR01")
        tree.optic = make_enterprise(c, tree.xihu, name="杭州光学（西湖）有限公司", serial="MA20PT1C0")
        tree.twin_a = make_enterprise(c, tree.xihu, name="杭州同名科技有限公司", serial="MA2TW1NA0")
        tree.twin_b = make_enterprise(c, tree.shangcheng, name="杭州同名科技有限公司", serial="MA2TW1NB0")
        tree.haishu_e = make_enterprise(c, tree.haishu, name="宁波海曙模具有限公司", serial="MA2HA1HU0")
        tree.wuhou_e = make_enterprise(c, tree.wuhou, name="成都武侯电子有限公司", serial="MA2WH0001")
    return tree


def do_import(world, rows, *, by=None, org=None, batch=2023, headers=("企业名称", "统一社会信用代码", "批次"),
              content=None, filename="小巨人名单.xlsx"):
    org = org or world.zhejiang
    data = content if content is not None else workbook_bytes(rows, headers)
    with scope(org=org):
        return little_giant_import(campaign=world.campaign, org=org, by=by or world.zhejiang_admin,
                                   file=io.BytesIO(data), filename=filename, batch=batch)


def rows_of(result):
    return {r.row_number: r for r in LittleGiantRow.plain.filter(list=result.lg_list).select_related("enterprise")}


def batch_of(enterprise):
    return Enterprise.plain.get(pk=enterprise.pk).little_giant_batch


def nothing_written():
    return not LittleGiantList.plain.exists() and not LittleGiantRow.plain.exists() and not AuditEntry.plain.filter(
        action__startswith="littlegiant").exists()


def test_names_compare_after_nfkc_spaces_and_full_width_brackets():
    assert name_key(" 杭州光学(西湖) 有限公司") == name_key("杭州光学（西湖）有限公司") == "杭州光学(西湖)有限公司"
    assert name_key("ＡＢＣ科技　有限公司") == "ABC科技有限公司"


def test_a_row_with_a_credit_code_matches_by_code_even_under_another_name(world):
    result = do_import(world, [("杭州齿轮（曾用名）有限公司", world.gear.credit_code.lower(), "2021")])
    row = rows_of(result)[2]
    assert (row.status, row.matched_by, row.enterprise) == (S.MATCHED, "code", world.gear)
    assert batch_of(world.gear) == 2021


def test_a_row_without_a_code_matches_by_its_normalised_exact_name(world):
    result = do_import(world, [(" 杭州光学(西湖) 有限公司", "", "")])
    row = rows_of(result)[2]
    assert (row.status, row.matched_by, row.enterprise) == (S.MATCHED, "name", world.optic)
    assert batch_of(world.optic) == 2023  # the batch chosen on the upload form


def test_two_enterprises_with_the_same_name_make_the_row_ambiguous(world):
    result = do_import(world, [("杭州同名科技有限公司", "", "")])
    row = rows_of(result)[2]
    assert row.status == S.AMBIGUOUS and row.enterprise is None
    assert sorted(row.candidates) == sorted([world.twin_a.pk, world.twin_b.pk])
    assert batch_of(world.twin_a) is None and batch_of(world.twin_b) is None


def test_a_name_not_in_the_registry_is_unmatched_with_near_names_as_candidates(world):
    result = do_import(world, [("温州未登记精工有限公司", "", ""), ("西湖精密齿轮", "", "")])
    rows = rows_of(result)
    assert rows[2].status == S.UNMATCHED and rows[2].candidates == []
    assert rows[3].status == S.UNMATCHED and rows[3].candidates == [world.gear.pk]


def test_only_enterprises_of_the_importers_subtree_are_matched(world):
    result = do_import(world, [("成都武侯电子有限公司", world.wuhou_e.credit_code, "")])
    assert rows_of(result)[2].status == S.UNMATCHED
    assert batch_of(world.wuhou_e) is None


def test_the_centre_matches_across_provinces(world):
    result = do_import(world, [("成都武侯电子有限公司", "", "")], org=world.center, by=world.center_admin)
    assert rows_of(result)[2].enterprise == world.wuhou_e


def test_an_invalid_code_is_reported_by_row_and_position_and_the_row_matches_by_name(world):
    bad = world.gear.credit_code[:17] + ("0" if world.gear.credit_code[17] != "0" else "1")
    result = do_import(world, [("杭州光学（西湖）有限公司", "", ""), ("杭州西湖精密齿轮有限公司", bad, "")])
    assert result.warnings == ["第3行：统一社会信用代码第18位校验码不正确，请核对营业执照，该行改按企业名称匹配"]
    row = rows_of(result)[3]
    assert (row.status, row.matched_by, row.credit_code, row.credit_code_raw) == (S.MATCHED, "name", "", bad)
    assert "第18位校验码不正确" in row.code_problem


def test_a_valid_code_not_in_the_registry_with_a_known_name_needs_a_person(world):
    from apps.core.creditcode import make_code

    other = make_code(region="330106", serial="MA2NEWC0D")
    result = do_import(world, [("杭州西湖精密齿轮有限公司", other, "")])
    row = rows_of(result)[2]
    assert row.status == S.AMBIGUOUS and row.candidates == [world.gear.pk]
    assert "统一社会信用代码与名单不同" in row.note


def test_the_earliest_batch_wins(world):
    with scopes_disabled():
        Enterprise.plain.filter(pk=world.gear.pk).update(little_giant_batch=2020)
    do_import(world, [("杭州西湖精密齿轮有限公司", "", "2023"), ("杭州光学（西湖）有限公司", "", "第三批")])
    assert batch_of(world.gear) == 2020 and batch_of(world.optic) == 2021


def test_an_import_writes_one_audit_row_naming_every_batch_it_set(world):
    result = do_import(world, [("杭州西湖精密齿轮有限公司", "", ""), ("杭州同名科技有限公司", "", "")])
    entry = AuditEntry.plain.get(action="littlegiant.import")
    assert entry.target_id == str(result.lg_list.pk) and entry.org_path == world.zhejiang.path
    assert f'"batches_set":[[{world.gear.pk},null,2023]]' in entry.data
    assert result.counts == {"matched": 1, "unmatched": 0, "ambiguous": 1, "resolved": 0}


@pytest.mark.parametrize("rows,message", [
    ([("", "", "2021")], "第2行：请填写企业名称"),
    ([("杭州西湖精密齿轮有限公司", "", "2018")], "第2行：批次“2018”不正确"),
    ([("杭州西湖精密齿轮有限公司", "", "明年")], "第2行：批次“明年”不正确"),
    ([], "文件中没有企业数据"),
])
def test_a_bad_row_refuses_the_whole_file_and_writes_nothing(world, rows, message):
    good = [("杭州光学（西湖）有限公司", "", "2021")]
    with pytest.raises(ValidationError) as err:
        do_import(world, rows + good if rows else [])
    assert message in " ".join(err.value.messages)
    assert nothing_written() and batch_of(world.optic) is None


def test_a_missing_name_header_is_named(world):
    with pytest.raises(ValidationError) as err:
        do_import(world, [("x", "2021")], headers=("公司", "批次"))
    assert "第1行表头缺少“企业名称”列" in err.value.messages[0]
    assert nothing_written()


def test_without_a_batch_column_the_upload_must_name_the_batch(world):
    with pytest.raises(ValidationError) as err:
        do_import(world, [("杭州光学（西湖）有限公司",)], headers=("企业名称",), batch=None)
    assert "没有“批次”列" in err.value.messages[0]
    result = do_import(world, [("杭州光学（西湖）有限公司",)], headers=("企业名称",), batch=2024)
    assert rows_of(result)[2].batch == 2024


@pytest.mark.parametrize("content,message", [
    (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "文件不是Excel（.xlsx）格式"),
    ("企业名称,批次\n杭州光学（西湖）有限公司,2021\n".encode(), "文件不是Excel（.xlsx）格式"),
    (b"PK\x03\x04" + b"broken" * 50, "文件已损坏"),
    (b"", "文件不是Excel（.xlsx）格式"),
])
def test_a_file_that_is_not_a_workbook_is_refused_and_nothing_written(world, content, message):
    with pytest.raises(ValidationError) as err:
        do_import(world, [], content=content)
    assert message in err.value.messages[0]
    assert nothing_written()


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError) as err:
        do_import(world, [], content=out.getvalue())
    assert "不是Excel" in err.value.messages[0] and nothing_written()


def test_a_file_over_5_mb_is_refused(world):
    with pytest.raises(ValidationError) as err:
        do_import(world, [], content=b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024))
    assert "文件超过5MB" in err.value.messages[0] and nothing_written()


def test_more_than_10000_rows_are_refused(world):
    rows = [(f"企业{i}", "", "2021") for i in range(10_001)]
    with pytest.raises(ValidationError) as err:
        do_import(world, rows)
    assert "文件超过10000行数据" in err.value.messages[0] and nothing_written()


def test_a_city_may_not_import(world):
    with pytest.raises(NotFound):
        do_import(world, [("杭州光学（西湖）有限公司", "", "")], org=world.hangzhou, by=world.hangzhou_admin)
    with pytest.raises(NotFound):
        do_import(world, [("杭州光学（西湖）有限公司", "", "")], org=world.zhejiang, by=world.sichuan_admin)
    assert nothing_written()


# Resolving ---------------------------------------------------------------------------------

def test_picking_a_candidate_resolves_the_row_and_sets_the_batch_audited(world):
    result = do_import(world, [("杭州同名科技有限公司", "", "2022")])
    row = rows_of(result)[2]
    with scope(org=world.zhejiang):
        little_giant_row_resolve(row=row, by=world.zhejiang_admin, enterprise=world.twin_b)
    row.refresh_from_db()
    assert (row.status, row.enterprise, row.matched_by, row.resolved_by) == (
        S.RESOLVED, world.twin_b, "person", world.zhejiang_admin)
    assert batch_of(world.twin_b) == 2022 and batch_of(world.twin_a) is None
    actions = list(AuditEntry.plain.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["littlegiant.resolve", "enterprise.little_giant"]


def test_an_enterprise_that_is_not_a_candidate_may_not_be_picked(world):
    row = rows_of(do_import(world, [("杭州同名科技有限公司", "", "")]))[2]
    with pytest.raises(ValidationError), scope(org=world.zhejiang):
        little_giant_row_resolve(row=row, by=world.zhejiang_admin, enterprise=world.gear)
    row.refresh_from_db()
    assert row.status == S.AMBIGUOUS and batch_of(world.gear) is None


def test_an_unmatched_row_may_be_resolved_by_a_credit_code_of_the_subtree(world):
    row = rows_of(do_import(world, [("宁波某模具厂", "", "")]))[2]
    with pytest.raises(ValidationError) as err, scope(org=world.zhejiang):
        little_giant_row_resolve(row=row, by=world.zhejiang_admin, credit_code=world.wuhou_e.credit_code)
    assert "企业库中没有统一社会信用代码为" in err.value.messages[0]
    with scope(org=world.zhejiang):
        little_giant_row_resolve(row=row, by=world.zhejiang_admin, credit_code=world.haishu_e.credit_code.lower())
    row.refresh_from_db()
    assert row.enterprise == world.haishu_e and batch_of(world.haishu_e) == 2023


def test_marking_not_in_our_registry_resolves_without_an_enterprise(world):
    row = rows_of(do_import(world, [("温州未登记精工有限公司", "", "")]))[2]
    with scope(org=world.zhejiang):
        little_giant_row_resolve(row=row, by=world.zhejiang_admin)
    row.refresh_from_db()
    assert row.status == S.RESOLVED and row.enterprise is None and row.note == "不在本企业库中"
    with pytest.raises(ValidationError) as err, scope(org=world.zhejiang):
        little_giant_row_resolve(row=row, by=world.zhejiang_admin)
    assert "该行已处理" in err.value.messages[0]


def test_another_province_may_not_resolve(world):
    row = rows_of(do_import(world, [("温州未登记精工有限公司", "", "")]))[2]
    with pytest.raises(NotFound):
        little_giant_row_resolve(row=row, by=world.sichuan_admin)


def test_rematching_after_registration_matches_the_open_rows(world):
    result = do_import(world, [("温州未登记精工有限公司", "", ""), ("杭州同名科技有限公司", "", "")])
    with scopes_disabled():
        newcomer = make_enterprise(world.campaign, world.xihu, name="温州未登记精工有限公司", serial="MA2LATE01")
        Enterprise.plain.filter(pk=world.twin_b.pk).update(name="杭州同名科技（上城）有限公司")
    with scope(org=world.zhejiang):
        counts = little_giant_rematch(lg_list=result.lg_list, by=world.zhejiang_admin)
    rows = rows_of(result)
    assert rows[2].enterprise == newcomer and rows[3].enterprise == world.twin_a
    assert counts["matched"] == 2 and batch_of(newcomer) == 2023
    assert AuditEntry.plain.filter(action="littlegiant.rematch").count() == 1


# Pages -------------------------------------------------------------------------------------

def upload(rows, name="名单.xlsx"):
    return SimpleUploadedFile(name, workbook_bytes(rows), content_type="application/octet-stream")


def test_the_import_page_imports_and_shows_the_rows_to_resolve(client, world):
    client.force_login(world.zhejiang_admin)
    url = reverse("enterprises:littlegiant_index", args=[world.campaign.pk])
    assert "还没有导入小巨人名单" in client.get(url).content.decode()
    response = client.post(url, {"batch": "2024", "file": upload([
        ("杭州西湖精密齿轮有限公司", "", ""), ("杭州同名科技有限公司", "", ""), ("温州未登记精工有限公司", "", "")])})
    lg_list = LittleGiantList.plain.get()
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:littlegiant_detail",
                                                                            args=[lg_list.pk])
    page = client.get(response["Location"]).content.decode()
    assert "杭州同名科技有限公司" in page and "温州未登记精工有限公司" in page
    assert "待处理（2）" in page and world.twin_b.credit_code in page
    assert "已导入3行：已匹配1，多个候选1，未匹配1" in page


def test_a_broken_upload_lists_its_problems_and_writes_nothing(client, world):
    client.force_login(world.zhejiang_admin)
    response = client.post(reverse("enterprises:littlegiant_index", args=[world.campaign.pk]), {
        "batch": "", "file": upload([("", "", "2021"), ("杭州光学（西湖）有限公司", "", "2099")])})
    page = response.content.decode()
    assert response.status_code == 200 and "未导入任何数据" in page
    assert "第2行：请填写企业名称" in page and "第3行：批次“2099”不正确" in page
    assert nothing_written()


def test_the_resolve_page_flow(client, world):
    result = do_import(world, [("杭州同名科技有限公司", "", "")])
    row = rows_of(result)[2]
    client.force_login(world.zhejiang_admin)
    response = client.post(reverse("enterprises:littlegiant_resolve", args=[row.pk]), {"choice": str(world.twin_a.pk)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "第2行（杭州同名科技有限公司）已处理" in page and "没有待处理的行" in page
    assert batch_of(world.twin_a) == 2023


def test_the_resolve_page_asks_for_a_choice(client, world):
    row = rows_of(do_import(world, [("杭州同名科技有限公司", "", "")]))[2]
    client.force_login(world.zhejiang_admin)
    response = client.post(reverse("enterprises:littlegiant_resolve", args=[row.pk]), {}, follow=True)
    assert "请选择一家候选企业" in response.content.decode()
    row.refresh_from_db()
    assert row.status == S.AMBIGUOUS


def test_the_template_has_the_three_columns(client, world):
    from openpyxl import load_workbook

    client.force_login(world.zhejiang_admin)
    response = client.get(reverse("enterprises:littlegiant_template"))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in ws[1]] == ["企业名称", "统一社会信用代码", "批次"]
