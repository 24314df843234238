"""The Change log page: entries with before/after, filters, CSV, paging, constant queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pghistory
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Change, Entry
from audit.views import CHANGES_SHOWN, PAGE_ENTRIES
from kccperf import figure_cache, lookups
from kccperf.models import Directorate
from kpis.models import KpiResult
from monitoring.models import Return
from tests.audit.helpers import Trail
from tests.factories import make_directorate
from tests.kpis.factories import make_kpi, make_result
from tests.monitoring.factories import Q1, Q2, make_activity, make_return

URL = reverse("audit:change-log")


def _acts(cast, count: int) -> None:
    """``count`` entries by dan and alice: renamed directorates, returns changed, KPI values."""
    ret = Return.objects.first() or make_return(make_activity(lead_officer=cast["alice"]), Q2)
    result = KpiResult.objects.first() or make_result(make_kpi(code="CYPE05"), Q2, 85)
    directorate = Directorate.objects.filter(short_name="GR").first() or make_directorate(
        name="Growth", short_name="GR"
    )
    start = Trail().before.__len__()
    for n in range(count):
        Trail()  # each act its own transaction's context
        person = cast["dan"] if n % 2 else cast["alice"]
        with pghistory.context(user=person.pk, username=person.username, url="/x/"):
            Directorate.objects.filter(pk=directorate.pk).update(name=f"Growth {start}.{n}")
            Return.objects.filter(pk=ret.pk).update(progress=f"Progress {n}", delivery="remedial")
            KpiResult.objects.filter(pk=result.pk).update(commentary=f"Note {n}")


def test_an_entry_shows_who_what_and_the_changed_fields_before_and_after(client, cast):
    _acts(cast, 1)
    client.force_login(cast["dan"])
    page = client.get(URL).content.decode()
    assert 'class="audit-entry-title">Alice Tester (alice) <span' in page
    # Readable labels and choices, not column names and stored values.
    assert "Progress this quarter" in page and "progress</th>" not in page
    assert "Going well." in page and "Progress 0" in page
    assert "<td>Yes, it is on track</td><td>It requires remedial action</td>" in page
    assert "Growth " in page
    # Links: the return's history page, the KPI's admin page for an analyst who may view it.
    ret = Return.objects.get()
    assert (
        reverse("monitoring:return-history", kwargs={"activity_pk": ret.activity_id, "period": Q2})
        in page
    )
    assert f"?object=monitoring.return%3A{ret.pk}" in page


def test_lead_officers_and_cmt_cannot_read_it_and_only_analysts_see_it_in_the_menu(client, cast):
    for who, status in (("alice", 403), ("carol", 403), ("erin", 403), ("dan", 200)):
        client.force_login(cast[who])
        assert client.get(URL).status_code == status, who
        home = client.get(reverse("home")).content.decode()
        assert (f'href="{URL}"' in home) == (who == "dan"), who


def test_filters_by_person_area_quarter_record_and_date(client, cast):
    _acts(cast, 4)
    q1_return = make_return(make_activity(), Q1)
    client.force_login(cast["dan"])

    def count(**query) -> int:
        response = client.get(URL, query)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    everything = count()
    assert everything >= 5
    assert count(person="dan") == 2
    assert count(person="Alice") == 2
    assert count(person="Tester") == 4  # a part of a name: everyone who matches
    assert count(person="nobody-of-that-name") == 0
    assert count(area="kpis") == 4 + 1  # the acts and the setup's KPI value
    assert count(area="risks") == 0
    q1 = q1_return.period_id
    assert count(quarter=q1) == 1
    assert count(object=f"monitoring.return:{q1_return.pk}") == 1
    today = timezone.localdate()
    assert count(since=today.isoformat(), until=today.isoformat()) == everything
    assert count(since=(today + timedelta(days=1)).isoformat()) == 0
    assert count(until=(today - timedelta(days=1)).isoformat()) == 0


def test_bad_filters_say_which_field_and_why(client, cast):
    client.force_login(cast["dan"])
    response = client.get(URL, {"since": "2026-05-02", "until": "2026-05-01", "object": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "To (date): Must be on or after the From date." in page
    assert "Record: Give it as area.model:number" in page
    # Each message sits by its field, which names it (aria-describedby).
    assert 'aria-describedby="id_until_error"' in page
    response = client.get(URL, {"since": "not a date"})
    assert "Enter a valid date." in response.content.decode()


def _page_queries(client, cold: bool = True, **query) -> int:
    if cold:
        lookups.clear()  # counted cold: the kept roles and quarters are read too
        caches[figure_cache.CACHE_ALIAS].clear()  # and the entries rendered afresh
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, query)
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_3_or_30_entries(client, cast):
    client.force_login(cast["dan"])
    _acts(cast, 3)
    few = _page_queries(client)
    _acts(cast, 27)
    many = _page_queries(client)
    # Every page: session, user, permissions (2), role, the period bar's quarters and its
    # collecting banner (3 counts). This page: the entries' count and page of ids, the
    # entries with their change counts; the entries and the filters from the figure cache
    # (missed), the entries' first changes (one windowed query), the people and quarters they
    # name, the filter's list of quarters; each fragment kept (the shared cache: count, key,
    # write and the audit context of the write); SET CONSTRAINTS (in the test's transaction)
    # and the data versions the roles and quarters are kept under.
    assert few == many
    assert many <= 30
    # Read again: the entries, the filters, the roles and the quarters come from memory (no
    # first changes, people, quarters, list of quarters, or cache writes).
    again = _page_queries(client, cold=False)
    assert again == _page_queries(client, cold=False)
    assert again <= many - 12
    # Filtering by person adds one: the people whose name matches.
    assert _page_queries(client, person="alice", area="monitoring") == many + 1


def test_the_page_is_paged(client, cast):
    _acts(cast, PAGE_ENTRIES + 2)
    client.force_login(cast["dan"])
    first = client.get(URL)
    assert len(first.context["page"].object_list) == PAGE_ENTRIES
    assert first.content.decode().count('class="audit-entry"') == PAGE_ENTRIES
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) >= 2
    # Every entry once, newest first, across the two pages.
    shown = [*first.context["page"].object_list, *second.context["page"].object_list]
    everything = list(Entry.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert shown == everything


def test_the_entries_are_counted_only_a_few_pages_ahead_and_every_page_is_reachable(
    client, cast, monkeypatch
):
    from audit import views

    monkeypatch.setattr(views, "PAGE_ENTRIES", 2)
    monkeypatch.setattr(views, "PAGES_COUNTED_AHEAD", 1)
    _acts(cast, 5)
    total = Entry.objects.count()
    assert total > 4  # more than the first page counts (it counts two pages of two)
    client.force_login(cast["dan"])
    first = client.get(URL).content.decode()
    assert "More than 4 entries (narrow them with the filters)" in first
    assert "Page 1 of at least 3" in first
    # Paging on counts further each time: the last page is reached, and then counted whole.
    number, shown = 1, []
    while True:
        response = client.get(URL, {"page": number})
        shown += response.context["page"].object_list
        if not response.context["page"].has_next():
            break
        number += 1
    assert number == -(-total // 2)
    assert f"Page {number} of {number}<" in response.content.decode()
    assert f"{total} entries" in response.content.decode()
    assert shown == list(Entry.objects.order_by("-created_at", "-id").values_list("pk", flat=True))


def test_the_csv_has_one_row_per_changed_field_through_the_output_layer(client, cast):
    _acts(cast, 2)
    Trail()
    with pghistory.context(user=cast["dan"].pk, username="dan"):
        make_directorate(name='=HYPERLINK("http://evil")')
    client.force_login(cast["dan"])
    response = client.get(URL, {"_export": "csv", "person": "dan"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="change-log-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["When", "Person", "Action"]
    body = rows[1:]
    assert body and all(r[1] == "Dan Tester (dan)" for r in body)
    assert any(r[8:] == ["Progress this quarter", "Progress 0", "Progress 1"] for r in body)
    # Formula-escaped by the output layer.
    assert any(r[10].startswith("'=HYPERLINK") for r in body if r[8] == "Name")
    client.force_login(cast["carol"])
    assert client.get(URL, {"_export": "csv"}).status_code == 403


def test_structured_values_read_as_json_in_uk_time_and_a_snapshot_by_its_size():
    from audit.presentation import document_text, value_text

    changes = {"submitted_at": [None, "2019-07-01T09:30:00+00:00"], "progress": ["a", "b"]}
    text = document_text(changes)
    assert '"2019-07-01 10:30:00"' in text  # British Summer Time
    assert "T09:30" not in text
    assert document_text({"rows": ["x" * 50] * 40}) == "(a document of 2 KB: see the record itself)"
    registers = value_text("monitoring", "return", "risk_registers", ["project", "none"])
    assert registers == "Project/programme risk register; Not on a risk register"


# Kept rendered (kccperf.figure_cache) --------------------------------------------------------


def _from_cache(client, **query) -> bool:
    """Whether the page's entries came from the cache (their template not rendered)."""
    response = client.get(URL, query)
    assert response.status_code == 200
    return not any(t.name == "audit/_entries.html" for t in response.templates)


