"""Demo cases (issue 4): about three times each demo province's target, at every state from draft to
reported to the city, with generated photos, a sealed form, slides and a short
MP4 (made with PyAV) for the cases of 杭州市, which go through the full submission path. Other cases were "collected
offline" (as the Excel import records them): submitted without files, so their counties' checklists
show what is missing. Deterministic for a given date; runs after seed_enterprises; idempotent."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from apps.campaigns.models import Campaign, Programme
from apps.campaigns.selectors import rulebook_values
from apps.cases.attachment_services import attachment_add
from apps.cases.models import Case
from apps.cases.services import _record_submission, case_create, case_submit
from apps.enterprises.models import Enterprise
from apps.orgs.demo import FULL_PROVINCES, demo_admin
from apps.orgs.models import Org

FULL_FILES_CITY = "330100"  # 杭州市: cases with every file, submitted through case_submit
CASES_PER_TARGET = 3

TECH = ["数字孪生", "工业互联网", "人工智能视觉", "5G专网", "柔性制造", "绿色低碳工艺", "精益管理", "产学研协同",
        "模块化设计", "智能仓储", "区块链溯源", "边缘计算", "激光加工", "新型复合材料", "余热回收"]
FIELD = ["装配产线", "质量检测", "供应链协同", "能耗管理", "研发流程", "设备运维", "安全生产", "产品设计", "物流配送",
         "人才培养"]
VERB = ["改造实践", "创新应用", "降本增效", "提质升级", "协同创新", "攻关突破"]
KIND = [Case.Type.TECHNOLOGICAL, Case.Type.PROCESS, Case.Type.ORGANISATIONAL]


POOLS = {
    "background": [
        "{e}成立于{y}年，主营产品在细分市场占有率居全国前列。",
        "近年来原材料价格上涨，{f}环节成本占比由百分之{a}升至百分之{b}。",
        "客户订单呈现多品种、小批量、交期短的特点，原有{f}方式难以适应。",
        "企业科协在职工中开展“金点子”征集，收到关于{f}的建议{n}条。",
        "行业同类企业已开始布局{t}，企业面临被拉开差距的压力。",
        "老一代技术骨干陆续退休，{f}经验难以传承，亟需沉淀为数字化知识。",
    ],
    "practice": [
        "成立由总工程师任组长、{n}名青年技术骨干组成的攻关小组，实行揭榜挂帅。",
        "与{u}共建联合实验室，围绕{t}开展联合攻关。",
        "分三期推进{f}改造：第一期试点一条产线，第二期推广到全车间，第三期打通上下游。",
        "建立周例会、月复盘制度，每项改进都设定可量化的目标和责任人。",
        "引入外部专家开展培训{n}场次，覆盖一线员工{m}人次。",
        "将改造经验写成标准作业指导书{n}份，纳入企业技术标准体系。",
        "设立创新积分，职工提出并实施的改进按效益给予奖励。",
    ],
    "innovation": [
        "在行业内率先将{t}用于{f}，自主开发关键算法与专用工装。",
        "提出“数据驱动、人机协同”的{f}新模式，获得发明专利{n}项、实用新型专利{m}项。",
        "首创{f}参数自动推演方法，换型准备时间由数小时缩短到数十分钟。",
        "构建覆盖全流程的质量追溯体系，实现问题产品分钟级定位。",
        "把{t}与精益管理结合，形成可复制的中小企业改造路径。",
    ],
    "results": [
        "{f}效率提升约百分之{a}，产品不良率下降约百分之{b}。",
        "年节约成本约{c}万元，新增产值约{d}万元。",
        "单位产品能耗下降百分之{b}，年减少二氧化碳排放约{m}吨。",
        "相关成果获省级科技进步奖，入选省级智能制造示范项目。",
        "交付周期由{n}周缩短到{b}天，客户满意度明显提升。",
    ],
    "insights": [
        "企业创新要坚持问题导向，从最痛的环节改起。",
        "要发挥企业科协联系科技工作者的优势，让一线职工成为创新主体。",
        "中小企业数字化改造宜小步快跑，先试点后推广。",
        "产学研合作要以企业需求为牵引，以成果落地为检验标准。",
        "管理创新与技术创新要同步推进，才能把技术红利转化为经营成效。",
    ],
}
UNIVERSITIES = ["浙江大学", "四川大学", "华南理工大学", "电子科技大学", "中山大学", "浙江工业大学", "西南交通大学"]


def _section(rng: random.Random, name: str, values: dict, count: tuple[int, int]) -> str:
    sentences = rng.sample(POOLS[name], k=min(len(POOLS[name]), rng.randint(*count)))
    return "".join(s.format(**values) for s in sentences)


def _text(rng: random.Random, tech: str, field: str, enterprise: str) -> dict[str, str]:
    """Section texts from shuffled sentence pools with the enterprise's own numbers, so cases differ as much
    as real ones do (the county's near-duplicate flag should catch copies, not the demo's templates)."""
    values = dict(e=enterprise, t=tech, f=field, u=rng.choice(UNIVERSITIES), y=rng.randint(1985, 2015),
                  a=rng.randint(15, 60), b=rng.randint(5, 30), c=rng.randint(100, 2000), d=rng.randint(500, 20000),
                  n=rng.randint(2, 12), m=rng.randint(20, 900))
    return {
        "abstract": f"{enterprise}围绕{field}的瓶颈，引入{tech}，{field}效率提升约百分之{values['a']}。",
        "background": _section(rng, "background", values, (3, 5)),
        "practice": _section(rng, "practice", values, (4, 6)),
        "innovation": _section(rng, "innovation", values, (2, 4)),
        "results": _section(rng, "results", values, (3, 5)),
        "insights": _section(rng, "insights", values, (2, 3)),
        "economic_benefits": f"年新增产值约{values['d']}万元，节约成本约{values['c']}万元。",
        "social_benefits": f"带动上下游企业{rng.randint(5, 40)}家开展同类改造，培养技术骨干{rng.randint(10, 80)}名。",
    }


def _photo(n: int, title: str) -> bytes:
    image = Image.new("RGB", (800, 600), (40 + n * 60 % 200, 90, 160 - n * 30 % 120))
    draw = ImageDraw.Draw(image)
    for i in range(8):
        draw.rectangle([60 + i * 80, 420 - i * 35, 110 + i * 80, 540], fill=(230, 230 - i * 20, 120 + i * 15))
    draw.text((40, 40), f"innocase demo photo {n}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _form_png() -> bytes:
    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([30, 30, 570, 770], outline="black", width=3)
    draw.ellipse([380, 560, 540, 720], outline=(200, 0, 0), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _slides_pdf() -> bytes:
    """A one-page PDF written by hand (offsets computed), enough to show the slides slot filled."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 36 Tf 80 300 Td (innocase demo slides) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _video() -> bytes:
    """Two seconds of H.264 test pattern, 320×240, encoded with PyAV (no system ffmpeg needed)."""
    import av

    out = io.BytesIO()
    with av.open("testsrc=duration=2:size=320x240:rate=15", format="lavfi") as source, \
            av.open(out, mode="w", format="mp4") as target:
        stream = target.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for frame in source.decode(video=0):
            target.mux(stream.encode(frame.reformat(format="yuv420p")))
        target.mux(stream.encode(None))
    return out.getvalue()


