"""Adds this area's objects to the permission-matrix world.

- world.xihu_enterprise: an enterprise of 西湖区 in world.campaign, registered by 西湖区's admin.
- world.little_giant_list: a little-giant list imported by 浙江省's admin, with one row that matched
  nothing (world.little_giant_row, unresolved).
"""

import io

from openpyxl import Workbook

from apps.core.creditcode import make_code
from apps.core.scoping import scope
from apps.enterprises.little_giants import little_giant_import
from apps.enterprises.models import LittleGiantRow
from apps.enterprises.services import enterprise_create


def workbook_bytes(rows, headers=("企业名称", "统一社会信用代码", "批次")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build(world) -> None:
    with scope(org=world.xihu):
        world.xihu_enterprise = enterprise_create(
            campaign=world.campaign, by=world.xihu_admin, county=world.xihu, park=world.xihu_park,
            name="杭州西湖智能装备有限公司", credit_code=make_code(region="330106", serial="MA2PBMEM2"),
            industry_section="C", industry_division="34", size="small", rd_staff=42, rd_spend="860.50",
            is_high_tech=True)
    with scope(org=world.zhejiang):
        result = little_giant_import(
            campaign=world.campaign, org=world.zhejiang, by=world.zhejiang_admin, batch=2023,
            file=io.BytesIO(workbook_bytes([("温州未登记精工有限公司", "", "")])), filename="第五批小巨人.xlsx")
    world.little_giant_list = result.lg_list
    world.little_giant_row = LittleGiantRow.plain.get(list=result.lg_list)
