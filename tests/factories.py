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
