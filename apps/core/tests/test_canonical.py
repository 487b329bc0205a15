"""Canonical JSON (apps.core.canonical) pinned byte for byte: sorted keys, no spaces, non-ASCII kept, Decimal as its
string, dates in ISO 8601. The expected texts and digests below were produced by the code each caller had before
it used this module (audit's canonical_json, selection's result digest, review's snapshot digest), so a change of
the form that would break the verification of stored audit rows, locked lists or snapshots fails here."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.audit import DEV_AUDIT_KEY
from apps.audit.services import entry_body, entry_hash
from apps.core.canonical import canonical_bytes, canonical_json, digest
from apps.review.services import ranking_digest
from apps.selection import results

BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_keys_are_sorted_at_every_level_and_there_are_no_spaces():
    assert canonical_json({"b": {"z": 1, "a": [2, {"y": None, "x": True}]}, "a": 1.5}) == (
        '{"a":1.5,"b":{"a":[2,{"x":true,"y":null}],"z":1}}')


def test_non_ascii_text_is_kept_as_utf8_not_escaped():
    assert canonical_json({"名称": "西湖区"}) == '{"名称":"西湖区"}'
    assert canonical_bytes({"名称": "西湖区"}) == '{"名称":"西湖区"}'.encode("utf-8")


def test_decimal_keeps_its_digits_and_dates_are_iso_8601():
    assert canonical_json([Decimal("12.50"), dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 8, 30, tzinfo=BEIJING),
                           dt.datetime(2025, 3, 1, 8, 30, 0, 120)]) == (
        '["12.50","2025-03-01","2025-03-01T08:30:00+08:00","2025-03-01T08:30:00.000120"]')


def test_floats_are_written_as_their_shortest_repr():
    assert canonical_json([0.1 + 0.2, 86.0, 78.125, -0.0]) == "[0.30000000000000004,86.0,78.125,-0.0]"


def test_a_set_is_written_sorted_and_a_model_as_label_and_pk():
    assert canonical_json({"ids": {3, 1, 2}, "target": ContentType(pk=7)}) == (
        '{"ids":[1,2,3],"target":"contenttypes.ContentType:7"}')


def test_anything_else_is_refused():
    with pytest.raises(TypeError, match="not JSON serialisable: object"):
        canonical_json({"x": object()})


def test_digest_is_the_sha256_of_the_canonical_bytes():
    data = {"名称": "西湖区", "i": 3}
    assert digest(data) == hashlib.sha256('{"i":3,"名称":"西湖区"}'.encode("utf-8")).hexdigest()


# The samples below: expected values computed with the callers' code before this module existed.

AUDIT_DATA = {"名称": "西湖区", "i": 3, "amount": Decimal("12.50"), "day": dt.date(2025, 3, 1),
              "at": dt.datetime(2025, 3, 1, 8, 30, tzinfo=BEIJING), "ids": {3, 1, 2}}


def test_an_audit_rows_data_is_the_text_audit_wrote_before():
    assert canonical_json(AUDIT_DATA) == (
        '{"amount":"12.50","at":"2025-03-01T08:30:00+08:00","day":"2025-03-01","i":3,"ids":[1,2,3],"名称":"西湖区"}')


def test_an_audit_rows_hashed_body_and_hash_are_those_of_before(settings):
    settings.AUDIT_KEY = DEV_AUDIT_KEY
    fields = dict(prev_hash="0" * 64, actor_id=7, actor_label="county_clerk_alice", action="case.screen",
                  target_type="cases.Case", target_id="42", target_label="杭州市西湖区数字工厂案例",
                  org_path="330000/330100/330106", data=canonical_json({"passed": True, "reason": ""}),
                  created_at=dt.datetime(2025, 3, 1, 8, 30, tzinfo=BEIJING))
    assert entry_body(**fields).decode("utf-8") == (
        '["0000000000000000000000000000000000000000000000000000000000000000",7,"county_clerk_alice","case.screen",'
        '"cases.Case","42","杭州市西湖区数字工厂案例","330000/330100/330106","{\\"passed\\":true,\\"reason\\":\\"\\"}",'
        '"2025-03-01T00:30:00.000000+00:00"]')
    assert entry_hash(**fields) == "affee98395550b8784e13adaf9fdc55f72adf846139df6c5633ee56065080c01"


RESULT_DOCUMENT = {
    "format": "innocase.selection.result/1",
    "formula": {"methods": ["review", "voting"], "weights": {"review": 70.0, "voting": 30.0},
                "sentences": ["综合得分 = 专家评审得分 × 70% + 网络投票得分 × 30%"]},
    "ranking": [{"rank": 1, "case_id": 12, "total": 86.0}, {"rank": 2, "case_id": 9, "total": 78.125}],
    "list": [12, 9],
    "inputs": [{"case_id": 12, "title": "“智造”车间",
                "parts": {"review": {"score": 80.0, "sheets": []}, "voting": {"score": None}}}],
}


def test_a_result_documents_bytes_and_digest_are_those_stored_at_locking_before():
    expected = ('{"format":"innocase.selection.result/1","formula":{"methods":["review","voting"],"sentences":'
                '["综合得分 = 专家评审得分 × 70% + 网络投票得分 × 30%"],"weights":{"review":70.0,"voting":30.0}},'
                '"inputs":[{"case_id":12,"parts":{"review":{"score":80.0,"sheets":[]},"voting":{"score":null}},'
                '"title":"“智造”车间"}],"list":[12,9],"ranking":[{"case_id":12,"rank":1,"total":86.0},'
                '{"case_id":9,"rank":2,"total":78.125}]}').encode("utf-8")
    assert canonical_bytes(RESULT_DOCUMENT) == results.canonical(RESULT_DOCUMENT) == expected
    assert digest(RESULT_DOCUMENT) == results.digest(RESULT_DOCUMENT) == (
        "f98295933160ae78edcc3285128a8369b29956d8eced404afca5952e3482bea8")


def test_a_review_snapshots_digest_is_the_one_stored_before():
    snapshot = {
        "round": 5, "method": "review",
        "config": {"methods": ["review"], "normalise": False, "trim": True, "weights": {"review": 100.0},
                   "rubric": [{"key": "innovation", "name": "创新性", "weight": 30.0, "maximum": 30.0}]},
        "ranking": {"options": {"normalise": False, "trim": True, "trim_min_scores": 5, "disagreement": 20.0},
                    "round_mean": 80.5, "round_sd": 4.25,
                    "rows": [{"rank": 1, "case_id": 12, "score": 83.3333, "mean_raw": 83.3333, "n": 3, "spread": 0.5,
                              "flagged": False,
                              "experts": [{"expert_id": 4, "raw": 83.0, "normalised": None, "used": True}]}]},
    }
    assert ranking_digest(snapshot) == digest(snapshot) == (
        "20518f57369d61c44f2c8ec7e6e4d574143c8601505c3421ae860ca234422a95")
