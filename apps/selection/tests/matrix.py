"""Permission-matrix rows of the selection pages: the round's org reads its composite ranking and list and works on
them (lock, answer objections, unlock, send), the office above watches, others get 404. The 公示 page is public."""

import datetime as dt

from django.utils import timezone

from apps.review.tests.matrix import SEE, city_round
from tests.matrix import Row

ROWS = [Row("selection:composite", city_round, SEE)]

WORK = {"anon": 302, "own": 302, "staff": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}


def locked_list(world):
    """A locked list of 杭州市's round with the world's case on it and one objection (made directly: the matrix
    is about who may reach what, the lock's own rules are tested in test_lock)."""
    from apps.rounds.models import Round
    from apps.selection import results
    from apps.selection.models import LockedList, Objection

    found = LockedList.plain.filter(round=world.hangzhou_round).first()
    if found is None:
        Round.plain.filter(pk=world.hangzhou_round.pk).update(state=Round.State.LOCKED)
        today = timezone.localdate()
        document = results.result_document(world.hangzhou_round, [world.xihu_case.pk])
        found = LockedList.plain.create(round=world.hangzhou_round, number=1, slug="matrixslug01",
                                        case_ids=[world.xihu_case.pk], starts_on=today,
                                        ends_on=today + dt.timedelta(days=4), result=document,
                                        sha256=results.digest(document))
        Objection.plain.create(locked_list=found, case=world.xihu_case, name="李明", contact="13800138000",
                               reason="该案例的数据与事实不符，请核实。")
    return found


def locked(world):
    return {"pk": locked_list(world).pk}, "hangzhou"


def locked_round(world):
    locked_list(world)
    return city_round(world)


def objection(world):
    return {"pk": locked_list(world).objections.get().pk}, "hangzhou"


def public_list(world):
    return {"slug": locked_list(world).slug}, None


ROWS += [
    Row("selection:list_propose", city_round, WORK,
        note="the world's rules allow no list: 302 back with the explanation"),
    Row("selection:list_adopt", city_round, WORK, method="POST", data=lambda w: {"case": [w.xihu_case.pk]}),
    Row("selection:list_pin", city_round, WORK, method="POST",
        data=lambda w: {"case": w.xihu_case.pk, "kind": "exclude"}),
    Row("selection:list_unpin", city_round, WORK, method="POST", data=lambda w: {"case": w.xihu_case.pk}),
    Row("selection:list", city_round, SEE),
    Row("selection:list_toggle", city_round, WORK, method="POST",
        data=lambda w: {"case": w.xihu_case.pk, "action": "add"}),
    Row("selection:national_configure", city_round, WORK, method="POST", data={"per_province_min": "5"},
        note="a city round has no such rule: 302 back with why"),
    Row("selection:list_lock", city_round, WORK, method="POST", note="the list is empty: 302 back with why"),
    Row("selection:list_unlock", locked_round, WORK, method="POST", data={"reason": "异议成立，调整名单"}),
    Row("selection:list_send", locked_round, WORK, method="POST", note="公示 not over: 302 back with why"),
    Row("selection:publicity", locked_round, SEE),
    Row("selection:objection_answer", objection, WORK, method="POST",
        data={"outcome": "dismissed", "answer": "经核实，数据准确。"}),
    Row("selection:result_json", locked, SEE),
    Row("selection:result_csv", locked, SEE),
    Row("gs:list", public_list, {"anon": 200}, note="the public 公示 page (the round's first lock: its address)"),
    Row("gs:list", public_list, {"anon": 302}, method="POST",
        data=lambda w: {"case": w.xihu_case.pk, "name": "王芳", "contact": "13900139000",
                        "reason": "该企业存在违法违规记录，不符合推荐条件。"},
        note="an objection in the 公示 period: 302 back with thanks"),
]
