"""The operation log reads as sentences; every action the code records has one; the raw row is one click away."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction
from django.urls import reverse

from apps.audit.services import audit_record
from apps.audit.wording import AREAS, PHRASES, area_choices

APPS = Path(__file__).resolve().parents[2]
ACTION = re.compile(r'action=("[a-z_]+\.[a-z_]+")(?:\s+if\s+\w+\s+else\s+("[a-z_]+\.[a-z_]+"))?')


def recorded_actions() -> set[str]:
    found = set()
    for path in APPS.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for match in ACTION.finditer(path.read_text(encoding="utf-8")):
            found.update(m.strip('"') for m in match.groups() if m)
    return found


def test_every_recorded_action_reads_as_a_sentence_and_belongs_to_an_area():
    actions = recorded_actions()
    assert len(actions) > 50, "the scan found the services' actions"
    assert sorted(actions - set(PHRASES)) == []
    assert sorted({a.split(".")[0] for a in actions} - set(AREAS)) == []


def test_the_log_reads_who_did_what_when_and_keeps_the_raw_row(client, tree, system):
    with transaction.atomic():
        audit_record(actor=tree.zhejiang_admin, action="round.send", target=tree.hangzhou, data={"n": 3})
    client.force_login(tree.zhejiang_admin)
    page = client.get(reverse("audit:log")).content.decode()
    assert "浙江省管理员</strong> 于" in page and "上报了杭州市的名单" in page
    assert "<code>round.send</code>" in page and "原始记录" in page


def test_the_log_filters_by_area(client, tree, system):
    with transaction.atomic():
        audit_record(actor=tree.zhejiang_admin, action="round.send", target=tree.hangzhou)
        audit_record(actor=tree.zhejiang_admin, action="notice.issue", target=tree.zhejiang)
    client.force_login(tree.zhejiang_admin)
    areas = dict(area_choices())
    page = client.get(reverse("audit:log"), {"area": areas["通知"]}).content.decode()
    assert "发布了通知" in page and "上报了" not in page
