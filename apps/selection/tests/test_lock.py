"""Locking a list, its 公示 with objections and answers, and sending it up (issue 7, item 4; R-105, R-106)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core import captcha
from apps.core.errors import NotFound
from apps.core.scoping import scopes_disabled
from apps.rounds.models import Round, RoundEntry
from apps.rounds.selectors import round_lock_record
from apps.selection import results, services
from apps.selection.models import LockedList, Objection
from apps.selection.tests.conftest import end_publicity, set_rulebook


def _lock_two(round, entries, admin, **kwargs):
    services.list_set(round=round, by=admin, add=[entries[0].case_id, entries[1].case_id])
    return services.list_lock(round=round, by=admin, **kwargs)


def test_a_valid_list_locks_with_its_publicity_period_and_result(small, entries, campaign):
    with scopes_disabled():
        locked = _lock_two(small, entries, campaign.hangzhou_admin)
        small.refresh_from_db()
        assert small.state == Round.State.LOCKED
        assert round_lock_record(small).by == campaign.hangzhou_admin.display_name
        assert locked.number == 1 and sorted(locked.case_ids) == sorted([entries[0].case_id, entries[1].case_id])
        assert locked.starts_on == timezone.localdate()
        assert (locked.ends_on - locked.starts_on).days == 4  # the rulebook's 5 days, both ends included
        assert locked.sha256 == hashlib.sha256(results.canonical(locked.result)).hexdigest()
        assert locked.result["list"] == locked.case_ids and locked.result["violations"] == []
        entry = AuditEntry.plain.get(action="selection.lock")
        assert json.loads(entry.data)["sha256"] == locked.sha256
        with pytest.raises(ValidationError, match="名单不能修改"):
            services.list_set(round=small, by=campaign.hangzhou_admin, remove=[entries[0].case_id])


def test_a_list_that_breaks_a_rule_is_refused_unless_the_rulebook_allows_an_override(poll, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        services.list_set(round=poll.round, by=admin, add=[entries[0].case_id])
        with pytest.raises(ValidationError) as refused:
            services.list_lock(round=poll.round, by=admin)
        assert "不能锁定" in refused.value.messages[0] and "R-105" in refused.value.messages[1]
        set_rulebook(poll.round, list_override=True)
        with pytest.raises(ValidationError) as no_reason:
            services.list_lock(round=poll.round, by=admin, reason="  ")
        assert "R-105" in no_reason.value.message_dict["reason"][0]
        assert not LockedList.plain.exists() and Round.plain.get(pk=poll.round.pk).state == "open"
        locked = services.list_lock(round=poll.round, by=admin, reason="本市符合条件的案例仅有4件，不足72件")
        assert [v["rule"] for v in locked.violations] == ["R-105"]
        assert locked.override_reason.startswith("本市符合条件")
        assert json.loads(AuditEntry.plain.get(action="selection.lock").data)["override_reason"] == locked.override_reason


def test_eligibility_is_never_overridden(small, entries, campaign):
    with scopes_disabled():
        set_rulebook(small, list_override=True)
        services.list_set(round=small, by=campaign.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
        RoundEntry.plain.filter(pk=entries[1].pk).update(decision=RoundEntry.Decision.OUT)
        with pytest.raises(ValidationError) as refused:
            services.list_lock(round=small, by=campaign.hangzhou_admin, reason="理由写得再充分也不行")
    assert any("R-107" in m for m in refused.value.messages)


def test_locking_twice_says_who_locked_it(small, entries, campaign):
    with scopes_disabled():
        _lock_two(small, entries, campaign.hangzhou_admin)
        with pytest.raises(ValidationError, match="已由.*锁定，不能重复锁定"):
            services.list_lock(round=small, by=campaign.hangzhou_admin)
        assert LockedList.plain.count() == 1


def test_only_the_round_org_locks(small, entries, campaign):
    with scopes_disabled():
        services.list_set(round=small, by=campaign.hangzhou_admin, add=[entries[0].case_id, entries[1].case_id])
        with pytest.raises(NotFound):
            services.list_lock(round=small, by=campaign.zhejiang_admin)


def test_an_empty_list_does_not_lock(small, campaign):
    with scopes_disabled(), pytest.raises(ValidationError, match="名单为空"):
        services.list_lock(round=small, by=campaign.hangzhou_admin)


def test_unlock_withdraws_the_publicity_and_a_new_lock_starts_another(small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        first = _lock_two(small, entries, admin)
        with pytest.raises(ValidationError):
            services.list_unlock(round=small, by=admin, reason="")
        services.list_unlock(round=small, by=admin, reason="异议成立，调整名单")
        first.refresh_from_db()
        assert first.withdrawn_at is not None and services.publicity_state(first) == "withdrawn"
        services.list_set(round=small, by=admin, remove=[entries[1].case_id], add=[entries[2].case_id])
        second = services.list_lock(round=small, by=admin)
        assert second.number == 2 and entries[2].case_id in second.case_ids
        assert services.live_list(small) == second


def _solved() -> dict:
    """A captcha answered right, for an address that has sent objections before."""
    challenge = captcha.challenge_new()
    return {"challenge": challenge.key, "answer": challenge.answer}


def test_from_the_third_objection_of_an_hour_an_address_answers_a_captcha(small, entries, campaign):
    with scopes_disabled():
        locked = _lock_two(small, entries, campaign.hangzhou_admin)
        send = dict(locked=locked, case_id=entries[0].case_id, name="李明", contact="13800138000",
                    reason="该案例的成效数据与企业年报不一致。", address="203.0.113.9")
        for _ in range(services.OBJECTION_CAPTCHA_AFTER):
            services.objection_submit(**send)
        assert services.objection_captcha_needed("203.0.113.9")
        assert not services.objection_captcha_needed("198.51.100.7")
        with pytest.raises(ValidationError) as asked:
            services.objection_submit(**send)
        stale = captcha.challenge_new()
        with pytest.raises(ValidationError) as wrong:
            services.objection_submit(**send, challenge=stale.key, answer="0000")
        with pytest.raises(ValidationError):  # spent by the wrong answer: the right one no longer counts
            services.objection_submit(**send, challenge=stale.key, answer=stale.answer)
        services.objection_submit(**send, **_solved())
        assert Objection.plain.count() == services.OBJECTION_CAPTCHA_AFTER + 1
    assert asked.value.message_dict == {"answer": ["请输入图片中的字符"]}
    assert wrong.value.message_dict == {"answer": ["图片验证码不正确，请重新输入"]}


def test_objections_without_a_readable_address_share_one_bucket(small, entries, campaign):
    """A request whose address is empty (a proxy misconfigured, a header missing) is not free of the limits."""
    with scopes_disabled():
        locked = _lock_two(small, entries, campaign.hangzhou_admin)
        for _ in range(services.OBJECTION_CAPTCHA_AFTER):
            services.objection_submit(locked=locked, case_id=entries[0].case_id, name="李明", contact="13800138000",
                                      reason="该案例的成效数据与企业年报不一致。", address="")
        assert services.objection_captcha_needed("")


def test_the_audit_log_records_an_objection_and_its_answer_without_the_objectors_name(small, entries, campaign):
    with scopes_disabled():
        locked = _lock_two(small, entries, campaign.hangzhou_admin)
        objection = services.objection_submit(locked=locked, case_id=entries[0].case_id, name="欧阳明远",
                                              contact="13800138000", reason="该案例的成效数据与企业年报不一致。")
        services.objection_answer(objection=objection, by=campaign.hangzhou_admin, outcome="dismissed",
                                  answer="经核实，数据以审计报告为准。")
        rows = list(AuditEntry.plain.filter(target_id=str(objection.pk), action__startswith="selection.objection"))
    assert [r.action for r in rows] == ["selection.objection", "selection.objection_answer"]
    assert all("欧阳明远" not in r.target_label + r.data + r.actor_label for r in rows)
    assert all(f"异议{objection.pk}" in r.target_label for r in rows)


def test_objections_are_checked_limited_answered_and_block_sending_until_answered(small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        locked = _lock_two(small, entries, admin)
        with pytest.raises(ValidationError) as bad:
            services.objection_submit(locked=locked, case_id=entries[3].case_id, name="", contact="abc", reason="短")
        assert set(bad.value.message_dict) == {"name", "contact", "reason", "case"}
        objection = services.objection_submit(locked=locked, case_id=entries[0].case_id, name="李明",
                                              contact="13800138000", reason="该案例的成效数据与企业年报不一致。",
                                              address="203.0.113.9")
        assert objection.outcome == Objection.Outcome.PENDING
        for _ in range(services.OBJECTIONS_PER_HOUR - 1):
            services.objection_submit(locked=locked, case_id=entries[0].case_id, name="李明", contact="13800138000",
                                      reason="补充材料：成效数据有出入。", address="203.0.113.9", **_solved())
        with pytest.raises(ValidationError, match="过于频繁"):
            services.objection_submit(locked=locked, case_id=entries[0].case_id, name="李明", contact="13800138000",
                                      reason="补充材料：成效数据有出入。", address="203.0.113.9", **_solved())
        assert Objection.plain.count() == services.OBJECTIONS_PER_HOUR
        end_publicity(locked)
        assert "还有5条异议未答复" in services.send_blockers(Round.plain.get(pk=small.pk), locked)
        for o in Objection.plain.all():
            services.objection_answer(objection=o, by=admin, outcome="dismissed", answer="经核实，数据以审计报告为准。")
        assert AuditEntry.plain.filter(action="selection.objection_answer").count() == 5
        with pytest.raises(ValidationError, match="不在公示期|结束"):
            services.objection_submit(locked=locked, case_id=entries[0].case_id, name="王", contact="13800138001",
                                      reason="公示期满后再提的异议内容。")


def test_an_upheld_objection_blocks_sending(small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        locked = _lock_two(small, entries, admin)
        objection = services.objection_submit(locked=locked, case_id=entries[1].case_id, name="张华",
                                              contact="zh@example.com", reason="该企业已于今年被列入经营异常名录。")
        services.objection_answer(objection=objection, by=admin, outcome="upheld", answer="经核实属实，调整名单。")
        end_publicity(locked)
        with pytest.raises(ValidationError, match="1条异议成立"):
            services.list_send(round=small, by=admin)


def test_sending_waits_for_the_publicity_then_the_cases_enter_the_province_round(small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        locked = _lock_two(small, entries, admin)
        with pytest.raises(ValidationError, match="公示期至"):
            services.list_send(round=small, by=admin)
        end_publicity(locked)
        services.list_send(round=small, by=admin)
        small.refresh_from_db()
        assert small.state == Round.State.SENT and small.sent_by == admin
        province = Round.plain.get(org=campaign.zhejiang, kind=Round.Kind.PROVINCE_SELECTION)
        assert province.state == Round.State.OPEN
        received = RoundEntry.plain.filter(round=province)
        assert sorted(received.values_list("case_id", flat=True)) == sorted(locked.case_ids)
        assert all(e.source.round_id == small.pk for e in received)
        with pytest.raises(ValidationError, match="不能重复操作"):
            services.list_send(round=small, by=admin)
        with pytest.raises(ValidationError, match="已上报"):
            services.list_unlock(round=small, by=admin, reason="想再改一下")


def test_the_public_page_shows_the_list_and_takes_an_objection(client, small, entries, campaign):
    with scopes_disabled():
        locked = _lock_two(small, entries, campaign.hangzhou_admin)
    url = reverse("gs:list", args=[locked.slug])
    page = client.get(url).content.decode()
    assert "杭州市市级遴选名单公示" in page and entries[0].case.title in page and "提交异议" in page
    bad = client.post(url, {"case": entries[0].case_id, "name": "李明", "contact": "12", "reason": "太短"})
    assert bad.status_code == 400 and "请填写手机号码" in bad.content.decode()
    done = client.post(url, {"case": entries[0].case_id, "name": "李明", "contact": "13800138000",
                             "reason": "案例中所述专利尚未授权，与事实不符。"}, follow=True)
    assert "已收到您的异议" in done.content.decode()
    with scopes_disabled():
        assert Objection.plain.get().contact == "13800138000"
    assert client.get(reverse("gs:list", args=["nosuchslug"])).status_code == 404


def test_the_result_downloads_are_the_hashed_bytes(client, small, entries, campaign):
    with scopes_disabled():
        locked = _lock_two(small, entries, campaign.hangzhou_admin)
    client.force_login(campaign.hangzhou_admin)
    body = client.get(reverse("selection:result_json", args=[locked.pk])).content
    assert hashlib.sha256(body).hexdigest() == locked.sha256
    document = json.loads(body)
    assert document["format"] == results.FORMAT and results.recheck_totals(document) == []
    csv_body = client.get(reverse("selection:result_csv", args=[locked.pk])).content.decode()
    assert csv_body.splitlines()[0].startswith("rank,case_id,title")
    assert len(csv_body.splitlines()) == 1 + len(document["ranking"])
    page = client.get(reverse("selection:publicity", args=[small.pk])).content.decode()
    assert locked.sha256 in page and results.csv_digest(locked.result) in page


def test_the_office_above_reads_the_objections_without_the_objectors_contact(client, small, entries, campaign):
    with scopes_disabled():
        locked = _lock_two(small, entries, campaign.hangzhou_admin)
        services.objection_submit(locked=locked, case_id=entries[0].case_id, name="李明", contact="13800138000",
                                  reason="该案例的专利尚未授权，请核实。")
    url = reverse("selection:publicity", args=[small.pk])
    client.force_login(campaign.hangzhou_admin)
    own = client.get(url).content.decode()
    client.force_login(campaign.zhejiang_admin)
    above = client.get(url).content.decode()
    assert "13800138000" in own and "提交答复" in own
    assert "专利尚未授权" in above and "13800138000" not in above and "提交答复" not in above


def test_the_home_page_does_not_ask_to_lock_before_experts_are_assigned(client, listed, entries, campaign, pool):
    """The review's to-do (assign experts first) and a request to lock the list would contradict each other."""
    from apps.review.models import Assignment

    with scopes_disabled():
        Assignment.plain.filter(round=listed).delete()
    client.force_login(campaign.hangzhou_admin)
    home = client.get("/").content.decode()
    assert "尚未分配评审专家" in home and "请确定名单并锁定公示" not in home


