"""Permission-matrix rows of case attachments. The world comes from attachment_world.build:
world.xihu_case (a draft of 西湖区, recommended by 西湖科技园科协) with one photo, world.xihu_photo, and
world.xihu_submitted_case with its files (world.xihu_submitted_photo). Files follow the case's own rule: a
draft's stay with the association; a submitted case's are read by the offices above too."""

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.cases.tests.attachment_world import jpeg_bytes
from tests.matrix import Row

ANON = {"anon": 302}
# A draft's files: the association alone; its county, the offices above, siblings and other provinces get 404.
DRAFT_PARK = {**ANON, "own": 200, "ancestor": 404, "sibling": 404, "foreign": 404}
DRAFT_CITY = {"own": 404, "staff": 404, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}
# A submitted case's files: the association and every office above it; not its sibling, not other provinces.
SEE_PARK = {**ANON, "own": 200, "ancestor": 200, "sibling": 404, "foreign": 404}
SEE_CITY = {"own": 200, "staff": 200, "ancestor": 200, "descendant": 200, "sibling": 404, "foreign": 404}
# Only the recommending association changes files; offices above it see them but do not change them.
CHANGE = {**ANON, "own": 302, "ancestor": 404, "sibling": 404, "foreign": 404}


def _case(w):
    return {"case_pk": w.xihu_case.pk}


def _photo(w):
    return {"pk": w.xihu_photo.pk}


def _submitted(w):
    return {"case_pk": w.xihu_submitted_case.pk}


def _submitted_photo(w):
    return {"pk": w.xihu_submitted_photo.pk}


def _upload(w):
    return {"kind": "photo", "file": SimpleUploadedFile("现场.jpg", jpeg_bytes(), content_type="image/jpeg")}


ROWS = [
    Row("cases:attachment_list", lambda w: (_case(w), "xihu_park"), DRAFT_PARK),
    Row("cases:attachment_list", lambda w: (_case(w), "hangzhou"), DRAFT_CITY, note="a draft stays below"),
    Row("cases:attachment_list", lambda w: (_submitted(w), "xihu_park"), SEE_PARK),
    Row("cases:attachment_list", lambda w: (_submitted(w), "hangzhou"), SEE_CITY, note="杭州市 sees down its chain"),
    Row("cases:attachment_upload", lambda w: (_case(w), "xihu_park"), CHANGE, method="POST", data=_upload,
        note="own: stored (or refused on the page if the case is no longer a draft), then back to the panel"),
    Row("cases:attachment_remove", lambda w: (_photo(w), "xihu_park"), CHANGE, method="POST"),
    Row("cases:attachment_file", lambda w: (_photo(w), "xihu_park"), DRAFT_PARK),
    Row("cases:attachment_file", lambda w: (_photo(w), "hangzhou"), DRAFT_CITY),
    Row("cases:attachment_thumb", lambda w: (_photo(w), "xihu_park"), DRAFT_PARK),
    Row("cases:attachment_thumb", lambda w: (_photo(w), "hangzhou"), DRAFT_CITY),
    Row("cases:attachment_file", lambda w: (_submitted_photo(w), "xihu_park"), SEE_PARK),
    Row("cases:attachment_file", lambda w: (_submitted_photo(w), "hangzhou"), SEE_CITY),
    Row("cases:attachment_thumb", lambda w: (_submitted_photo(w), "xihu_park"), SEE_PARK),
    Row("cases:attachment_thumb", lambda w: (_submitted_photo(w), "hangzhou"), SEE_CITY),
]
