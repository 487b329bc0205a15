"""申报条件 (issue 16, item 4): a province records its implementing unit's legal-person status and credit code
(checked as GB 32100-2015 says) and uploads its letter of support (checked like every upload); a programme
without them is flagged on the centre's list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.campaigns.models import Programme
from apps.campaigns.services import programme_application_update
from apps.campaigns.tests.world import SUPPORT_LETTER
from apps.core.errors import NotFound

pytestmark = pytest.mark.django_db
GOOD = "914403001922038216"  # DOMAIN.md's valid example


def letter(data: bytes = SUPPORT_LETTER, name: str = "支持函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_province_records_its_application_and_the_gaps_close(campaign_world, system):
    w = campaign_world
    programme = w.zhejiang_programme
    assert programme.application_gaps() == ["实施单位法人资格", "统一社会信用代码", "省级科协支持函"]
    programme_application_update(programme=programme, by=w.zhejiang_admin, legal_person=True,
                                 credit_code=" 9144 0300 1922 0382 16 ", letter=letter())
    stored = Programme.plain.get(pk=programme.pk)
    assert stored.unit_credit_code == GOOD and stored.application_gaps() == []
    assert stored.support_letter_name == "支持函.pdf" and stored.support_letter.read().startswith(b"%PDF")
    assert AuditEntry.plain.filter(action="programme.application").count() == 1
    assert w.brand_programme.application_gaps() == []  # the brand project is the centre's own


@pytest.mark.parametrize("code, words", [("914403001922038217", "校验码"), ("91440300192203821", "18位")])
def test_a_wrong_credit_code_is_refused_at_its_field_and_changes_nothing(campaign_world, system, code, words):
    w = campaign_world
    with pytest.raises(ValidationError) as refused:
        programme_application_update(programme=w.zhejiang_programme, by=w.zhejiang_admin, legal_person=True,
                                     credit_code=code, letter=letter())
    assert any(words in m for m in refused.value.message_dict["credit_code"])
    stored = Programme.plain.get(pk=w.zhejiang_programme.pk)
    assert (stored.unit_legal_person, stored.unit_credit_code, stored.support_letter.name) == (False, "", "")
    assert not AuditEntry.plain.filter(action="programme.application").exists()


def test_a_letter_that_is_not_a_pdf_or_image_is_refused(campaign_world, system):
    w = campaign_world
    with pytest.raises(ValidationError) as refused:
        programme_application_update(programme=w.zhejiang_programme, by=w.zhejiang_admin, legal_person=True,
                                     credit_code=GOOD, letter=letter(b"MZ\x90\x00 not a letter", "支持函.pdf"))
    assert refused.value.message_dict["letter"]
    assert Programme.plain.get(pk=w.zhejiang_programme.pk).unit_credit_code == ""


def test_only_the_provinces_own_admin_records_it(campaign_world, system):
    w = campaign_world
    for person in (w.center_admin, w.hangzhou_admin, w.sichuan_admin):
        with pytest.raises(NotFound):
            programme_application_update(programme=w.zhejiang_programme, by=person, legal_person=True,
                                         credit_code=GOOD)


def test_the_page_keeps_what_was_typed_and_the_centre_list_flags_the_gaps(client, campaign_world):
    w = campaign_world
    client.force_login(w.zhejiang_admin)
    url = reverse("campaigns:programme_application", args=[w.zhejiang_programme.pk])
    page = client.post(url, {"legal_person": "on", "credit_code": "914403001922038217"})
    assert page.status_code == 200 and "校验码" in page.content.decode() and "914403001922038217" in page.content.decode()
    client.force_login(w.center_admin)
    listing = client.get(reverse("campaigns:campaign_detail", args=[w.campaign.pk])).content.decode()
    assert listing.count("申报条件不全") == 2  # 浙江省 and 四川省
    client.force_login(w.zhejiang_admin)
    assert client.post(url, {"legal_person": "on", "credit_code": GOOD, "letter": letter()}).status_code == 302
    client.force_login(w.center_admin)
    listing = client.get(reverse("campaigns:campaign_detail", args=[w.campaign.pk])).content.decode()
    assert listing.count("申报条件不全") == 1
    download = client.get(reverse("campaigns:support_letter", args=[w.zhejiang_programme.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