def _attach_files(case: Case, by, files: dict) -> None:

    for i, photo in enumerate(files["photos"]):
        attachment_add(case=case, kind="photo", upload=SimpleUploadedFile(f"现场照片{i + 1}.jpg", photo), by=by)
    attachment_add(case=case, kind="form", upload=SimpleUploadedFile("盖章推荐表.png", files["form"]), by=by)
    attachment_add(case=case, kind="slides", upload=SimpleUploadedFile("案例宣讲.pdf", files["slides"]), by=by)
    attachment_add(case=case, kind="video", upload=SimpleUploadedFile("案例视频.mp4", files["video"]), by=by)


def seed_cases(password: str, seed: int = 106) -> list:
    campaign = Campaign.plain.order_by("-year").first()
    if campaign is None or Case.plain.filter(campaign=campaign).exists():
        return []
    rng = random.Random(seed)
    files = {"photos": [_photo(n, "") for n in range(3)], "form": _form_png(), "slides": _slides_pdf(),
             "video": _video()}
    for code in FULL_PROVINCES:
        programme = Programme.plain.filter(campaign=campaign, org__code=code).select_related("org").first()
        if programme is not None:
            _seed_province(programme, rng, files)
    return []


def _seed_province(programme: Programme, rng: random.Random, files: dict) -> None:

    wanted = rulebook_values(programme)["target"] * CASES_PER_TARGET
    associations = list(Org.plain.filter(path__startswith=programme.org.path, kind__in=Org.ASSOCIATIONS)
                        .select_related("parent").order_by("path"))
    enterprises: dict[int, list[Enterprise]] = {}
    for enterprise in Enterprise.plain.filter(campaign=programme.campaign, county__path__startswith=programme.org.path):
        enterprises.setdefault(enterprise.county_id, []).append(enterprise)
    made: list[Case] = []
    rounds_made = 0
    while len(made) < wanted and associations:
        for association in associations:
            if len(made) >= wanted:
                break
            pool = enterprises.get(association.parent_id)
            if not pool:
                continue
            enterprise = pool[len(made) % len(pool)]
            made.append(_one_case(programme, association, enterprise, rng, files, index=len(made)))
        rounds_made += 1
        if rounds_made > 4:
            break


def _one_case(programme, association, enterprise, rng, files, *, index: int) -> Case:

    tech, field = rng.choice(TECH), rng.choice(FIELD)
    title = f"{tech}赋能{field}{rng.choice(VERB)}"[:Case.TITLE_MAX]
    text = dict(_text(rng, tech, field, enterprise.name), title=title, type=KIND[index % 3],
                consent_publicity=True, consent_truthful=True, contact_name=rng.choice(["王工", "李主任", "陈经理", "赵博士"]),
                contact_phone=f"139{rng.randint(10000000, 99999999)}")
    full = association.path.startswith(f"{programme.org.code}/") is False and FULL_FILES_CITY in association.path
    person = demo_admin(association) if full else None
    with transaction.atomic():
        if person is not None:
            case = case_create(recommender=association, enterprise=enterprise, by=person)
            Case.plain.filter(pk=case.pk).update(**text)
            case.refresh_from_db()
        else:
            case = Case.plain.create(campaign=programme.campaign, enterprise=enterprise, recommender=association,
                                     channel=Case.Channel.PARK if association.kind == Org.Kind.PARK else Case.Channel.ENTERPRISE,
                                     county=enterprise.county, **text)
        if index % 10 == 9:
            return case  # a draft still being written
        if person is not None:
            _attach_files(case, person, files)
            case_submit(case=case, by=person)
        else:
            _record_submission(case, None)
    return case
