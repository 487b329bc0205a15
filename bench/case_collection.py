"""The case collection (R-306) of 100 reviewed stories with photos, built as Word and PDF the way the background task
builds it (apps/publicity/collection.collection_build), as time per story and the build's peak memory.

The baseline, measured in the same run, is the same build holding one story: the figures say how a collection's
cost grows with its size (per story, a ratio near 1 means linear) and how much more memory 100 stories take than
one. Each build runs in a child process of its own (forked), so its peak resident memory (ru_maxrss, which counts
Pango's and HarfBuzz's memory as well as Python's) is its own. The photos are 3,000 × 2,000 JPEGs of about 1 MB, as
a phone takes them; each story is about 1,500 characters in the sanitised subset, with headings and a list.
"""

from __future__ import annotations

import io
import random
import time

from bench.common import PROVINCES, at_most, in_child, org_node, the_center

STORIES = 100
TIME_GOAL = 1.5  # per story, 100 stories against one
MEMORY_GOAL = 3.0  # peak memory, 100 stories against one


def _photo(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (3000, 2000), tuple(rng.randint(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):  # shapes, so the JPEG is as large as a photo's
        x, y = rng.randint(0, 2900), rng.randint(0, 1900)
        draw.ellipse((x, y, x + rng.randint(50, 600), y + rng.randint(50, 400)),
                     fill=tuple(rng.randint(0, 255) for _ in range(3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def build():
    """江西省 (bench.common.PROVINCES), one county with a park, the locked provincial list of 100 cases, and a
    reviewed story with a photo for each."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from apps.campaigns.models import Campaign, Programme
    from apps.cases.models import Case
    from apps.core.creditcode import make_code
    from apps.enterprises.models import Enterprise
    from apps.orgs.models import Membership, Org, User
    from apps.publicity.models import Story
    from apps.rounds.models import Round
    from apps.selection.models import LockedList
    from bench.case_import import _text
    from tests.factories import CASE_TEXT

    def org(kind, code, name, parent):
        node = org_node(kind, code, name, parent)
        node.save()
        return node

    code = PROVINCES["case_collection"][0]
    province = org(Org.Kind.PROVINCE, code, "江西省", the_center())
    city = org(Org.Kind.CITY, f"{code[:2]}0100", "南昌市", province)
    county = org(Org.Kind.COUNTY, f"{code[:2]}0111", "红谷滩区", city)
    park = org(Org.Kind.PARK, f"{county.code}-P001", "红谷滩科技园科协", county)
    clerk = User.objects.create_user("bench-collection-clerk", password="x")
    Membership.plain.create(user=clerk, org=province, role=Membership.Role.ADMIN)
    campaign, _ = Campaign.plain.get_or_create(year=2026, defaults={"name": "2026年企业典型创新案例征集及宣讲活动"})
    programme = Programme.plain.create(campaign=campaign, kind=Programme.Kind.PROVINCE, org=province, budget=200000,
                                       period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 11, 30))
    enterprises = Enterprise.plain.bulk_create([
        Enterprise(campaign=campaign, name=f"南昌红谷滩第{i + 1}科技有限公司", county=county, industry_section="C",
                   credit_code=make_code(region=county.code, serial=f"MB{i:07d}")) for i in range(STORIES)])
    text = {k: v for k, v in CASE_TEXT.items() if k != "title"}
    cases = Case.plain.bulk_create([
        Case(campaign=campaign, enterprise=e, recommender=park, channel="park", county=county, status="submitted",
             title=f"创新实践案例第{i + 1}号", **text) for i, e in enumerate(enterprises)])
    provincial = Round.plain.create(programme=programme, org=province, kind="province_selection",
                                    state=Round.State.LOCKED)
    today = timezone.localdate()
    LockedList.plain.create(round=provincial, number=1, slug="benchcollect1", case_ids=[c.pk for c in cases],
                            starts_on=today, ends_on=today, result={"inputs": []}, sha256="0" * 64)
    rng = random.Random(7)
    for i, case in enumerate(cases):
        body = "".join((f"<h3>{heading}</h3><p>{_text(rng, 300)}</p><p><strong>{_text(rng, 40)}</strong>"
                        f"{_text(rng, 160)}</p>") for heading in ("背景", "主要做法", "成效"))
        story = Story(programme=programme, org=province, case=case, title=f"创新故事第{i + 1}篇：{_text(rng, 14)}",
                      body=body + "<ul><li>经验一</li><li>经验二</li></ul>", state=Story.State.REVIEWED)
        story.photo.save(f"bench-story-{i}.jpg", ContentFile(_photo(rng)), save=False)
        story.save()
    return programme, clerk


def _build_in_child(programme, clerk) -> tuple[float, float, int]:
    """(seconds, peak resident MB, PDF pages) of one build in a forked child process."""
    def work() -> str:
        from apps.publicity.collection import collection_build
        from apps.publicity.services import case_collection_request

        return str(collection_build(case_collection_request(programme=programme, by=clerk).pk).pdf_pages or 0)

    seconds, peak, pages = in_child(work)
    return seconds, peak, int(pages)


def run(report, timed):
    from django.core.files.storage import default_storage

    from apps.core.pdf import pdf_unavailable
    from apps.publicity.models import CaseCollection, Story

    problem = pdf_unavailable()
    if problem:
        raise RuntimeError(f"no PDF on this machine: {problem}")
    started = time.perf_counter()
    programme, clerk = build()
    report.line("set-up: 100 cases, stories and 1-MB photos", f"{time.perf_counter() - started:.1f} s")
    stories = list(Story.plain.filter(programme=programme).order_by("case_id"))
    one, rest = stories[0], stories[1:]
    try:
        Story.plain.filter(pk__in=[s.pk for s in rest]).update(state=Story.State.EDITED)
        base_seconds, base_peak, base_pages = _build_in_child(programme, clerk)
        Story.plain.filter(pk__in=[s.pk for s in rest]).update(state=Story.State.REVIEWED)
        seconds, peak, pages = _build_in_child(programme, clerk)
        sizes = [(c.docx.size, c.pdf.size) for c in CaseCollection.plain.filter(programme=programme)
                 .order_by("number")]
    finally:
        for collection in CaseCollection.plain.filter(programme=programme):
            for field in (collection.docx, collection.pdf):
                if field:
                    default_storage.delete(field.name)
        for story in stories:
            default_storage.delete(story.photo.name)
    report.line("1 story: build s / peak MB / PDF pages", f"{base_seconds:.2f} / {base_peak:.0f} / {base_pages}")
    report.line(f"{STORIES} stories: build s / peak MB / PDF pages", f"{seconds:.1f} / {peak:.0f} / {pages}")
    report.line(f"{STORIES} stories: Word MB / PDF MB",
                f"{sizes[-1][0] / 1024 / 1024:.1f} / {sizes[-1][1] / 1024 / 1024:.1f}")
    report.line("time per story, 100 stories: s", f"{seconds / STORIES:.3f}")
    report.figure("time per story, 100 stories / 1 story", (seconds / STORIES) / base_seconds,
                  goal=at_most(TIME_GOAL, "x"))
    report.figure("peak memory, 100 stories / 1 story", peak / base_peak, goal=at_most(MEMORY_GOAL, "x"),
                  note=f"{peak:.0f} MB against {base_peak:.0f} MB")
