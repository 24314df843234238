"""The audit trail: one trigger on every table, entries per act (request, command, else
transaction), secrets never stored, cached figures not invalidated by it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit import triggers
from audit.models import Change
from kccperf import figure_cache
from kccperf.models import Directorate, User
from tests.audit.helpers import Trail, audit_tables_text, changes_of
from tests.factories import make_directorate
from tests.monitoring.factories import Q2, make_activity, make_return


def _tables_with_trigger() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [triggers.TRIGGER],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_table_the_figure_cache_watches_and_the_roles_carry_the_audit_trigger(db):
    present = _tables_with_trigger()
    # Every model of the portal's apps, found from the app registry: a new model or field
    # is audited without any further work.
    assert {table for table, _ in figure_cache.covered_tables()} <= present
    assert {"auth_group", "auth_group_permissions", "kccperf_user_groups"} <= present
    assert {"audit_signin", "otp_totp_totpdevice", "axes_accessattempt"} <= present
    # The audit tables themselves are not audited nor watched by the figure cache.
    assert not {"audit_change", "pghistory_context"} & present
    assert not {"audit_change", "audit_signin"} & {t for t, _ in figure_cache.covered_tables()}


def test_an_update_records_only_the_changed_columns_before_and_the_row_after(db):
    directorate = make_directorate(name="Growth")
    trail = Trail()
    Directorate.objects.filter(pk=directorate.pk).update(name="Growth, Environment")
    [change] = changes_of(trail.one())
    assert (change.app_label, change.model, change.operation) == (
        "kccperf",
        "directorate",
        "UPDATE",
    )
    assert change.object_pk == str(directorate.pk)
    assert change.changed == ["name"]
    assert change.before == {"name": "Growth"}
    assert change.after["name"] == "Growth, Environment"


def test_an_update_that_changes_nothing_records_nothing(db):
    directorate = make_directorate()
    trail = Trail()
    directorate.save()
    assert trail.new() == []


def test_writes_outside_a_request_or_command_are_one_entry_per_transaction(db):
    trail = Trail()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE kccperf_user SET first_name = 'Raw' WHERE username = 'nobody'")
    make_directorate()
    make_directorate()
    entry = trail.one()
    assert entry.metadata == {"source": "database"}
    assert [c.model for c in changes_of(entry)] == ["directorate", "directorate"]


def test_a_rolled_back_write_leaves_nothing(db):
    before = Change.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_directorate()
        raise RuntimeError
    assert Change.objects.count() == before


def test_a_command_run_is_one_entry_naming_the_command_and_the_person_it_was_run_for(
    tmp_path, cast
):
    from tests.monitoring.test_import import row, to_csv

    activity = make_activity()
    file = tmp_path / "returns.csv"
    file.write_bytes(to_csv([row(activity)]))
    trail = Trail()
    call_command("import_returns", str(file), "--user", "dan", stdout=io.StringIO())
    entry = trail.one()
    assert entry.metadata["command"] == "import_returns"
    assert entry.metadata["user"] == cast["dan"].pk
    assert {c.model for c in changes_of(entry)} >= {"return", "returnrevision"}


def test_a_returns_quarter_is_recorded_for_the_quarter_filter(db):
    activity = make_activity()
    trail = Trail()
    ret = make_return(activity, Q2)
    change = next(c for c in changes_of(trail.one()) if c.model == "return")
    assert change.period_id == ret.period_id


def test_recording_a_change_does_not_move_the_figure_caches_versions(db, cast):
    before = figure_cache.versions()
    # A sign-in writes a sign-in row and last_login: both audited, neither a figure's data.
    User.objects.filter(pk=cast["dan"].pk).update(last_login="2019-10-01T09:00:00Z")
    from audit.models import SignIn

    SignIn.objects.create(outcome="signed_in", username="dan", user=cast["dan"])
    assert Change.objects.filter(model="signin").exists()
    assert figure_cache.versions() == before


def test_two_factor_keys_are_never_stored(db, cast):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=cast["dan"], name="phone", confirmed=True)
    change = Change.objects.get(model="totpdevice")
    assert change.after["key"] == "(hidden)"
    assert device.key not in audit_tables_text()