def test_entries_come_from_the_cache_and_a_new_act_is_on_the_very_next_page(client, cast):
    _acts(cast, 2)
    client.force_login(cast["dan"])
    assert not _from_cache(client)
    assert _from_cache(client)
    assert "newcomer.x" not in client.get(URL).content.decode()
    # An act that touches no cached figure (a sign-in row only: the audit app's own table).
    Trail()
    with pghistory.context(user=cast["alice"].pk, username="alice", url="/accounts/login/"):
        from audit.models import SignIn

        SignIn.objects.create(outcome=SignIn.Outcome.FAILED, username="newcomer.x")
    assert "newcomer.x" in client.get(URL).content.decode()
    assert _from_cache(client)


def test_more_changes_to_an_entry_are_on_the_next_page(client, cast):
    _acts(cast, 1)
    client.force_login(cast["dan"])
    assert "more change" not in client.get(URL).content.decode()
    # The same act (context) writes on: more changes than the page lists under it.
    entry = Entry.objects.order_by("-created_at").first()
    ret = Return.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pghistory.context_id', %s, true)", [str(entry.pk)])
    for n in range(CHANGES_SHOWN + 2):
        Return.objects.filter(pk=ret.pk).update(progress=f"Later {n}")
    assert Change.objects.filter(entry=entry).count() > CHANGES_SHOWN
    page = client.get(URL).content.decode()
    assert "more changes (all of them are in the CSV)" in page


