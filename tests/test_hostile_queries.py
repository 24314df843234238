"""Every URL pattern × every role with hostile query strings: never a 500.

The URLs come from the permission matrix (``tests/<app>/urls_matrix.py``), so a new page is
crawled as soon as it is listed there. Unknown export formats, negative and huge page sizes and
page numbers, unknown sort keys and junk filter values must each be answered with the page,
a 400 or a 404 (with a message), never a server error. (Bad periods are the period tests'.)
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.matrix import WHO
from tests.test_permission_matrix import CASES

HUGE = "9" * 30
JUNK = "'\"><script>\x7f%00"
FILTERS = (
    "directorate",
    "rag",
    "direction",
    "green",
    "level",
    "owner",
    "category",
    "status",
    "outcome",
    "kpi",
    "quarter",
    "draft",
    "version",
    "q",
)

# Each query mixes several hostile parameters (the suite's time is shared): a page that refuses
# the export format never reads the rest, so the paging, sort and filter junk also goes alone.
HOSTILE_QUERIES = [
    {"_export": "yaml", "per_page": "-1", "page": "-1", "sort": "-__class__"},
    {"_export": "ods", **{name: JUNK for name in FILTERS}},
    {"_export": JUNK, "per_page": HUGE, "page": HUGE, "sort": "no_such_column"},
    {"per_page": "-1", "page": "0", "sort": JUNK, **{name: HUGE for name in FILTERS}},
    {"per_page": HUGE, "page": "abc", "sort": "-", **{name: "-1" for name in FILTERS}},
    {"_export": "xls", **{name: JUNK for name in FILTERS}},
]


def _cases():
    for case in CASES:
        if case.method != "get":
            continue
        yield pytest.param(case, id=f"{case.url_name}{'-' + case.id if case.id else ''}")


@pytest.mark.parametrize("case", list(_cases()))
def test_no_hostile_query_string_answers_500(client, cast, case):
    url = reverse(case.url_name, kwargs=case.setup(cast))
    failures = []
    for who in WHO:
        client.logout()
        if who != "anonymous":
            client.force_login(cast[who])
        # A person turned away (login, 403, 404) is turned away before any parameter is read:
        # one hostile query shows it; people who see the page get every one.
        queries = HOSTILE_QUERIES if case.expect[who] == 200 else HOSTILE_QUERIES[:1]
        for query in queries:
            full = f"{url}?{case.query + '&' if case.query else ''}{urlencode(query)}"
            try:
                status = client.get(full).status_code
            except Exception as exc:  # noqa: BLE001 - report every failure at once
                failures.append(f"{who} {full}: {type(exc).__name__}: {exc}")
                continue
            if status >= 500:
                failures.append(f"{who} {full}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("url_name", "kwargs", "who"),
    [
        ("risks:register", {}, "erin"),
        ("kpis:scorecard", {}, "dan"),
        ("monitoring:council-dashboard", {}, "dan"),
    ],
)
def test_an_unknown_export_format_is_a_400_that_says_which_formats_there_are(
    client, cast, url_name, kwargs, who
):
    client.force_login(cast[who])
    response = client.get(reverse(url_name, kwargs=kwargs) + "?_export=yaml")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown export format &#x27;yaml&#x27;: this page exports to" in page
    assert "csv, xlsx" in page
