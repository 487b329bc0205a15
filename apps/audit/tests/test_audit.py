import hashlib
import hmac
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from apps.audit import DEV_AUDIT_KEY, services
from apps.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from apps.audit.services import audit_record, audit_verify, entry_body, entry_hash

PRODUCTION_KEY = "k7Qe-2vN9xR4tLm8pZ3wY6sB1dF5hJ0cG-uA7oE2iK9nT4rV8yX3qW6zM1bD5fH0"


def _write(n, actor=None):
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=actor, action="test.step", data={"i": i, "名称": "西湖区"})


def test_rows_chain_to_each_other_and_verify(db):
    _write(4)
    rows = list(AuditEntry.plain.order_by("id"))
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    result = audit_verify()
    assert result.ok and result.checked == 4
    call_command("audit_verify")


def test_audit_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="on PostgreSQL the trigger stops the edit; see below")
@pytest.mark.parametrize("tamper,bad", [
    ("UPDATE audit_auditentry SET data = '{{\"i\":99}}' WHERE id = {third}", "third"),
    ("DELETE FROM audit_auditentry WHERE id = {second}", "third"),
    ("DELETE FROM audit_auditentry WHERE id = {last}", "last"),
    ("UPDATE audit_auditentry SET id = id + 1000 WHERE id = {second}", "third"),
])
def test_audit_verify_names_the_first_bad_row(db, tamper, bad):
    _write(5)
    ids = list(AuditEntry.plain.order_by("id").values_list("id", flat=True))
    named = {"second": ids[1], "third": ids[2], "last": ids[4]}
    with connection.cursor() as cur:
        cur.execute(tamper.format(**named))
    with pytest.raises(CommandError, match=f"row {named[bad]}"):
        call_command("audit_verify")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize("statement", ["UPDATE audit_auditentry SET action = 'forged'", "DELETE FROM audit_auditentry"])
def test_postgres_rejects_update_and_delete_of_audit_rows(db, statement):
    _write(2)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement)
    assert AuditEntry.plain.count() == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_audit_verify_catches_an_edit_made_past_the_trigger_on_postgres(db):
    _write(3)
    third = AuditEntry.plain.order_by("id")[2]
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
        cur.execute("UPDATE audit_auditentry SET actor_label = 'forged' WHERE id = %s", [third.pk])
        cur.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update")
    with pytest.raises(CommandError, match=f"row {third.pk}"):
        call_command("audit_verify")


def test_rows_appended_in_bulk_continue_the_chain(db):
    from apps.audit.services import audit_record_many

    _write(2)
    with transaction.atomic():
        audit_record_many(actor=None, action="test.bulk", org=None,
                          items=[("cases.Case", i, f"案例{i}", {"i": i}) for i in range(5)])
    _write(1)
    result = audit_verify()
    assert result.ok and result.checked == 8
    assert AuditEntry.plain.filter(action="test.bulk").count() == 5


