"""The demo campaign: programmes for 浙江省, 四川省, 广东省 and the brand project, with project leads,
teams, rulebooks and work rules. Runs after apps.orgs.demo.seed_tree; idempotent (fills only what is empty)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.campaigns import rules
from apps.campaigns.models import Campaign, Programme, QuotaPlan, Rulebook, WorkRules
from apps.campaigns.selectors import quota_table
from apps.campaigns.services import (
    campaign_create,
    programme_application_update,
    programme_update,
    quota_manual_set,
    rulebook_update,
    work_rules_update,
)
from apps.core.creditcode import make_code
from apps.orgs.demo import DEMO_PROVINCES, LIGHT_PROVINCES
from apps.orgs.models import Org, User


def demo_year(today: dt.date | None = None) -> int:
    """The demo campaign's year: this year while its case collection (deadline 31 August) is still
    ahead, else next year, so a fresh demo always has open deadlines to work against."""
    today = today or dt.date.today()
    return today.year if today < dt.date(today.year, 8, 1) else today.year + 1


DEMO_YEAR = demo_year()

LEADS = {
    "330000": ("浙江省科协企业创新服务中心", "陈晓峰", "13905710001",
               [("周丽华", "案例征集与审核"), ("王立成", "宣讲活动组织"), ("孙悦", "宣传与媒体联络"), ("郑凯", "经费管理")]),
    "510000": ("四川省科协企业工作部", "李文静", "13908060002",
               [("杨帆", "案例征集与审核"), ("刘洋", "宣讲活动组织"), ("何静", "宣传与媒体联络")]),
    "440000": ("广东省科技交流服务中心", "黄志明", "13902200003",
               [("梁嘉欣", "案例征集与审核"), ("陈伟杰", "宣讲活动组织"), ("林晓", "宣传与媒体联络"), ("冯敏", "经费管理")]),
    "310000": ("上海市科协企业创新服务中心", "沈佳怡", "13901210005",
               [("顾晓东", "案例征集与审核"), ("陆燕", "宣讲活动组织"), ("倪俊", "宣传与媒体联络"), ("蒋蕾", "经费管理")]),
    "000000": ("中国科协企业创新服务中心", "张宁", "13901010004",
               [("赵晨", "品牌策划"), ("钱敏", "媒体联络"), ("吴迪", "设计与视频制作")]),
}

# The lighter provinces: a project lead and a small team each (names made up for the demo).
LIGHT_LEADS = ("徐卫国", "马丽娟", "郭志强", "罗春燕", "宋建华", "唐晓梅", "韩磊", "冯雪")
for n, code in enumerate(LIGHT_PROVINCES):
    LEADS[code] = ("{province}科协企业工作部", LIGHT_LEADS[n], f"139{n:02d}0000{n + 10:02d}",
                   [("周敏", "案例征集与审核"), ("李强", "宣讲活动组织")])

# Rulebook values that differ from the defaults, per province (the rest stay at DOMAIN.md's defaults).
RULEBOOK_CHANGES = {
    "330000": {"surplus_ratio": Decimal("0.25"), "provincial_event_deadline": f"{DEMO_YEAR}-10-20"},
    "510000": {"province_park_share_min": Decimal("0.35"), "case_submission_deadline": f"{DEMO_YEAR}-08-25"},
    "440000": {"media_reports_min": 8, "topic_videos_min": 36},
}

WORK_RULES = {
    "overall_flow": (
        "本次活动按照“企业（园区）推荐—区县筛查—市级遴选—省级遴选—宣讲展示”的流程开展。\n"
        "7月完成动员部署，8月底前园区科协、企业科协完成案例推荐，9月上旬区县科协完成筛查并上报，"
        "9月下旬各市完成遴选并向省级推荐，10月中旬完成省级遴选和宣讲人选拔，10月底前举办首场省级宣讲活动。"),
    "quota_allocation": (
        "全省宣传推广案例目标为100件。名额按各市园区科协和企业科协数量的比例分配，采用最大余额法计算，"
        "有科协的市至少分配1个名额。各市推荐名单须实行差额推荐，差额比例不低于规定比例。"),
    "enterprise_recommendation": (
        "园区科协、企业科协按照公平、公正、公开、择优的原则，组织企业自主申报、内部评议，"
        "择优向所在区县科协推荐，遵循属地原则。\n"
        "推荐案例应体现组织创新、技术创新或工艺创新，材料真实完整，附加盖公章的推荐表。"),
    "city_selection": (
        "市级科协可综合采用专家评审、网络投票、小型宣讲会等方式开展遴选，"
        "按分配名额和差额比例形成推荐名单，同一企业推荐案例不超过1件。"),
    "provincial_selection": (
        "省级科协组织专家评审和网络投票，遴选不超过100件省级案例，其中园区科协推荐案例占比不低于30%。"
        "从省级案例中选拔10名宣讲人，每市不超过2名，园区科协推荐比例不低于30%。"),
    "publicity_plan": (
        "活动分预热、征集、宣讲、总结四个阶段开展全周期宣传，综合运用电视、网络和新媒体平台，"
        "宣讲活动进行网络直播。全年省级媒体报道不少于5篇，权威主流媒体综述报道不少于1篇，"
        "制作专题视频不少于30条，撰写案例故事100篇。"),
    "event_plan": (
        "组建省级宣讲团，采取线上线下相结合的方式，在科技型企业和科技工作者密集的园区举办省级宣讲活动不少于1场，"
        "鼓励各市结合实际自行组织。每场活动前将活动方案和宣讲材料报中心审核。"),
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed_campaign(password: str) -> list[tuple[str, str, str]]:
    """Create (or complete) the demo campaign. Adds no logins: it uses the tree's admins."""
    centre_admin = _user("center-admin")
    if centre_admin is None:
        raise RuntimeError("seed_campaign runs after apps.orgs.demo.seed_tree (it needs center-admin)")
    campaign = Campaign.plain.filter(year=DEMO_YEAR).first()
    if campaign is None:
        provinces = list(Org.plain.filter(code__in=DEMO_PROVINCES, kind=Org.Kind.PROVINCE))
        campaign = campaign_create(year=DEMO_YEAR, name=f"{DEMO_YEAR}年企业典型创新案例征集及宣讲活动",
                                   by=centre_admin, provinces=provinces)
    for programme in Programme.plain.filter(campaign=campaign).select_related("org", "campaign"):
        code = programme.org.code
        admin = centre_admin if programme.kind == Programme.Kind.BRAND else _user(f"admin-{code}")
        if admin is None or code not in LEADS:
            continue
        if not programme.project_lead:
            unit, lead, phone, team = LEADS[code]
            unit = unit.format(province=programme.org.name)
            programme_update(programme=programme, by=admin, implementing_unit=unit, project_lead=lead,
                             project_lead_phone=phone, team=[{"name": n, "role": r} for n, r in team])
        if programme.kind != Programme.Kind.PROVINCE:
            continue
        if not programme.unit_credit_code and code not in INCOMPLETE_APPLICATIONS:
            _record_application(programme, admin)
        rulebook = Rulebook.plain.get(programme=programme)
        if rulebook.values == rules.default_values(DEMO_YEAR) and code in RULEBOOK_CHANGES:
            rulebook_update(rulebook=rulebook, by=admin, values=RULEBOOK_CHANGES[code])
        work_rules = WorkRules.plain.get(programme=programme)
        if len(work_rules.empty_sections()) == len(WorkRules.SECTIONS):
            work_rules_update(work_rules=work_rules, by=admin, sections=WORK_RULES)
        if code == QUOTA_TABLE_PROVINCE:
            _send_quota_table(programme, admin)
    return []


