"""The result CSV of a locked list: every text cell passes the same formula guard as the other exports
(`apps.orgs.excel.safe_cell`), numbers stay numbers, and the SHA-256 shown on the 公示 page and sent with the
download is the digest of the bytes served."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from django.urls import reverse

from apps.cases.models import Case
from apps.core.scoping import scopes_disabled
from apps.enterprises.models import Enterprise
from apps.selection import results, services


def _document(**row) -> dict:
    """The smallest result document `result_csv` reads: one ranked, listed candidate."""
    return {
        "formula": {"methods": ["review", "voting"]},
        "inputs": [{"case_id": 7, "title": "数字化车间", "enterprise": "杭州某科技有限公司", "city": "杭州市",
                    "channel": "park", "eligible": True,
                    "parts": {"review": {"score": 70.0}, "voting": {"score": 0.0}}, **row}],
        "ranking": [{"rank": 1, "case_id": 7, "total": 49.0}],
        "list": [7],
    }


def _cells(text: str) -> dict[str, str]:
    head, line = csv.reader(io.StringIO(text))
    return dict(zip(head, line))


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1", "-2+3", "\t=1", "\r=1"])
def test_a_text_cell_that_could_start_a_formula_is_neutralised(typed):
    cells = _cells(results.result_csv(_document(title=typed, enterprise=typed, city=typed, channel=typed)))
    for column in ("title", "enterprise", "city", "channel"):
        assert cells[column] == "'" + typed


def test_numbers_stay_numbers_even_when_negative():
    document = _document(parts={"review": {"score": -1.5}, "voting": {"score": None}})
    document["ranking"][0]["total"] = -1.05
    cells = _cells(results.result_csv(document))
    assert (cells["rank"], cells["case_id"], cells["eligible"]) == ("1", "7", "1")
    assert (cells["score_review"], cells["score_voting"], cells["total"], cells["on_list"]) == (
        "-1.5000", "", "-1.0500", "1")


def test_plain_text_cells_are_unchanged():
    cells = _cells(results.result_csv(_document()))
    assert (cells["title"], cells["enterprise"], cells["city"], cells["channel"]) == (
        "数字化车间", "杭州某科技有限公司", "杭州市", "park")


def test_a_hostile_title_and_enterprise_download_neutralised_with_the_digest_of_the_bytes_served(
        client, small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        case = entries[0].case
        Case.plain.filter(pk=case.pk).update(title='=HYPERLINK("http://x","y")')
        Enterprise.plain.filter(pk=case.enterprise_id).update(name="@SUM(1)")
        services.list_set(round=small, by=admin, add=[entries[0].case_id, entries[1].case_id])
        locked = services.list_lock(round=small, by=admin)
    client.force_login(admin)
    response = client.get(reverse("selection:result_csv", args=[locked.pk]))
    body = response.content
    rows = {line["case_id"]: line for line in csv.DictReader(io.StringIO(body.decode()))}
    hostile = rows[str(case.pk)]
    assert hostile["title"] == '\'=HYPERLINK("http://x","y")' and hostile["enterprise"] == "'@SUM(1)"
    served = hashlib.sha256(body).hexdigest()
    assert response["X-Content-SHA256"] == served == results.csv_digest(locked.result)
    page = client.get(reverse("selection:publicity", args=[small.pk])).content.decode()
    assert f"SHA-256 {served}" in page


def test_a_carriage_return_in_a_text_cell_is_quoted_so_the_text_after_it_cannot_start_a_row():
    text = results.result_csv(_document(title="\r=1", enterprise="甲\r=2"))
    assert "\"'\r=1\"" in text and '"甲\r=2"' in text
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == 2
