"""Builders of test data with real names. Tests read like the campaign: hangzhou, xihu, …"""

from __future__ import annotations

from types import SimpleNamespace

from apps.orgs.models import Membership, Org, User
from apps.orgs.services import membership_add, org_create, user_create

PASSWORD = "innocase-test-pw"


def make_user(username: str, full_name: str = "", phone: str = "") -> User:
    return user_create(username=username, full_name=full_name or username, phone=phone, password=PASSWORD)


def make_org(kind, code, name, parent, region_code=""):
    return org_create(kind=kind, code=code, name=name, parent=parent, region_code=region_code, audit=False)


def admin_of(org: Org, username: str | None = None, role=Membership.Role.ADMIN) -> User:
    user = make_user(username or f"admin-{org.code.lower()}", f"{org.name}管理员")
    membership_add(org=org, user=user, role=role, by=None, check=False)
    return user


def build_tree() -> SimpleNamespace:
    K = Org.Kind
    t = SimpleNamespace()
    t.center = make_org(K.CENTER, "000000", "中国科协企业创新服务中心", None)
    t.zhejiang = make_org(K.PROVINCE, "330000", "浙江省", t.center, "330000")
    t.sichuan = make_org(K.PROVINCE, "510000", "四川省", t.center, "510000")
    t.hangzhou = make_org(K.CITY, "330100", "杭州市", t.zhejiang, "330100")
    t.ningbo = make_org(K.CITY, "330200", "宁波市", t.zhejiang, "330200")
    t.chengdu = make_org(K.CITY, "510100", "成都市", t.sichuan, "510100")
    t.xihu = make_org(K.COUNTY, "330106", "西湖区", t.hangzhou, "330106")
    t.shangcheng = make_org(K.COUNTY, "330102", "上城区", t.hangzhou, "330102")
    t.haishu = make_org(K.COUNTY, "330203", "海曙区", t.ningbo, "330203")
    t.wuhou = make_org(K.COUNTY, "510107", "武侯区", t.chengdu, "510107")
    t.xihu_park = make_org(K.PARK, "330106-P001", "西湖科技园科协", t.xihu)
    t.xihu_ent = make_org(K.ENTERPRISE, "330106-E001", "杭州某科技有限公司科协", t.xihu)
    t.shangcheng_park = make_org(K.PARK, "330102-P001", "上城数字经济园科协", t.shangcheng)
    t.haishu_park = make_org(K.PARK, "330203-P001", "海曙智造园科协", t.haishu)
    t.haishu_ent = make_org(K.ENTERPRISE, "330203-E001", "宁波某机械股份有限公司科协", t.haishu)
    t.wuhou_park = make_org(K.PARK, "510107-P001", "武侯高新园科协", t.wuhou)
    t.center_admin = admin_of(t.center, "center-admin")
    for name in ("zhejiang", "sichuan", "hangzhou", "ningbo", "chengdu", "xihu", "shangcheng", "haishu", "wuhou",
                 "xihu_park", "xihu_ent", "haishu_park", "wuhou_park"):
        setattr(t, f"{name}_admin", admin_of(getattr(t, name)))
    t.hangzhou_staff = admin_of(t.hangzhou, "staff-330100", role=Membership.Role.STAFF)
    return t


def build_municipality(t: SimpleNamespace) -> SimpleNamespace:
    """上海市 (a municipality, 直辖市) under the tree's centre: 黄浦区, 徐汇区 and 浦东新区 directly under it, in the
    city's role, with park and enterprise associations and an admin each."""
    K = Org.Kind
    t.shanghai = make_org(K.PROVINCE, "310000", "上海市", t.center, "310000")
    t.huangpu = make_org(K.COUNTY, "310101", "黄浦区", t.shanghai, "310101")
    t.xuhui = make_org(K.COUNTY, "310104", "徐汇区", t.shanghai, "310104")
    t.pudong = make_org(K.COUNTY, "310115", "浦东新区", t.shanghai, "310115")
    t.huangpu_park = make_org(K.PARK, "310101-P001", "外滩金融科技园科协", t.huangpu)
    t.xuhui_park = make_org(K.PARK, "310104-P001", "漕河泾开发区科协", t.xuhui)
    t.pudong_park = make_org(K.PARK, "310115-P001", "张江科学城科协", t.pudong)
    t.pudong_park2 = make_org(K.PARK, "310115-P002", "金桥开发区科协", t.pudong)
    t.pudong_ent = make_org(K.ENTERPRISE, "310115-E001", "上海某集成电路有限公司科协", t.pudong)
    for name in ("shanghai", "huangpu", "xuhui", "pudong", "huangpu_park", "xuhui_park", "pudong_park", "pudong_ent"):
        setattr(t, f"{name}_admin", admin_of(getattr(t, name)))
    return t


def make_enterprise(campaign, county, *, name="杭州西湖智能装备有限公司", serial="MA2PBMEM2", park=None, **fields):
    """An enterprise of `county` with a valid credit code made from the county's region code."""
    from apps.core.creditcode import make_code
    from apps.enterprises.models import Enterprise

    code = make_code(region=county.region_code or county.code[:6], serial=serial)
    return Enterprise.plain.create(campaign=campaign, name=name, credit_code=code, county=county, park=park,
                                   **fields)


CASE_TEXT = {
    "title": "数字孪生驱动的柔性产线改造",
    "type": "technological",
    "abstract": "企业以数字孪生平台为核心，对传统装配线进行柔性化改造，实现多品种小批量混线生产。",
    "background": "传统产线换型时间长、良品率波动大。" * 10,
    "practice": "搭建产线数字孪生模型，打通设备数据与生产计划。" * 10,
    "innovation": "首创换型参数自动推演算法。" * 10,
    "results": "换型时间缩短百分之六十，良品率提升至百分之九十九点二。" * 10,
    "insights": "中小企业可以分步实施数字化改造。" * 10,
    "economic_benefits": "年节约成本约八百万元。",
    "social_benefits": "带动本地上下游企业二十余家开展数字化改造。",
    "consent_publicity": True,
    "consent_truthful": True,
    "contact_name": "王工",
    "contact_phone": "13800138000",
}


def make_case(enterprise, recommender, *, status="draft", **fields):
    """A case with complete text (a draft unless told), recommended by `recommender` for `enterprise`."""
    from apps.cases.models import Case

    data = {**CASE_TEXT, **fields}
    return Case.plain.create(campaign=enterprise.campaign, enterprise=enterprise, recommender=recommender,
                             channel="park" if recommender.kind == "park" else "enterprise",
                             county=enterprise.county, status=status, **data)