@contextmanager
def _past_the_trigger():
    """A cursor for someone who writes to the tables directly, on PostgreSQL as the tables' owner who switches
    the append-only trigger off first."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if postgres:
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
        yield cur
        if postgres:
            cur.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update")


def _rewrite_from(position, digest):
    """Alter the row at `position`, then give it and every later row a new hash made by `digest(fields)` and
    move the head along: the chain still links, and only the hashes can give the rewrite away."""
    rows = list(AuditEntry.plain.order_by("id"))
    prev = rows[position - 1].hash if position else GENESIS_HASH
    with _past_the_trigger() as cur:
        for row in rows[position:]:
            data = '{"i":99,"名称":"西湖区"}' if row.pk == rows[position].pk else row.data
            fields = dict(prev_hash=prev, actor_id=row.actor_id, actor_label=row.actor_label, action=row.action,
                          target_type=row.target_type, target_id=row.target_id, target_label=row.target_label,
                          org_path=row.org_path, data=data, created_at=row.created_at)
            new = digest(fields)
            cur.execute("UPDATE audit_auditentry SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
                        [data, prev, new, row.pk])
            prev = new
    AuditHead.objects.filter(pk=1).update(last_hash=prev)
    return rows[position].pk


@pytest.fixture
def production_key(settings):
    settings.AUDIT_KEY = PRODUCTION_KEY


@pytest.mark.parametrize("digest", [
    pytest.param(lambda fields: hashlib.sha256(entry_body(**fields)).hexdigest(), id="plain SHA-256"),
    pytest.param(lambda fields: hmac.new(DEV_AUDIT_KEY.encode(), entry_body(**fields), hashlib.sha256).hexdigest(),
                 id="HMAC under the development key from the source"),
])
def test_a_row_rewritten_without_the_key_is_named_even_when_the_chain_is_rebuilt(db, production_key, digest):
    _write(5)
    forged = _rewrite_from(2, digest)
    result = audit_verify()
    assert (result.ok, result.bad_id, result.checked) == (False, forged, 2)
    assert result.reason.startswith("内容被改动")


def test_whoever_holds_the_key_can_rebuild_the_chain_undetected(db, production_key):
    """The limit docs/operations.md states: the chain is as safe as AUDIT_KEY."""
    _write(5)
    _rewrite_from(2, lambda fields: entry_hash(**fields))
    assert audit_verify().ok
    assert AuditEntry.plain.order_by("id")[2].data == '{"i":99,"名称":"西湖区"}'


def test_an_untouched_chain_fails_under_another_key(db, settings):
    _write(3)
    first = AuditEntry.plain.order_by("id").first()
    assert audit_verify().ok
    settings.AUDIT_KEY = PRODUCTION_KEY
    result = audit_verify()
    assert (result.ok, result.bad_id) == (False, first.pk)
    assert "AUDIT_KEY" in result.reason


def test_rows_appended_while_verify_runs_wait_for_the_next_run(db, monkeypatch):
    _write(3)
    walk = services._entries

    def walk_while_others_append(last_id):
        _write(1)
        for position, row in enumerate(walk(last_id)):
            if position == 0:
                _write(1)
            yield row
        _write(1)

    monkeypatch.setattr(services, "_entries", walk_while_others_append)
    result = audit_verify()
    assert (result.ok, result.checked) == (True, 3)
    monkeypatch.undo()
    assert (audit_verify().ok, audit_verify().checked) == (True, 6)


def test_a_deleted_last_row_is_named_through_the_head(db):
    _write(3)
    last = AuditEntry.plain.order_by("id").last()
    with _past_the_trigger() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    result = audit_verify()
    assert (result.ok, result.bad_id, result.checked) == (False, last.pk, 2)
    assert result.reason.startswith("链尾缺失")


def test_rows_without_a_head_row_fail_verification(db):
    _write(2)
    AuditHead.objects.all().delete()
    with pytest.raises(CommandError, match="at its head: 链头记录缺失"):
        call_command("audit_verify")


def test_an_empty_log_verifies(db):
    assert (audit_verify().ok, audit_verify().checked) == (True, 0)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize("statement", [
    "TRUNCATE audit_auditentry", "TRUNCATE audit_audithead", "TRUNCATE audit_auditentry, audit_audithead",
])
def test_postgres_rejects_truncate_of_the_audit_tables(db, statement):
    _write(2)
    with pytest.raises(DatabaseError, match="TRUNCATE of audit_"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement)
    assert AuditEntry.plain.count() == 2 and AuditHead.objects.get().count == 2
    assert audit_verify().ok


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_flush_still_empties_the_audit_tables_and_leaves_truncate_guarded(db):
    """The test runner flushes between transactional tests; the audit app's flush lifts the guard for it."""
    _write(2)
    call_command("flush", interactive=False, inhibit_post_migrate=True)
    assert not AuditEntry.plain.exists() and not AuditHead.objects.exists()
    with pytest.raises(DatabaseError, match="TRUNCATE of audit_auditentry"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("TRUNCATE audit_auditentry")
