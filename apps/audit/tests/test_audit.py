import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from apps.audit.models import AuditEntry
from apps.audit.services import audit_record, audit_verify


def _write(n, actor=None):
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=actor, action="test.step", data={"i": i, "名称": "西湖区"})


def test_rows_chain_to_each_other_and_verify(db):
    _write(4)
    rows = list(AuditEntry.log.order_by("id"))
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
    ids = list(AuditEntry.log.order_by("id").values_list("id", flat=True))
    named = {"second": ids[1], "third": ids[2], "last": ids[4]}
    with connection.cursor() as cur:
        cur.execute(tamper.format(**named))
    with pytest.raises(CommandError, match=f"row {named[bad]}"):
        call_command("audit_verify")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize("statement", ["UPDATE audit_auditentry SET action = 'forged'", "DELETE FROM audit_auditentry"])
def test_postgres_rejects_update_and_delete_of_audit_rows(db, statement):
    _write(2)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement)
    assert AuditEntry.log.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_audit_verify_catches_an_edit_made_past_the_trigger_on_postgres(db):
    _write(3)
    third = AuditEntry.log.order_by("id")[2]
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
    assert AuditEntry.log.filter(action="test.bulk").count() == 5
