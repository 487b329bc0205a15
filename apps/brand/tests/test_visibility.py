"""Who sees the brand project (R-502: the contact details are the brand team's and the centre's alone): the centre's
people, admin or staff, read the contacts and the log; a province's admin gets the same 404 as for nothing on every
page and endpoint, and sees no nav link."""

from __future__ import annotations

import pytest

from apps.brand.tests.conftest import add_contact, add_use
from apps.core.scoping import scopes_disabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(brand_world):
    with scopes_disabled():
        brand_world.contact = add_contact(brand_world)
        brand_world.use = add_use(brand_world)
    return brand_world


def pages(w) -> list[str]:
    pid = w.brand_programme.pk
    return ["/brand/", f"/brand/{pid}/", f"/brand/{pid}/plan/", f"/brand/{pid}/contacts/",
            f"/brand/{pid}/contacts/new/", f"/brand/contacts/{w.contact.pk}/edit/", f"/brand/{pid}/uses/",
            f"/brand/{pid}/uses/new/", f"/brand/uses/{w.use.pk}/evidence/"]


def test_r502_a_province_admin_gets_404_on_every_brand_page(client, recorded):
    client.force_login(recorded.zhejiang_admin)
    assert {url: client.get(url).status_code for url in pages(recorded)} == {url: 404 for url in pages(recorded)}
    assert "/brand/" not in client.get("/").content.decode()


@pytest.mark.parametrize("api", ["/api/v1/brand/media-contacts/", "/api/v1/brand/channel-uses/",
                                 "/api/v1/brand/plans/"])
def test_r502_a_province_admin_gets_404_from_the_api(client, recorded, api):
    client.force_login(recorded.zhejiang_admin)
    assert client.get(api).status_code == 404
    assert client.get(f"/api/v1/brand/media-contacts/{recorded.contact.pk}/").status_code == 404


def test_r502_the_centres_staff_reads_the_contacts_with_their_details(client, recorded):
    client.force_login(recorded.brand_staff)
    page = client.get(f"/brand/{recorded.brand_programme.pk}/contacts/").content.decode()
    assert "13800001234" in page and "li@kjrb.example.cn" in page
    home = client.get("/").content.decode()
    assert 'href="/brand/"' in home and "品牌项目" in home


def test_r502_the_centres_admin_reads_the_log(client, recorded):
    client.force_login(recorded.center_admin)
    response = client.get(f"/brand/{recorded.brand_programme.pk}/uses/")
    assert response.status_code == 200 and "企业典型创新案例征集活动启动" in response.content.decode()
    assert client.get(f"/brand/uses/{recorded.use.pk}/evidence/").status_code == 200


def test_the_lists_read_a_fixed_number_of_queries(client, recorded, django_assert_max_num_queries):
    with scopes_disabled():
        for n in range(2, 12):
            add_contact(recorded, person=f"记者{n}")
    client.force_login(recorded.brand_staff)
    with django_assert_max_num_queries(25):
        assert client.get(f"/brand/{recorded.brand_programme.pk}/contacts/").status_code == 200
