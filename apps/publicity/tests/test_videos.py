"""Topic videos (issue 17, item 3, R-304): clips made by ffmpeg are checked against the campaign's spec line by
line (length, codec, resolution, aspect ratio, sound); a failing video stays on record and does not count; a file
that is not an MP4, or is too large, is refused and nothing is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.campaigns.indicators import Status, indicator_for
from apps.campaigns.models import Rulebook
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.cases.tests.attachment_world import _ffmpeg, media  # noqa: F401 (fixture)
from apps.core.scoping import scopes_disabled
from apps.publicity.models import TopicVideo
from apps.publicity.services import topic_video_add
from apps.publicity.videos import spec_checks

pytestmark = pytest.mark.django_db
SPEC = {"min_seconds": 90, "max_seconds": 150, "codec": "h264", "min_width": 64, "min_height": 36,
        "aspect": "16:9", "audio": True}


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    """Tiny clips (1 frame a second) of the lengths and kinds the spec tells apart."""
    folder = tmp_path_factory.mktemp("topic-videos")

    def clip(name: str, seconds: int, size: str = "64x36", codec: str = "libx264", sound: bool = True) -> Path:
        args = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=1"]
        if sound:
            args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        args += ["-t", str(seconds), "-c:v", codec, "-pix_fmt", "yuv420p"]
        if codec == "libx265":
            args += ["-x265-params", "log-level=error", "-tag:v", "hvc1"]
        args += ["-c:a", "aac"] if sound else ["-an"]
        return _ffmpeg(*args, out=folder / f"{name}.mp4")

    return {"ok": clip("ok", 120), "short": clip("short", 30), "long": clip("long", 200),
            "hevc": clip("hevc", 120, codec="libx265"), "silent": clip("silent", 120, sound=False),
            "square": clip("square", 120, size="64x64")}


@pytest.fixture
def province(campaign_world, media):  # noqa: F811
    """浙江省 with a locked provincial list of one case and the small test spec."""
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList

    w = campaign_world
    with scopes_disabled():
        w.case = submit(w).case
        province = Round.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, kind="province_selection",
                                      state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=province, number=1, slug="videos000001", case_ids=[w.case.pk], starts_on=today,
                                ends_on=today, result={"inputs": []}, sha256="0" * 64)
        w.campaign.video_spec = SPEC
        w.campaign.save()
        w.zhejiang_programme.campaign.refresh_from_db()
    return w


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4")


def add(w, path: Path, title: str = "数字孪生产线改造纪实"):
    return topic_video_add(org=w.zhejiang, programme=w.zhejiang_programme, by=w.zhejiang_admin, title=title,
                           case_id=w.case.pk, upload=upload(path))


def failed(video: TopicVideo) -> list[str]:
    return [line["key"] for line in video.checks if not line["ok"]]


@pytest.mark.parametrize("name, wrong", [("ok", []), ("short", ["duration"]), ("long", ["duration"]),
                                         ("hevc", ["codec"]), ("silent", ["audio"]), ("square", ["aspect"])])
def test_r304_each_clip_is_checked_line_by_line_and_a_failing_one_stays_on_record(province, clips, name, wrong):
    video = add(province, clips[name])
    assert failed(video) == wrong and video.passes == (not wrong)
    assert TopicVideo.plain.filter(pk=video.pk).exists() and Path(video.file.path).exists()
    duration = next(line for line in video.checks if line["key"] == "duration")
    assert duration["label"] == "时长90–150秒" and duration["found"].endswith("秒")


def test_r304_a_file_too_large_or_not_an_mp4_is_refused_and_nothing_is_stored(province, clips, settings, media):  # noqa: F811
    settings.CASE_VIDEO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        add(province, clips["ok"])
    assert "超过" in refused.value.message_dict["file"][0]
    settings.CASE_VIDEO_MAX_BYTES = 50 * 1024 * 1024
    fake = SimpleUploadedFile("视频.mp4", b"<html>not a video</html>" * 10, content_type="video/mp4")
    with pytest.raises(ValidationError):
        topic_video_add(org=province.zhejiang, programme=province.zhejiang_programme, by=province.zhejiang_admin,
                        title="假视频", case_id=province.case.pk, upload=fake)
    assert not TopicVideo.plain.exists() and not any(p.is_file() for p in media.rglob("*"))


def test_r304_the_same_file_once_and_only_for_a_case_of_the_provincial_list(province, clips):
    add(province, clips["ok"])
    with pytest.raises(ValidationError, match="已上传过"):
        add(province, clips["ok"], title="另一个标题")
    from apps.rounds.tests.conftest import submit

    other = submit(province).case
    with pytest.raises(ValidationError) as refused:
        topic_video_add(org=province.zhejiang, programme=province.zhejiang_programme, by=province.zhejiang_admin,
                        title="名单外", case_id=other.pk, upload=upload(clips["short"]))
    assert "省级遴选名单" in refused.value.message_dict["case"][0]


def test_r304_only_passing_videos_count(province, clips):
    w = province
    with scopes_disabled():
        book = Rulebook.plain.get(programme=w.zhejiang_programme)
        book.values = {**book.values, "topic_videos_min": 2}
        book.save()
    add(w, clips["ok"])
    add(w, clips["short"])
    when = dt.datetime(w.campaign.year, 11, 25, tzinfo=dt.timezone.utc)
    with scopes_disabled():
        found = indicator_for(w.zhejiang_programme, "R-304", now=when)
    assert (found.value, found.status) == (1, Status.AT_RISK) and "1条不符合规格" in found.notes[0]
    add(w, clips["silent"])
    with scopes_disabled():
        book.values = {**book.values, "topic_videos_min": 1}
        book.save()
        assert indicator_for(w.zhejiang_programme, "R-304", now=when).status == Status.MET


def test_an_unreadable_file_fails_one_line_that_says_so():
    lines = spec_checks(None, SPEC)
    assert [(line.key, line.ok) for line in lines] == [("readable", False)]
    vertical = {"streams": [{"codec_type": "video", "codec_name": "h264", "width": 1080, "height": 1920},
                            {"codec_type": "audio", "codec_name": "aac"}], "format": {"duration": "120.0"}}
    checks = {line.key: line.ok for line in spec_checks(vertical, {**SPEC, "aspect": "9:16"})}
    assert checks == {"duration": True, "codec": True, "resolution": True, "aspect": True, "audio": True}
