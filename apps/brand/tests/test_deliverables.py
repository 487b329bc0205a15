"""Deliverables of the brand project (R-504): each is uploaded, goes to the centre's approval (never decided by the
person who uploaded it) and only then counts; a returned one is replaced by a new version; the promotional video is
checked for about five minutes (the rulebook's 270–330 s) and one that fails stays on record, marked failing,
uncounted; a national short video is cut from the provinces' topic videos that pass their spec."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.approvals.selectors import latest_of
from apps.approvals.services import approval_approve, approval_return
from apps.audit.models import AuditEntry
from apps.brand import services
from apps.brand.approvals import deliverable_thread
from apps.brand.models import Deliverable
from apps.campaigns.indicators import indicator_for
from apps.cases.tests.attachment_world import _ffmpeg, media, png_bytes  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.publicity.models import TopicVideo

pytestmark = pytest.mark.django_db
SPEC = {"min_seconds": 90, "max_seconds": 150, "codec": "h264", "min_width": 64, "min_height": 36,
        "aspect": "16:9", "audio": True}


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    """Tiny clips (1 frame a second, with sound): five minutes, one minute, and a two-minute cut."""
    folder = tmp_path_factory.mktemp("brand-videos")

    def clip(name: str, seconds: int) -> Path:
        return _ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x36:rate=1", "-f", "lavfi", "-i",
                       f"sine=frequency=440:duration={seconds}", "-t", str(seconds), "-c:v", "libx264",
                       "-pix_fmt", "yuv420p", "-c:a", "aac", out=folder / f"{name}.mp4")

    return {"five_minutes": clip("five_minutes", 300), "one_minute": clip("one_minute", 60),
            "cut": clip("cut", 100)}


@pytest.fixture
def team(brand_world, media):  # noqa: F811
    w = brand_world
    with scopes_disabled():
        w.campaign.video_spec = SPEC
        w.campaign.save()
        w.brand_programme.campaign.refresh_from_db()
    return w


def png(name="海报.png", size=(60, 40)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size=size), content_type="image/png")


def mp4(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4")


def add(w, kind="main_visual", upload=None, title="活动主视觉", **kw) -> Deliverable:
    return services.deliverable_add(programme=w.brand_programme, by=w.brand_staff, kind=kind, title=title,
                                    upload=upload or png(), **kw)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


def request_of(item: Deliverable):
    return latest_of(Deliverable.APPROVAL_KIND, deliverable_thread(item))


def r504(w):
    return indicator_for(w.brand_programme, "R-504")


def test_r504_a_deliverable_counts_only_once_the_centre_approved_it(team):
    with scopes_disabled():
        item = add(team)
        assert item.status == "pending" and request_of(item).state == "pending"
        assert r504(team).value == 0
        with pytest.raises((NotFound, ValidationError)):  # nobody decides on their own upload
            approval_approve(request=request_of(item), by=team.brand_staff)
        approval_approve(request=request_of(item), by=team.center_admin)
        item.refresh_from_db()
        assert item.status == "approved" and r504(team).value == 1
        assert AuditEntry.plain.filter(action="brand_deliverable.add").count() == 1


def test_r504_a_returned_deliverable_is_replaced_by_a_new_version(team):
    with scopes_disabled():
        first = add(team)
        assert "file" in errors_of(lambda: add(team, replaces=first, upload=png(size=(61, 40))))  # still pending
        approval_return(request=request_of(first), by=team.center_admin, comment="请加上活动名称")
        second = add(team, replaces=first, upload=png(size=(62, 40)), title="活动主视觉（修改）")
        first.refresh_from_db()
    assert (first.status, second.status, second.version, second.slot) == ("replaced", "pending", 2, 1)
    assert request_of(second).state == "pending"


def test_r504_three_posters_and_no_more(team):
    with scopes_disabled():
        for n in range(3):
            add(team, kind="poster", upload=png(size=(60 + n, 40)), title=f"海报{n + 1}")
        errors = errors_of(lambda: add(team, kind="poster", upload=png(size=(70, 40)), title="海报4"))
        assert Deliverable.plain.filter(kind="poster").count() == 3
    assert "海报只需3件" in errors["kind"][0]


def test_r504_the_brochure_is_a_pdf(team):
    with scopes_disabled():
        errors = errors_of(lambda: add(team, kind="brochure", title="宣传册"))
    assert list(errors) == ["file"]


def test_r504_a_promotional_video_of_about_five_minutes_goes_to_approval(team, clips):
    with scopes_disabled():
        item = add(team, kind="promo_video", upload=mp4(clips["five_minutes"]), title="宣传片")
    assert item.passes and item.status == "pending"
    assert {c["key"]: c["ok"] for c in item.checks}["duration"] is True


def test_r504_a_failing_promotional_video_stays_on_record_uncounted(team, clips):
    with scopes_disabled():
        item = add(team, kind="promo_video", upload=mp4(clips["one_minute"]), title="宣传片（短）")
        assert (item.passes, item.status) == (False, "failing")
        assert request_of(item) is None  # never sent for approval
        assert r504(team).value == 0
        again = add(team, replaces=item, upload=mp4(clips["five_minutes"]), title="宣传片")
    assert (again.version, again.status) == (2, "pending")
    duration = next(c for c in item.checks if c["key"] == "duration")
    assert duration["label"] == "时长270–330秒" and duration["found"] == "60秒"


def topic_video(w, passes: bool, n: int) -> TopicVideo:
    from apps.rounds.tests.conftest import submit

    case = submit(w).case if not hasattr(w, "case") else w.case
    w.case = case
    video = TopicVideo(programme=w.zhejiang_programme, org=w.zhejiang, case=case, title=f"专题视频{n}",
                       name=f"{n}.mp4", size=10, sha256=f"{n}" * 64, spec=SPEC, checks=[], passes=passes,
                       created_at=timezone.now())
    video.file.save(f"{n}.mp4", ContentFile(b"\x00"), save=False)
    video.save()
    return video


def test_r504_a_short_video_is_cut_from_passing_topic_videos_only(team, clips):
    with scopes_disabled():
        good, bad = topic_video(team, True, 1), topic_video(team, False, 2)
        assert list(errors_of(lambda: add(team, kind="short_video", upload=mp4(clips["cut"]), title="短视频"))) == [
            "sources"]
        errors = errors_of(lambda: add(team, kind="short_video", upload=mp4(clips["cut"]), title="短视频",
                                       sources=[good.pk, bad.pk]))
        assert "符合规格" in errors["sources"][0]
        item = add(team, kind="short_video", upload=mp4(clips["cut"]), title="短视频", sources=[good.pk])
        assert list(item.sources.all()) == [good] and item.status == "pending"
        assert "sources" in errors_of(lambda: add(team, upload=png(size=(64, 40)), sources=[good.pk]))


def test_r504_is_met_when_every_kind_is_approved(team):
    with scopes_disabled():
        Deliverable.plain.bulk_create(
            Deliverable(programme=team.brand_programme, kind=kind, slot=n + 1, title="t", file="brand/x.png",
                        name="x.png", content_type="image/png", size=1, sha256=f"{kind}{n}", status="approved")
            for kind, need in Deliverable.REQUIRED.items() for n in range(need))
        indicator = r504(team)
    assert (indicator.value, indicator.target) == (7, 7)
    assert indicator.status == "met"
    assert indicator.evidence[0].url == f"/brand/{team.brand_programme.pk}/deliverables/"


def test_a_province_uploads_nothing(team):
    with scopes_disabled(), pytest.raises(NotFound):
        services.deliverable_add(programme=team.brand_programme, by=team.zhejiang_admin, kind="poster",
                                 title="海报", upload=png())
