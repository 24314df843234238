"""Reading the audit trail in tests."""

from __future__ import annotations

from django.db import connection

from audit.models import Change, Entry


class Trail:
    """Entries made since it was created (``Trail()`` before the act, ``.new()`` after)."""

    def __init__(self) -> None:
        self.before = set(Entry.objects.values_list("pk", flat=True))
        # A test runs in one transaction, so the context its setup's writes got (one entry
        # per transaction) would still be set: forget it, as the end of a transaction does.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pghistory.context_id', '', true), "
                "set_config('pghistory.context_metadata', '', true)"
            )

    def new(self) -> list[Entry]:
        return list(Entry.objects.exclude(pk__in=self.before))

    def one(self) -> Entry:
        entries = self.new()
        assert len(entries) == 1, [e.metadata for e in entries]
        return entries[0]


def changes_of(entry: Entry) -> list[Change]:
    return list(Change.objects.filter(entry=entry).order_by("id"))


def audit_tables_text() -> str:
    """Every stored row of the audit tables, as text (to look for what must not be there)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(string_agg(t::text, ' '), '') FROM ("
            " SELECT row_to_json(c)::text AS t FROM audit_change c"
            " UNION ALL SELECT row_to_json(s)::text FROM audit_signin s"
            " UNION ALL SELECT row_to_json(x)::text FROM pghistory_context x) AS rows"
        )
        return cursor.fetchone()[0]