def test_a_person_renamed_is_named_so_on_the_next_page(client, cast):
    _acts(cast, 1)
    client.force_login(cast["dan"])
    assert "Alice Tester (alice)" in client.get(URL).content.decode()
    type(cast["alice"]).objects.filter(pk=cast["alice"].pk).update(last_name="Renamed")
    assert "Alice Renamed (alice)" in client.get(URL).content.decode()


def test_links_to_the_admin_follow_the_reader_not_the_cache(client, cast):
    from tests.factories import make_user

    _acts(cast, 1)
    directorate = Directorate.objects.get(short_name="GR")
    admin_link = reverse("admin:kccperf_directorate_change", args=[directorate.pk])
    root = make_user("log.root", is_superuser=True, is_staff=True)
    client.force_login(cast["dan"])
    dan_sees = admin_link in client.get(URL).content.decode()
    client.force_login(root)
    assert admin_link in client.get(URL).content.decode()
    client.force_login(cast["dan"])
    assert (admin_link in client.get(URL).content.decode()) == dan_sees
    assert not dan_sees or cast["dan"].has_perm("kccperf.view_directorate")


def test_an_entry_lists_its_first_changes_in_order(client, cast):
    from audit.views import _first_changes

    _acts(cast, 2)
    entries = list(Entry.objects.order_by("-created_at", "-id"))
    changes = _first_changes([e.pk for e in entries])
    for entry in entries:
        mine = [c.pk for c in changes if c.entry_id == entry.pk]
        expected = Change.objects.filter(entry=entry).order_by("id").values_list("pk", flat=True)
        assert mine == list(expected[:CHANGES_SHOWN])
    assert _first_changes([]) == []


def test_the_area_filter_finds_an_entry_whose_area_change_comes_after_many_others(client, cast):
    _acts(cast, 1)
    Trail()
    with pghistory.context(user=cast["dan"].pk, username="dan", command="load"):
        for n in range(30):
            make_directorate(name=f"Load {n}", short_name=f"L{n}")
        make_return(make_activity(), Q1)
    load = Entry.objects.order_by("-created_at").first()
    client.force_login(cast["dan"])
    response = client.get(URL, {"area": "monitoring"})
    assert load.pk in list(response.context["page"].object_list)
    response = client.get(URL, {"area": "risks"})
    assert load.pk not in list(response.context["page"].object_list)


def test_the_filters_keep_what_was_asked_and_offer_a_quarter_added_at_once(client, cast):
    from kccperf.models import ReportingPeriod
    from kccperf.periods import Quarter

    client.force_login(cast["dan"])
    assert 'value="dan"' in client.get(URL, {"person": "dan"}).content.decode()
    assert 'value="alice"' in client.get(URL, {"person": "alice"}).content.decode()
    bad = client.get(URL, {"since": "not a date"}).content.decode()
    assert "Enter a valid date." in bad
    assert "Enter a valid date." in client.get(URL, {"since": "not a date"}).content.decode()
    assert "Enter a valid date." not in client.get(URL).content.decode()
    quarter = Quarter(2031, 1)
    ReportingPeriod.objects.create(start=quarter.start, end=quarter.end, label=quarter.label)
    assert quarter.label in client.get(URL).content.decode()
