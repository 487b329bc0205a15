"""Case files on an S3-compatible store (django-storages), against a local S3 server the test starts
(moto's server mode on 127.0.0.1): stored under a random private key, served through the checked view."""

import boto3
import pytest
from django.urls import reverse

from apps.cases.attachment_services import attachment_add
from apps.cases.models import CaseAttachment
from apps.cases.tests.attachment_world import jpeg_bytes, upload
from apps.core.scoping import scopes_disabled

BUCKET = "innocase-test"


@pytest.fixture
def s3(settings):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = dict(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    client = boto3.client("s3", endpoint_url=endpoint, **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": "test", "secret_key": "test",
                    "region_name": "us-east-1", "default_acl": "private", "querystring_auth": True,
                    "file_overwrite": False},
    }}
    yield client  # (Django's setting_changed handler rebuilds default_storage on both sides)
    server.stop()


@pytest.fixture
def xihu_case(tree):
    from apps.campaigns.tests.world import build_campaign
    from tests.factories import make_case, make_enterprise

    with scopes_disabled():
        build_campaign(tree)
        tree.case = make_case(make_enterprise(tree.campaign, tree.xihu), tree.xihu_park)
    return tree


def test_a_photo_is_stored_in_the_bucket_and_served_only_through_the_checked_view(s3, xihu_case, client):
    t = xihu_case
    with scopes_disabled():
        photo = attachment_add(case=t.case, kind="photo", upload=upload("现场.jpg", jpeg_bytes(size=(320, 240))),
                               by=t.xihu_park_admin)
        stored = CaseAttachment.plain.get(pk=photo.pk)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert stored.file.name in keys and stored.thumbnail.name in keys
    assert "现场" not in stored.file.name  # random key, never the uploaded name
    acl = s3.get_object_acl(Bucket=BUCKET, Key=stored.file.name)
    assert not any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in acl["Grants"])

    client.force_login(t.xihu_park_admin)
    response = client.get(reverse("cases:attachment_file", args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    client.force_login(t.wuhou_admin)
    assert client.get(reverse("cases:attachment_file", args=[photo.pk])).status_code == 404
