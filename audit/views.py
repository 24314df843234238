"""The change log: every entry (one act: a request, a command run, a transaction) with the
records it changed, before and after."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from audit import presentation
from audit.filters import EntryFilter
from audit.models import Change, Entry
from kccperf import figure_cache
from kccperf.models import ReportingPeriod, User
from kccperf.navigation import breadcrumbs
from kccperf.output.conventions import About
from kccperf.output.csv import csv_response
from kccperf.output.tables import requested_export
from kccperf.periods import Quarter

PAGE_ENTRIES = 25
# Changes listed under each entry on the page (a demo load makes thousands in one entry).
CHANGES_SHOWN = 20
CSV_HEADERS = (
    "When",
    "Person",
    "Action",
    "Area",
    "Change",
    "Record type",
    "Record",
    "Record id",
    "Field",
    "Before",
    "After",
)


# The entries are counted this many pages beyond the one asked for, no further: counting
# every entry an area's filter matches grew with the log (65 ms at 50 times the council).
PAGES_COUNTED_AHEAD = 10


class CountedAheadPaginator(Paginator):
    """Django's Paginator counting at most ``limit`` + 1 rows (``count`` is then
    ``limit`` + 1 and :attr:`counted_all` false): the page's cost depends on how far one
    pages, not on how long the log is. Every page stays reachable: the limit follows the
    page asked for (:func:`_counted_ahead`)."""

    def __init__(self, queryset: QuerySet, per_page: int, limit: int) -> None:
        super().__init__(queryset, per_page)
        self.queryset = queryset
        self.limit = limit

    @cached_property
    def count(self) -> int:
        return self.queryset[: self.limit + 1].count()

    @property
    def counted_all(self) -> bool:
        return self.count <= self.limit


def _counted_ahead(queryset: QuerySet, page: str | None) -> CountedAheadPaginator:
    try:
        number = max(int(page or 1), 1)
    except ValueError:
        number = 1
    limit = (number + PAGES_COUNTED_AHEAD) * PAGE_ENTRIES
    return CountedAheadPaginator(queryset, PAGE_ENTRIES, limit)


# Changes counted per entry up to this many (an entry of 200,000 is "more than 10,000").
COUNT_CAP = 10_000


def _change_count() -> RawSQL:
    return RawSQL(
        "(SELECT count(*) FROM (SELECT 1 FROM audit_change c "
        'WHERE c.context_id = "pghistory_context"."id" LIMIT %s) AS capped)',
        [COUNT_CAP + 1],
    )


def _names(user_ids: set[int]) -> dict[int, str]:
    users = User.objects.filter(pk__in=user_ids).only("username", "first_name", "last_name")
    return {u.pk: display_name(u) for u in users}


def display_name(user: User) -> str:
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def _user_values(changes: Sequence[Change]) -> set[int]:
    """Ids of the people named by the changes' columns (``updated_by`` and the like)."""
    ids: set[int] = set()
    for change in changes:
        for column, _field in presentation.user_columns(change.app_label, change.model):
            for row in (change.before, change.after):
                value = (row or {}).get(column)
                if isinstance(value, int):
                    ids.add(value)
    return ids


def _periods(changes: Sequence[Change]) -> dict[int, Quarter]:
    ids = {c.period_id for c in changes if c.period_id}
    for change in changes:
        period_id = (change.after or {}).get("period_id")
        if isinstance(period_id, int):
            ids.add(period_id)
    if not ids:
        return {}
    return {p.pk: p.quarter for p in ReportingPeriod.objects.filter(pk__in=ids)}


