"""Publication with the centre's approval (issue 18, item 1, R-404) and the public topic page (item 2, R-301): an item
the centre has not approved is on no public output (the page, an item's page and its media, the Atom feed, the
export, the public API); approved, it is on all of them; taken down, it leaves all of them at once. What the public
reads is the version as it was approved, however the story changes afterwards."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_approve, approval_return
from apps.audit.models import AuditEntry
from apps.campaigns.tests.conftest import campaign_world  # noqa: F401 (fixture)
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.publication.models import Publication
from apps.publication.services import publication_approve_many, publication_submit, publication_take_down
from apps.publicity.services import story_move, story_save
from apps.publicity.tests.test_case_collection import TITLES, reviewed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(settings.BASE_DIR) / "docs/schemas/topic-export-1.json").read_text())
State = Publication.State


def send(w, story, by=None) -> Publication:
    return publication_submit(programme=w.zhejiang_programme, kind="story", object_id=story.pk, by=by or w.staff)


def request_of(publication) -> ApprovalRequest:
    with scopes_disabled():
        return ApprovalRequest.plain.get(kind="publication", object_id=publication.pk)


def public_outputs(client: Client) -> dict[str, str]:
    return {"page": client.get(reverse("topic:home")).content.decode(),
            "feed": client.get(reverse("topic:feed")).content.decode(),
            "export": client.get(reverse("topic:export")).content.decode(),
            "api": client.get("/api/v1/public/topic/").content.decode()}


def test_r404_an_item_is_public_only_while_the_centre_approves_it(reviewed, system):
    w = reviewed
    anyone = Client()
    story = w.stories[0]
    publication = send(w, story)
    assert publication.state == State.PENDING and publication.content["enterprise"]
    for name, text in public_outputs(anyone).items():
        assert story.title not in text, name
    assert anyone.get(reverse("topic:item", args=[publication.pk])).status_code == 404
    assert anyone.get(reverse("topic:media", args=[publication.pk, 0])).status_code == 404

    approval_approve(request=request_of(publication), by=w.center_admin)
    for name, text in public_outputs(anyone).items():
        assert story.title in text, name
    page = anyone.get(reverse("topic:item", args=[publication.pk]))
    assert page.status_code == 200 and "的故事正文。" in page.content.decode()
    photo = anyone.get(reverse("topic:media", args=[publication.pk, 0]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(b"".join(photo.streaming_content)).hexdigest() == publication.media[0]["sha256"]

    publication_take_down(publication=publication, by=w.center_admin, reason="企业名称有误")
    for name, text in public_outputs(anyone).items():
        assert story.title not in text, name
    assert anyone.get(reverse("topic:item", args=[publication.pk])).status_code == 404
    assert anyone.get(reverse("topic:media", args=[publication.pk, 0])).status_code == 404
    with scopes_disabled():
        assert AuditEntry.plain.filter(action="publication.take_down").count() == 1


def test_r404_what_the_public_reads_is_the_approved_version(reviewed, system):
    w = reviewed
    story = w.stories[2]
    first = send(w, story)
    approval_approve(request=request_of(first), by=w.center_admin)
    with pytest.raises(ValidationError, match="无需再次报送"):
        send(w, story)
    # The province rewrites the story: the public still reads the approved text until a new version is approved.
    changed = story_save(programme=w.zhejiang_programme, case_id=story.case_id, by=w.staff, title=story.title,
                         form="introduction", body="<p>改写后的正文。</p>")
    anyone = Client()
    assert "改写后的正文" not in anyone.get(reverse("topic:item", args=[first.pk])).content.decode()
    with pytest.raises(ValidationError, match="省级审核后"):
        send(w, changed)
    changed = story_move(story=story_move(story=changed, by=w.staff, to="edited"), by=w.zhejiang_admin,
                         to="reviewed")
    second = send(w, changed)
    assert second.number == 2
    approval_approve(request=request_of(second), by=w.center_admin)
    first.refresh_from_db()
    assert first.state == State.REPLACED
    assert anyone.get(reverse("topic:item", args=[first.pk])).status_code == 404
    assert "改写后的正文" in anyone.get(reverse("topic:item", args=[second.pk])).content.decode()


def test_r404_only_the_province_sends_and_only_what_may_be_published(reviewed, system):
    w = reviewed
    with pytest.raises(ValidationError, match="省级审核后"):
        send(w, w.draft)
    for outsider in (w.sichuan_admin, w.hangzhou_admin, w.center_admin):
        with pytest.raises(NotFound):
            send(w, w.stories[0], by=outsider)
    send(w, w.stories[0])
    with pytest.raises(ValidationError, match="正在等待中心审核"):
        send(w, w.stories[0], by=w.zhejiang_admin)
    returned = send(w, w.stories[1])
    approval_return(request=request_of(returned), by=w.center_admin, comment="请补充企业简介")
    returned.refresh_from_db()
    assert returned.state == State.RETURNED and send(w, w.stories[1]).number == 2
    with pytest.raises(NotFound):
        publication_take_down(publication=returned, by=w.zhejiang_admin, reason="x")


def test_r404_the_centre_reads_each_item_and_approves_several_at_once(reviewed, system):
    w = reviewed
    sent = [send(w, story) for story in w.stories[:3]]
    centre = Client()
    centre.force_login(w.center_admin)
    page = centre.get(reverse("publication:queue")).content.decode()
    for story in w.stories[:3]:
        assert story.title in page and f"{story.title}的故事正文。" in page or story == w.stories[1]
    assert "第2段" in page  # the long story, in full
    chosen = [request_of(p).pk for p in sent[:2]]
    approval_approve(request=request_of(sent[1]), by=w.center_admin)  # decided a moment ago in another tab
    done = centre.post(reverse("publication:queue"), {"approve": chosen}, follow=True).content.decode()
    assert "已通过1项" in done  # the one decided elsewhere is no longer in the queue
    # Approving a request another admin decided meanwhile is refused with its reason, the others still approved.
    approved, refused = publication_approve_many(requests=[request_of(sent[0]), request_of(sent[2])],
                                                 by=w.center_admin)
    assert len(approved) == 1 and len(refused) == 1 and "不能再处理" in refused[0][1]
    states = sorted(Publication.plain.filter(pk__in=[p.pk for p in sent]).values_list("state", flat=True))
    assert states == ["published", "published", "published"]
    assert centre.post(reverse("publication:queue"), {}, follow=True).status_code == 200


def test_r301_the_export_follows_its_schema_its_checksums_and_answers_304_until_something_changes(reviewed, system):
    w = reviewed
    for story in w.stories[:2]:
        approval_approve(request=request_of(send(w, story)), by=w.center_admin)
    anyone = Client()
    response = anyone.get(reverse("topic:export"))
    document = json.loads(response.content)
    jsonschema.validate(document, SCHEMA)
    assert [i["title"] for i in document["items"]] == [w.stories[1].title, w.stories[0].title]
    for item in document["items"]:
        for media in item["media"]:
            publication = Publication.plain.get(pk=item["id"])
            with default_storage.open(publication.media[0]["name"], "rb") as handle:
                assert hashlib.sha256(handle.read()).hexdigest() == media["sha256"]
            body = b"".join(anyone.get(media["url"].split("testserver", 1)[-1]).streaming_content)
            assert hashlib.sha256(body).hexdigest() == media["sha256"] and len(body) == media["size"]
    etag, modified = response["ETag"], response["Last-Modified"]
    assert anyone.get(reverse("topic:export"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert anyone.get(reverse("topic:export"), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    api = anyone.get("/api/v1/public/topic/", HTTP_IF_NONE_MATCH=etag)
    assert api.status_code == 304
    publication_take_down(publication=Publication.plain.get(title=w.stories[0].title), by=w.center_admin,
                          reason="撤下")
    again = anyone.get(reverse("topic:export"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert [i["title"] for i in json.loads(again.content)["items"]] == [w.stories[1].title]


def test_r301_the_topic_page_makes_the_same_queries_however_many_items_are_published(reviewed, system):
    w = reviewed
    anyone = Client()
    approval_approve(request=request_of(send(w, w.stories[0])), by=w.center_admin)
    anyone.get(reverse("topic:home"))  # the provinces' progress, cached
    with CaptureQueriesContext(connection) as one:
        assert anyone.get(reverse("topic:home")).status_code == 200
    for story in w.stories[1:]:
        approval_approve(request=request_of(send(w, story)), by=w.center_admin)
    with CaptureQueriesContext(connection) as four:
        page = anyone.get(reverse("topic:home")).content.decode()
    assert all(story.title in page for story in w.stories)
    assert len(four) == len(one) <= 6, [q["sql"] for q in four]


def test_the_topic_page_shows_each_province_s_progress_from_its_indicators(reviewed, system):
    from django.core.cache import cache

    from apps.campaigns.indicators import indicator_for

    w = reviewed
    cache.clear()
    page = Client().get(reverse("topic:home")).content.decode()
    with scopes_disabled():
        cases = indicator_for(w.zhejiang_programme, "R-106").value_text
    assert "浙江省" in page and "四川省" in page and cases in page


def test_r301_topic_page_items_are_written_sent_and_approved_like_everything_else(reviewed, system):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.publication.models import TopicItem
    from apps.publication.services import topic_item_save

    w = reviewed
    with pytest.raises(ValidationError) as refused:
        topic_item_save(programme=w.zhejiang_programme, by=w.staff, title="", body="<script>x</script>")
    assert set(refused.value.message_dict) == {"title", "body"} and not TopicItem.plain.exists()
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), "#c33").save(buffer, "JPEG")
    item = topic_item_save(programme=w.zhejiang_programme, by=w.staff, title="浙江启动案例征集",
                           body="全省园区科协踊跃参与。<script>alert(1)</script>",
                           image=SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg"))
    publication = publication_submit(programme=w.zhejiang_programme, kind="topic_item", object_id=item.pk,
                                     by=w.staff)
    anyone = Client()
    assert "浙江启动案例征集" not in anyone.get(reverse("topic:home")).content.decode()
    approval_approve(request=request_of(publication), by=w.center_admin)
    page = anyone.get(reverse("topic:item", args=[publication.pk])).content.decode()
    assert "全省园区科协踊跃参与。" in page and "<script>" not in page and 'width="800"' in page
    assert "浙江启动案例征集" in anyone.get(reverse("topic:home")).content.decode()
    # The centre's own item: sent by its staff, approved by its admin, never by the sender.
    from apps.orgs.models import Membership
    from tests.factories import admin_of

    with scopes_disabled():
        staff = admin_of(w.center, "center-writer", role=Membership.Role.STAFF)
    own = topic_item_save(programme=w.brand_programme, by=staff, title="活动总体进展", body="各省稳步推进。")
    sent = publication_submit(programme=w.brand_programme, kind="topic_item", object_id=own.pk, by=staff)
    with pytest.raises(NotFound):
        approval_approve(request=request_of(sent), by=staff)
    approval_approve(request=request_of(sent), by=w.center_admin)
    assert "活动总体进展" in anyone.get(reverse("topic:home")).content.decode()


def test_r404_brand_deliverables_reach_the_public_only_approved_twice(reviewed, system):
    """A brand deliverable (R-504) is first approved as a deliverable, then sent for publication like everything
    else: pending or returned, it cannot be sent; a province cannot send the centre's; once published, the image
    and the PDF brochure are on the page and in the export, which still follows its schema."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.approvals.selectors import latest_of
    from apps.brand.approvals import deliverable_thread
    from apps.brand.services import deliverable_add
    from apps.cases.tests.attachment_world import PDF_BYTES, png_bytes
    from apps.orgs.models import Membership
    from tests.factories import admin_of

    w = reviewed
    with scopes_disabled():
        staff = admin_of(w.center, "brand-writer", role=Membership.Role.STAFF)
    poster = deliverable_add(programme=w.brand_programme, by=staff, kind="poster", title="创新案例海报",
                             upload=SimpleUploadedFile("海报.png", png_bytes(size=(90, 120)), content_type="image/png"))
    brochure = deliverable_add(programme=w.brand_programme, by=staff, kind="brochure", title="活动宣传册",
                               upload=SimpleUploadedFile("册.pdf", PDF_BYTES, content_type="application/pdf"))

    def send_deliverable(item, by=staff):
        return publication_submit(programme=w.brand_programme, kind="brand_deliverable", object_id=item.pk, by=by)

    with pytest.raises(ValidationError, match="宣传品经中心审核通过后"):
        send_deliverable(poster)
    for item in (poster, brochure):
        with scopes_disabled():
            approval_approve(request=latest_of("brand_deliverable", deliverable_thread(item)), by=w.center_admin)
    with pytest.raises(NotFound):  # a province sends no brand deliverable, not even through its own programme
        publication_submit(programme=w.zhejiang_programme, kind="brand_deliverable", object_id=poster.pk,
                           by=w.zhejiang_admin)
    sent = [send_deliverable(poster), send_deliverable(brochure)]
    assert sent[0].media[0]["width"] == 90 and sent[1].media[0]["type"] == "application/pdf"
    anyone = Client()
    for name, text in public_outputs(anyone).items():
        assert "创新案例海报" not in text, name
    with pytest.raises(NotFound):  # nobody approves their own submission
        approval_approve(request=request_of(sent[0]), by=staff)
    approved, refused = publication_approve_many(requests=[request_of(p) for p in sent], by=w.center_admin)
    assert len(approved) == 2 and not refused
    for name, text in public_outputs(anyone).items():
        assert "创新案例海报" in text and "活动宣传册" in text, name
    page = anyone.get(reverse("topic:item", args=[sent[0].pk])).content.decode()
    assert 'width="90"' in page and "海报" in page
    assert "（PDF）" in anyone.get(reverse("topic:item", args=[sent[1].pk])).content.decode()
    document = anyone.get(reverse("topic:export")).json()
    jsonschema.validate(document, SCHEMA)
    brochure_entry = next(i for i in document["items"] if i["kind"] == "brand_deliverable"
                          and i["content"]["deliverable_kind"] == "brochure")
    assert brochure_entry["media"][0]["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    centre = Client()
    centre.force_login(w.center_admin)
    own = centre.get(reverse("publication:index")).content.decode()
    assert 'id="brand_deliverable"' in own and 'id="story"' not in own
