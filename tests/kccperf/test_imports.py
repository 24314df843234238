import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from kccperf.imports import read_table
from kccperf.models import ImportBatch, Outcome
from tests.kccperf.import_fixtures import OutcomeImporter

pytestmark = pytest.mark.django_db


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def test_a_valid_file_is_previewed_then_applied_and_reimporting_changes_nothing():
    Outcome.objects.create(number=1, title="Old title")
    content = csv_bytes("number,title\n1,New title\n2,Second outcome\n")
    plan = OutcomeImporter().plan(content, "o.csv")
    assert plan.ok
    assert [r.key for r in plan.new] == [2]
    assert [c.fields for c in plan.changed] == [[("title", "Old title", "New title")]]
    OutcomeImporter().run(content, "o.csv", None)
    assert dict(Outcome.objects.values_list("number", "title")) == {
        1: "New title",
        2: "Second outcome",
    }
    again = OutcomeImporter().plan(content, "o.csv")
    assert (len(again.new), len(again.changed), len(again.unchanged)) == (0, 0, 2)


def test_errors_name_the_row_and_column_and_nothing_is_written():
    content = csv_bytes(
        "number,title,since\n1,Fine,Q1 2019/20\n2,,\nx,Bad number,Q9 2019/20\n1,Again,\n"
    )
    plan = OutcomeImporter().run(content, "o.csv", None)
    messages = [str(e) for e in plan.errors]
    assert 'Row 3, column "title": is empty' in messages
    assert "Row 4, column \"number\": not a number ('x')" in messages
    assert "Row 4, column \"since\": not a quarter like Q2 2019/20 ('Q9 2019/20')" in messages
    assert "Row 5: repeats row 2 (1)" in messages
    assert Outcome.objects.count() == 0


def test_missing_and_unknown_columns_are_reported_on_row_1():
    plan = OutcomeImporter().plan(csv_bytes("number,heading\n1,x\n"), "o.csv")
    assert [str(e) for e in plan.errors] == [
        'Row 1, column "title": this column is missing',
        'Row 1, column "heading": unknown column (expected: number, since, title)',
    ]


