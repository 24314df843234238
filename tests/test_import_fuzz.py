"""Hostile files into every import, by management command and by upload page (Hypothesis).

Whatever the file, an import answers with messages (row and column, or the file as a whole),
never a traceback or a 500, and a refused file leaves the database exactly as it was (every
table compared by content; the upload page's own record of the refused file excepted).
"""

from __future__ import annotations

import codecs
import io
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bench.hostile_files import xlsx, xlsx_bomb
from kccperf.import_commands import ImportCommand
from kccperf.import_views import registered_importers
from kccperf.models import ImportBatch

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _import_commands() -> dict[str, str]:
    """Importer kind -> the management command that runs it."""
    found = {}
    for name, app in get_commands().items():
        if not name.startswith("import_"):
            continue
        command = load_command_class(app, name)
        if isinstance(command, ImportCommand):
            found[command.importer_class.kind] = name
    return found


IMPORTERS = {
    importer_class.kind: (importer_class, url) for importer_class, url in registered_importers()
}
COMMANDS = _import_commands()


def test_every_import_has_an_upload_page_and_a_command():
    assert set(IMPORTERS) == set(COMMANDS)
    assert len(IMPORTERS) >= 6


@cache
def _bomb() -> bytes:
    return xlsx_bomb(30)


# The audit trail records the refused upload (and the test's deletion of its record): the
# tables whose rows are the record of acts, not the portal's data.
AUDIT_TABLES = ("audit_change", "pghistory_context")


def _database_digest() -> dict[str, str]:
    """An md5 of every project table's rows but the audit trail's, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall() if row[0] not in AUDIT_TABLES]
        parts = [
            f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f'FROM "{table}" t'
            for table in tables
        ]
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


# Hostile files -----------------------------------------------------------------------------

ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "shift_jis",
]
HOSTILE_CELLS = [
    "",
    "=1+1",
    '=HYPERLINK("http://evil","x")',
    "@SUM(A1)",
    "-2+3",
    "x" * 40_000,
    "\x00",
    "\x0b",
    "\ufeff",
    "\ud7ff\ue000",
    "Row 1; not; a; list",
    "Q9 2099/00",
    "9" * 400,
    "-1",
    "NaN",
    "1e999",
    "31/02/2019",
    "<script>alert(1)</script>",
    "'; DROP TABLE kpis_kpi; --",
    "\r\n",
    '"',
]


def _cells():
    return st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=30))


@st.composite
def hostile_files(draw, kind: str) -> tuple[bytes, str]:
    importer = IMPORTERS[kind][0]()
    header = [column.name for column in importer.columns]
    example = [column.example for column in importer.columns]
    shape = draw(
        st.sampled_from(
            ["text", "binary", "nul", "workbook", "two-sheets", "bomb", "duplicates", "wide"]
        )
    )
    rows = [list(example)]
    for _ in range(draw(st.integers(0, 3))):
        row = list(example)
        for index in draw(st.lists(st.integers(0, len(row) - 1), max_size=3)):
            row[index] = draw(_cells())
        rows.append(row)
    if shape == "duplicates":
        rows = rows + rows
        header = header + header[:1]
    if shape == "wide":
        header = header + [f"extra{n}" for n in range(draw(st.integers(1, 80)))]
    if shape in ("workbook", "two-sheets"):
        safe = [[ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row] for row in rows]
        sheets = [("Data", [header, *safe])]
        if shape == "two-sheets":
            sheets.append(("Other", [header, *safe]))
        return xlsx(*sheets), "hostile.xlsx"
    if shape == "bomb":
        return _bomb(), "bomb.xlsx"
    if shape == "binary":
        return draw(st.binary(min_size=1, max_size=2000)), draw(
            st.sampled_from(["hostile.csv", "hostile.xlsx"])
        )
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([header, *rows])
    text = buffer.getvalue()
    if shape == "nul":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + "\x00" + text[at:]
    encoding = draw(st.sampled_from(ENCODINGS))
    content = text.encode(encoding, errors="replace")
    if draw(st.booleans()) and encoding == "utf-8":
        content = codecs.BOM_UTF8 + content
    return content, "hostile.csv"


def _kinds():
    return sorted(IMPORTERS)


# By command ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", _kinds())
def test_the_import_command_answers_every_hostile_file_with_messages(kind, tmp_path, cast):
    command = COMMANDS[kind]

    @FUZZ
    @given(hostile_files(kind))
    def check(file):
        content, filename = file
        path = tmp_path / filename
        path.write_bytes(content)
        before = _database_digest()
        stderr = io.StringIO()
        with transaction.atomic():
            try:
                call_command(
                    command, str(path), "--user", "dan", stdout=io.StringIO(), stderr=stderr
                )
            except CommandError as exc:
                assert "nothing was imported" in str(exc)
                messages = stderr.getvalue().strip().splitlines()
                assert messages and all(message.strip() for message in messages)
                assert _database_digest() == before
            transaction.set_rollback(True)

    check()


# By upload page -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", _kinds())
def test_the_upload_page_answers_every_hostile_file_with_messages(kind, client, cast):
    importer_class, url_name = IMPORTERS[kind]
    url = reverse(url_name)
    loader = next(
        cast[who]
        for who in ("dan", "erin", "root")
        if cast[who].has_perm(importer_class.permission)
    )
    client.force_login(loader)

    @FUZZ
    @given(hostile_files(kind))
    def check(file):
        content, filename = file
        with transaction.atomic():
            before = _database_digest()
            upload = SimpleUploadedFile(filename, content, "application/octet-stream")
            response = client.post(url, {"file": upload})
            assert response.status_code in (200, 422), response.status_code
            if response.status_code == 422:
                page = response.content.decode()
                assert "The file was not imported" in page
                assert response.context["plan"].errors
                batch = ImportBatch.objects.get()
                assert batch.status == ImportBatch.Status.REJECTED
                batch.delete()  # the record of the refusal: all else is as it was
                assert _database_digest() == before
            transaction.set_rollback(True)

    check()