@permission_required("audit.view_change_log", raise_exception=True)
@require_GET
def change_log(request: HttpRequest) -> HttpResponse:
    entries = EntryFilter(
        request.GET or None, queryset=Entry.objects.order_by("-created_at", "-id")
    )
    if requested_export(request, ("csv",)):
        return _csv(request, entries.qs)
    paginator = _counted_ahead(entries.qs.values_list("pk", flat=True), request.GET.get("page"))
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    shown = list(
        Entry.objects.filter(pk__in=ids)
        .annotate(change_count=_change_count())
        .order_by("-created_at", "-id")
    )
    user = request.user

    def render_entries() -> str:
        changes = _first_changes(ids)
        by_entry: dict[object, list[Change]] = {}
        for change in changes:
            by_entry.setdefault(change.entry_id, []).append(change)
        for entry in shown:
            entry.count_cap = COUNT_CAP  # type: ignore[attr-defined]
        names = _names({e.user_id for e in shown if e.user_id is not None} | _user_values(changes))
        rows = presentation.entry_rows(
            [(e, by_entry.get(e.pk, [])) for e in shown], user, names, _periods(changes)
        )
        return render_to_string("audit/_entries.html", {"rows": rows}, request=request)

    # The entries as rendered, kept under what they are made of: the audit trail is only ever
    # added to (never edited), so an entry with the same number of changes (counted up to the
    # cap) shows the same first changes; the people and quarters they name are ``kccperf``
    # data; the links to records depend on the reader's permissions (their own key).
    content = figure_cache.fragment(
        "change-log-entries",
        (
            user.pk,
            user.is_superuser,
            COUNT_CAP,
            CHANGES_SHOWN,
            [(str(e.pk), e.change_count, e.created_at.isoformat(), e.metadata) for e in shown],
        ),
        ("kccperf",),
        render_entries,
    )
    # The filters as the query string fills them in (and their messages): the quarters they
    # offer are kccperf data; nothing else in them changes.
    filters = figure_cache.fragment(
        "change-log-filters",
        (request.GET.urlencode(),),
        ("kccperf",),
        lambda: render_to_string("audit/_filters.html", {"filter": entries}, request=request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": entries,
        "filters": filters,
        "page": page,
        "entries": content,
        "query": query.urlencode(),
        "export_query": (query.urlencode() + "&" if query else "") + "_export=csv",
        "breadcrumbs": breadcrumbs("Change log"),
    }
    return render(request, "audit/change_log.html", context)


def _first_changes(ids: Sequence[object]) -> list[Change]:
    """The first CHANGES_SHOWN changes of each entry, in one query: one LIMITed index scan
    (entry, id) per entry, so an entry of 200,000 changes (a synthetic load) costs no more
    than one of three."""
    if not ids:
        return []
    table = Change._meta.db_table
    return list(
        Change.objects.raw(
            f"SELECT c.* FROM unnest(%s::uuid[]) AS e(id) CROSS JOIN LATERAL "
            f"(SELECT * FROM {table} WHERE context_id = e.id ORDER BY id LIMIT %s) AS c "
            "ORDER BY c.id",
            [list(ids), CHANGES_SHOWN],
        )
    )


def _csv(request: HttpRequest, entries: QuerySet[Entry]) -> HttpResponse:
    """Every change of the filtered entries, one row per field changed (one per record for a
    record added or removed without values)."""
    changes = (
        Change.objects.filter(entry__in=entries.values("pk"))
        .select_related("entry")
        .order_by("-entry__created_at", "entry_id", "id")
    )
    # Everyone by id (a few hundred people): the CSV names the people its rows name.
    names = {
        u.pk: display_name(u) for u in User.objects.only("username", "first_name", "last_name")
    }

    def rows() -> Iterator[list[object]]:

        for change in changes.iterator(chunk_size=2000):
            entry = change.entry
            if entry is None:  # never: the changes are those of these entries
                continue
            head = [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                presentation.person(entry, names),
                presentation.action(entry),
                presentation.area_of(change),
                change.get_operation_display(),
                presentation.what(change.app_label, change.model),
                presentation.title(change),
                change.object_pk,
            ]
            fields = presentation.field_changes(change, short=False, names=names)
            if not fields:
                yield [*head, "", "", ""]
            for field in fields:
                yield [*head, field.label, field.before, field.after]

    return csv_response(CSV_HEADERS, rows(), About(stem="change-log", report="Change log"))