def test_the_home_page_asks_to_lock_then_to_answer_then_to_send(client, listed, entries, campaign, pool):
    from apps.review.models import Assignment

    with scopes_disabled():  # experts are at work: the review's first step is done
        Assignment.plain.create(round=listed, case_id=entries[0].case_id, expert=pool.zhou)
    client.force_login(campaign.hangzhou_admin)
    assert "市级遴选：4件候选案例，请确定名单并锁定公示" in client.get("/").content.decode()
    with scopes_disabled():
        locked = services.list_lock(round=listed, by=campaign.hangzhou_admin)
        objection = services.objection_submit(locked=locked, case_id=entries[0].case_id, name="李明",
                                              contact="13800138000", reason="该案例的专利尚未授权，请核实。")
    home = client.get("/").content.decode()
    assert "市级遴选名单公示：1条异议待答复" in home and "请确定名单" not in home
    with scopes_disabled():
        services.objection_answer(objection=objection, by=campaign.hangzhou_admin, outcome="dismissed",
                                  answer="经核实，专利已授权。")
    assert "公示期满" not in client.get("/").content.decode()  # still in 公示
    end_publicity(locked)
    assert "市级遴选名单公示期满，请推荐至省级" in client.get("/").content.decode()


def test_a_list_locked_over_a_rule_says_so_and_why_on_its_public_page(client, poll, entries, campaign):
    with scopes_disabled():
        set_rulebook(poll.round, list_override=True)
        services.list_set(round=poll.round, by=campaign.hangzhou_admin, add=[entries[0].case_id])
        locked = services.list_lock(round=poll.round, by=campaign.hangzhou_admin,
                                    reason="本市符合条件的案例不足，经市科协党组会议研究同意")
    page = client.get(reverse("gs:list", args=[locked.slug])).content.decode()
    assert "未满足以下遴选规则" in page and "经市科协党组会议研究同意" in page
    assert "至少推荐72件" in page and "R-1" not in page  # the rule in words; its id is for officials


def test_an_overlong_reason_or_answer_is_refused_and_changes_nothing(small, entries, campaign):
    admin = campaign.hangzhou_admin
    with scopes_disabled():
        locked = _lock_two(small, entries, admin)
        with pytest.raises(ValidationError) as unlock:
            services.list_unlock(round=small, by=admin, reason="理" * 2001)
        objection = services.objection_submit(locked=locked, case_id=entries[0].case_id, name="李明",
                                              contact="13800138000", reason="该案例的专利尚未授权，请核实。")
        with pytest.raises(ValidationError) as answer:
            services.objection_answer(objection=objection, by=admin, outcome="dismissed", answer="答" * 2001)
        assert Round.plain.get(pk=small.pk).state == Round.State.LOCKED
        assert Objection.plain.get(pk=objection.pk).outcome == Objection.Outcome.PENDING
    assert "最多2000字，现有2001字" in unlock.value.message_dict["reason"][0]
    assert "最多2000字" in answer.value.message_dict["answer"][0]