# Two lighter provinces have not completed their application (申报条件): the centre's list flags them.
INCOMPLETE_APPLICATIONS = ("410000", "500000")
# A one-page letter of support, as a sealed scan would be uploaded (a small PDF made here).
LETTER_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _record_application(programme: Programme, admin) -> None:
    """The implementing unit's legal-person status, its credit code (made valid for the demo) and the letter."""
    serial = f"MA{int(programme.org.code[:2]) * 7919 % 10**7:07d}"
    code = make_code(authority="5", kind="1", region=programme.org.code, serial=serial)
    programme_application_update(programme=programme, by=admin, legal_person=True, credit_code=code,
                                 letter=SimpleUploadedFile(f"{programme.org.name}科协支持函.pdf", LETTER_PDF,
                                                           content_type="application/pdf"))


# One province has sent the centre a manual quota table: it waits in the centre's approvals inbox, and
# the computed split stands until the centre decides.
QUOTA_TABLE_PROVINCE = "510000"


def _send_quota_table(programme: Programme, admin) -> None:
    if QuotaPlan.plain.filter(programme=programme).exists():
        return
    computed = [line for line in quota_table(programme).computed]
    if len(computed) < 2 or computed[0].quota < 2:
        return
    quotas = {line.code: line.quota for line in computed}
    quotas[computed[0].code] -= 1
    quotas[computed[1].code] += 1
    quota_manual_set(programme=programme, by=admin, quotas=quotas,
                     reason=f"{computed[1].name}新增两个国家级园区，科协数量将于年内增加，按实际调整一个名额。")