def test_xlsx_files_are_read_like_csv_with_spreadsheet_row_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Number", "Title"])
    sheet.append([1.0, "One"])
    sheet.append([None, None])
    sheet.append([3, "Three"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    header, rows = read_table(buffer.getvalue(), "o.xlsx")
    assert header == ["number", "title"]
    assert rows == [(2, {"number": "1", "title": "One"}), (4, {"number": "3", "title": "Three"})]


def test_a_file_that_is_not_csv_or_xlsx_is_refused():
    plan = OutcomeImporter().plan(b"hello", "o.txt")
    assert [str(e) for e in plan.errors] == ["The file must be a .csv or .xlsx file"]


def test_planning_does_not_query_per_row():
    small = csv_bytes("number,title\n" + "".join(f"{n},T{n}\n" for n in range(1, 3)))
    large = csv_bytes("number,title\n" + "".join(f"{n},T{n}\n" for n in range(1, 10)))
    counts = []
    for content in (small, large):
        with CaptureQueriesContext(connection) as queries:
            OutcomeImporter().plan(content, "o.csv")
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.fixture
def import_urls(settings):
    settings.ROOT_URLCONF = "tests.kccperf.import_fixtures"


def test_the_upload_page_previews_and_confirm_applies(client, dan, import_urls):
    client.force_login(dan)
    upload = SimpleUploadedFile("o.csv", csv_bytes("number,title\n1,One\n"), "text/csv")
    response = client.post("/import/outcomes/", {"file": upload})
    assert response.status_code == 200
    assert b'1</span><span class="figure-label">new rows' in response.content
    assert Outcome.objects.count() == 0
    batch = ImportBatch.objects.get()
    response = client.post(f"/import/outcomes/{batch.pk}/confirm/")
    assert response.status_code == 302
    assert Outcome.objects.get().title == "One"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    # A confirmed batch is not applied twice: the second confirm is told so.
    Outcome.objects.update(title="Changed since")
    again = client.post(f"/import/outcomes/{batch.pk}/confirm/", follow=True)
    assert "o.csv was already imported at" in again.content.decode()
    assert Outcome.objects.get().title == "Changed since"


def test_the_upload_page_shows_row_errors_and_writes_nothing(client, dan, import_urls):
    client.force_login(dan)
    upload = SimpleUploadedFile("o.csv", csv_bytes("number,title\n1,\n"), "text/csv")
    response = client.post("/import/outcomes/", {"file": upload})
    assert response.status_code == 422
    assert "Row 2, column &quot;title&quot;: is empty" in response.content.decode()
    assert Outcome.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED and bytes(batch.content) == b""


def test_only_people_who_load_data_can_import(client, carol, alice, import_urls):
    for person in (carol, alice):
        client.force_login(person)
        assert client.get("/import/outcomes/").status_code == 403
        assert client.get("/import/outcomes/template.csv").status_code == 403


def test_templates_download_with_the_columns(client, dan, import_urls):
    client.force_login(dan)
    response = client.get("/import/outcomes/template.csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines()[0] == "number,title,since"
    assert client.get("/import/outcomes/template.xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_upload_pages_sit_under_load_data_in_the_breadcrumbs(client, dan, import_urls):
    client.force_login(dan)
    crumbs = client.get("/import/outcomes/").context["breadcrumbs"]
    assert [c["label"] for c in crumbs] == ["Home", "Load data", "Import strategic outcomes"]
    assert crumbs[1]["url"] == "/load-data/"


# All or nothing: a failure while writing row N leaves no row of the file behind ------------


class ApplyFailed(RuntimeError):
    pass


def _apply_failing_on_row(number: int):
    """An apply that writes row by row and fails on the ``number``-th row."""

    def apply(self, plan, user):
        for count, row in enumerate(plan.new, start=1):
            if count == number:
                raise ApplyFailed(f"row {row.row}")
            Outcome.objects.create(number=row.key, title=row.values["title"])

    return apply


THREE_OUTCOMES = csv_bytes("number,title\n1,One\n2,Two\n3,Three\n")


def test_a_failure_on_the_third_row_writes_none_of_the_file(monkeypatch):
    monkeypatch.setattr(OutcomeImporter, "apply", _apply_failing_on_row(3))
    with pytest.raises(ApplyFailed):
        OutcomeImporter().run(THREE_OUTCOMES, "o.csv", None)
    assert Outcome.objects.count() == 0


def test_a_confirm_that_fails_on_the_third_row_writes_nothing_and_stays_pending(
    client, dan, import_urls, monkeypatch
):
    client.force_login(dan)
    upload = SimpleUploadedFile("o.csv", THREE_OUTCOMES, "text/csv")
    assert client.post("/import/outcomes/", {"file": upload}).status_code == 200
    batch = ImportBatch.objects.get()
    monkeypatch.setattr(OutcomeImporter, "apply", _apply_failing_on_row(3))
    with pytest.raises(ApplyFailed):
        client.post(f"/import/outcomes/{batch.pk}/confirm/")
    assert Outcome.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING and batch.applied_at is None


# Two confirms of one file at once -------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirms_of_one_file_at_once_import_it_once_and_tell_the_other(
    import_urls, monkeypatch
):
    import threading
    import time

    from django.db import connections
    from django.test import Client

    from tests.factories import make_cast

    dan = make_cast()["dan"]
    batch = ImportBatch.objects.create(
        kind="outcomes", filename="o.csv", content=THREE_OUTCOMES, uploaded_by=dan
    )
    real_apply = OutcomeImporter.apply

    def slow_apply(self, plan, user):
        real_apply(self, plan, user)
        time.sleep(0.5)  # hold the import open so that the other confirm arrives meanwhile

    monkeypatch.setattr(OutcomeImporter, "apply", slow_apply)
    barrier = threading.Barrier(2)
    answers: list = []

    def confirm():
        try:
            client = Client()
            client.force_login(dan)
            barrier.wait()
            answers.append(client.post(f"/import/outcomes/{batch.pk}/confirm/", follow=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 200]
    pages = sorted(a.content.decode() for a in answers)
    assert sum("Imported o.csv: 3 new" in page for page in pages) == 1
    assert sum("o.csv was already imported at" in page for page in pages) == 1
    assert Outcome.objects.count() == 3
