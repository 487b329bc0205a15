"""The audit log: every service that changes state calls audit_record inside its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from apps.audit import DEV_AUDIT_KEY
from apps.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from apps.core.canonical import canonical_json  # a row's data and hashed body: stored bytes, pinned in core's tests


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def entry_body(*, prev_hash: str, actor_id, actor_label, action, target_type, target_id, target_label,
               org_path, data: str, created_at: dt.datetime, created_text: str = "") -> bytes:
    """The bytes a row's hash covers: its fields and the previous row's hash, as canonical JSON (`created_text`
    may pass the creation time already formatted, as audit_record_many does for its many rows of one moment)."""
    return canonical_json(
        [prev_hash, actor_id, actor_label, action, target_type, str(target_id), target_label,
         org_path, data, created_text or _utc_text(created_at)]
    ).encode("utf-8")


def entry_hash(**fields: Any) -> str:
    """The row's HMAC-SHA256 under AUDIT_KEY over entry_body. The key lives outside the database (and its
    backups), so someone who can only write to the tables cannot compute the hash of a row they alter, insert
    or re-chain; a plain SHA-256 anyone could recompute. Read on every call, so a changed key shows at once."""
    key = getattr(settings, "AUDIT_KEY", DEV_AUDIT_KEY)
    return hmac.new(key.encode("utf-8"), entry_body(**fields), hashlib.sha256).hexdigest()


def _org_path_of(target: Any) -> str:
    """The org a target belongs to: the object itself (an org says so with `audit_path`), or its `org`, or its
    programme's org."""
    own = getattr(target, "audit_path", None)
    if own is not None:
        return own
    for attr in ("org", "programme", "notice", "campaign"):
        related = getattr(target, attr, None)
        if related is not None and related is not target:
            return _org_path_of(related)
    return ""


def audit_record(*, actor, action: str, target: Model | None = None, data: dict | None = None,
                 org=None) -> AuditEntry:
    """Append one row to the chain. Call it inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    created_at = timezone.now()
    fields = dict(
        actor_id=getattr(actor, "pk", None),
        actor_label=(getattr(actor, "username", "") or "")[:150],
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        org_path=org.path if org is not None else (_org_path_of(target) if target is not None else ""),
        data=canonical_json(data or {}),
        created_at=created_at,
    )
    digest = entry_hash(prev_hash=head.last_hash, **fields)
    entry = AuditEntry.plain.create(prev_hash=head.last_hash, hash=digest, **fields)
    head.last_id, head.last_hash, head.count = entry.pk, digest, head.count + 1
    head.save()
    return entry


def audit_record_many(*, actor, action: str, org, items: list[tuple[str, str, str, dict]], insert=None) -> None:
    """Append one row per (target type, target id, target label, data) in bulk: the same chain as
    audit_record (each row hashes the one before, under the head row's lock) without three queries a row.
    `insert(rows) -> ids` may stream the rows (the case import passes its COPY writer); default bulk_create."""
    if not items:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the transaction of the change it records")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    prev = head.last_hash
    created_at = timezone.now()
    created_text = _utc_text(created_at)
    actor_id, actor_label = getattr(actor, "pk", None), (getattr(actor, "username", "") or "")[:150]
    org_path = org.path if org else ""
    rows = []
    for target_type, target_id, label, data in items:
        fields = dict(actor_id=actor_id, actor_label=actor_label, action=action, target_type=target_type,
                      target_id=str(target_id), target_label=label[:200], org_path=org_path,
                      data=canonical_json(data), created_at=created_at)
        digest = entry_hash(prev_hash=prev, created_text=created_text, **fields)
        rows.append(dict(prev_hash=prev, hash=digest, **fields))
        prev = digest
    if insert is None:
        ids = [e.pk for e in AuditEntry.plain.bulk_create([AuditEntry(**row) for row in rows], batch_size=1000)]
    else:
        ids = insert(rows)
    head.last_id, head.last_hash, head.count = ids[-1], prev, head.count + len(rows)
    head.save()


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""


def _entries(last_id: int) -> Iterator[AuditEntry]:
    return AuditEntry.plain.filter(id__lte=last_id).order_by("id").iterator(chunk_size=2000)


def audit_verify() -> VerifyResult:
    """Walk the chain from the start; name the first row that was altered, removed or reordered.

    The head is read first and the walk stops at the row it names: rows other writers append during a long
    run belong to the next run, instead of showing as a count that does not match the head."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if AuditEntry.plain.exists():
            return VerifyResult(False, 0, None, "链头记录缺失：无法确认链尾（链头行被删除）")
        return VerifyResult(True, 0)
    prev = GENESIS_HASH
    checked = 0
    for row in _entries(head.last_id):
        if row.prev_hash != prev:
            return VerifyResult(False, checked, row.pk, "链断裂：上一行哈希不符（行被删除或次序被改动）")
        expected = entry_hash(
            prev_hash=row.prev_hash, actor_id=row.actor_id, actor_label=row.actor_label,
            action=row.action, target_type=row.target_type, target_id=row.target_id,
            target_label=row.target_label, org_path=row.org_path, data=row.data,
            created_at=row.created_at,
        )
        if expected != row.hash:
            return VerifyResult(False, checked, row.pk,
                                "内容被改动：哈希与内容不符（或 AUDIT_KEY 与写入时所用的不同）")
        prev = row.hash
        checked += 1
    if head.last_hash != prev or head.count != checked:
        return VerifyResult(False, checked, head.last_id, "链尾缺失：末尾的行被删除")
    return VerifyResult(True, checked)
