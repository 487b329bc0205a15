"""Errors read in plain Chinese with the site around them and a way back, never Django's debug page."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from tests.factories import PASSWORD


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_missing_page_answers_in_chinese_with_the_navigation_and_a_way_back(client, tree, signed_in):
    if signed_in:
        client.force_login(tree.hangzhou_admin)
    response = client.get("/cases/999999/")
    page = response.content.decode()
    assert response.status_code == (404 if signed_in else 302)
    if signed_in:
        assert "页面不存在" in page and "返回待办事项" in page and "Page not found" not in page
        assert 'class="mainnav"' in page


def test_a_page_nobody_has_answers_404_in_chinese_to_the_public(client, db):
    response = client.get("/gs/no-such-list/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_a_stale_form_answers_403_in_words(tree):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(tree.hangzhou_admin)
    response = csrf_client.post("/account/", {"old_password": PASSWORD})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_answers_500_in_chinese_without_a_traceback(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500 and "系统暂时出现问题" in page and "RuntimeError" not in page
