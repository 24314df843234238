"""Quarter figures computed once: rendered page fragments cached under the data's version.

Every table of the portal's apps carries a PostgreSQL trigger (installed after every
``migrate`` by :func:`install_triggers`) that bumps its app's counter in the one row of
``kccperf_dataversion`` **in the writing transaction**. Whatever writes (a form, an import, the
admin, a management command, publishing, raw SQL, ``bulk_create``, ``QuerySet.update``), the
version moves when the data does and the readers of the old version never see it again; no
cached figure depends on a timeout. The triggers are *deferred constraint triggers*: they fire
at commit, so the counter row is locked for an instant at the end of a writing transaction
(never held while the rest of the transaction runs, no lock-order deadlocks), and once per
app per transaction.

A version is a value of the sequence ``kccperf_data_version_seq`` (never reused, even after a
rollback) plus the row's ``epoch`` (a random UUID made with the row: a database emptied or
rebuilt with ``generate_synthetic --reset`` starts a new epoch), so a cache key can never name
older data, in any cache shared by several servers.

Reading: :func:`versions` runs first (before any of the data is read: under READ COMMITTED a
later statement sees data at least as new as the version read), then the fragment is looked
up under a key made of the page's own parts (path with query string, the user's flags, the
quarter's stage, today's date) and the versions of the apps it reads. Inside a transaction
that has written (a test, a request that writes then reads), reading the versions first makes
its own pending bumps fire (``SET CONSTRAINTS ... IMMEDIATE``) and re-arms them, so a write
is visible to the very next read of the same transaction too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps as django_apps
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from kccperf.counting import counting_basis

T = TypeVar("T")
_MISSING: Any = object()

# The apps whose tables carry the trigger, each with its own counter (a column of the row).
SCOPES = ("kccperf", "monitoring", "kpis", "risks", "reports")
TRIGGER = "kccperf_data_version"
TABLE = "kccperf_dataversion"
SEQUENCE = "kccperf_data_version_seq"
CACHE_ALIAS = "figures"
# Part of every key: raise it when the portal renders the same data differently (a deploy
# must not serve fragments rendered by the old code from the shared cache). 2: chart text
# escaped (kccperf.charts.escape_figure). 3: charts' figures as compact JSON
# (kccperf.charts.figure_script), reports' bodies in the figure cache. 4: fragments without
# the templates' indentation (:func:`compact`). 5: the QPR's body marked where the PDF writer
# may cut it (kccperf.output.pdf_pieces).
RENDERING = 5
# The versions read in this GET/HEAD request: None elsewhere; a one-slot list inside one,
# empty until the first read.
_REQUEST_VERSIONS: ContextVar[list[dict[str, str] | None] | None] = ContextVar(
    "kccperf_request_versions", default=None
)
# Apps outside the five whose tables count as kccperf's data (roles and their permissions).
AUTH_APPS = ("auth", "contenttypes")
# Columns of the user table that pages print (names): logging in (last_login) bumps nothing.
USER_COLUMNS = ("username", "first_name", "last_name", "email", "is_active")

FUNCTION_SQL = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE OR REPLACE FUNCTION kccperf_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'kccperf.data_version_' || TG_ARGV[0];
BEGIN
    IF coalesce(current_setting(flag, true), '') = 'bumped' THEN
        RETURN NULL;
    END IF;
    EXECUTE format('UPDATE {TABLE} SET %I = nextval(''{SEQUENCE}'') WHERE id = 1', TG_ARGV[0]);
    IF NOT FOUND THEN
        INSERT INTO {TABLE} (id, epoch, kccperf, monitoring, kpis, risks, reports)
        VALUES (1, gen_random_uuid(), 0, 0, 0, 0, 0) ON CONFLICT (id) DO NOTHING;
        EXECUTE format('UPDATE {TABLE} SET %I = nextval(''{SEQUENCE}'') WHERE id = 1',
                       TG_ARGV[0]);
    END IF;
    PERFORM set_config(flag, 'bumped', true);
    RETURN NULL;
END
$$;
INSERT INTO {TABLE} (id, epoch, kccperf, monitoring, kpis, risks, reports)
VALUES (1, gen_random_uuid(), 0, 0, 0, 0, 0) ON CONFLICT (id) DO NOTHING;
"""


def covered_tables() -> list[tuple[str, str]]:
    """(table, scope) of every table the triggers watch: each model of the five apps,
    many-to-many tables included; not the version row itself nor unmanaged models. Django's
    own roles and permissions (the ``auth`` app's groups, their permissions) count as
    ``kccperf`` data: :mod:`kccperf.lookups` keeps each person's permissions under it."""
    tables = []
    for app_label, scope in [*((s, s) for s in SCOPES), *((a, "kccperf") for a in AUTH_APPS)]:
        for model in django_apps.get_app_config(app_label).get_models(include_auto_created=True):
            opts = model._meta
            if not opts.managed or opts.proxy or opts.db_table == TABLE:
                continue
            tables.append((opts.db_table, scope))
    return sorted(set(tables))


def install_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """(Re)create the function and a trigger on every covered table (post_migrate; cheap
    when they are all there already)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = covered_tables()
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return  # before kccperf's migration that makes the row's table
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        present = {row[0] for row in cursor.fetchall()}
        cursor.execute(FUNCTION_SQL)
        for table, scope in tables:
            if table in present:
                continue
            events = "INSERT OR DELETE OR UPDATE"
            if table == django_apps.get_model("kccperf", "User")._meta.db_table:
                events = f"INSERT OR DELETE OR UPDATE OF {', '.join(USER_COLUMNS)}"
            cursor.execute(
                f'CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER {events} ON "{table}" '
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f"EXECUTE FUNCTION kccperf_bump_data_version('{scope}')"
            )


def versions(using: str = DEFAULT_DB_ALIAS) -> dict[str, str] | None:
    """The current version of each app's data, or None when there is no version row (then
    nothing is cached). Read this before the data it stands for. Inside a GET or HEAD request
    it is read once, at the first call (:mod:`kccperf.lookups`)."""
    slot = _REQUEST_VERSIONS.get()
    if slot is None or using != DEFAULT_DB_ALIAS:
        return _read_versions(using)
    if not slot:
        slot.append(_read_versions(using))
    return slot[0]


@contextmanager
def versions_read_once() -> Iterator[None]:
    """Within: :func:`versions` reads the database once, at its first call (a GET or HEAD
    request: :class:`kccperf.lookups.DataVersionMiddleware`)."""
    token = _REQUEST_VERSIONS.set([])
    try:
        yield
    finally:
        _REQUEST_VERSIONS.reset(token)


def read_once() -> bool:
    """Whether :func:`versions` is read once here (inside :func:`versions_read_once`)."""
    return _REQUEST_VERSIONS.get() is not None


def _read_versions(using: str = DEFAULT_DB_ALIAS) -> dict[str, str] | None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # This transaction's own writes: bump now (and re-arm for later writes, which
            # are deferred again).
            cursor.execute(
                f"SET CONSTRAINTS {TRIGGER} IMMEDIATE; SET CONSTRAINTS {TRIGGER} DEFERRED"
            )
        resets = ", ".join(f"set_config('kccperf.data_version_{s}', '', true)" for s in SCOPES)
        columns = ", ".join(f"d.{s}" for s in SCOPES)
        cursor.execute(
            f"SELECT d.epoch, {columns} FROM (SELECT {resets}) AS re "
            f"LEFT JOIN {TABLE} d ON d.id = 1"
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    return {"epoch": str(row[0]), **{s: str(v) for s, v in zip(SCOPES, row[1:], strict=True)}}


def fragment(
    kind: str,
    parts: Iterable[object],
    scopes: Iterable[str],
    render: Callable[[], str],
) -> SafeString:
    """The HTML ``render()`` makes, from the cache when the same page part was rendered for
    the same data (``scopes``: the apps it reads; ``parts``: everything else it depends on,
    e.g. the path with its query string and the user's flags). Today's date is part of every
    key: what depends on the date (a window open, a quarter collecting) moves at midnight."""
    return mark_safe(value(kind, parts, scopes, lambda: compact(render())))


# A line's indentation: what templates' own layout puts in every table row and list item.
_INDENTATION = re.compile(r"\n[ \t]+")


def compact(html: str) -> str:
    """``html`` without the templates' indentation (a third of a long table's bytes): a line
    break followed by spaces or tabs becomes the line break alone. Browsers show the page as
    before: in normal text a run of white space is one space, and ``white-space: pre-line``
    (a return's changed answers) drops a line's leading spaces too; line breaks are kept. No
    cached fragment holds ``<pre>``, ``<textarea>`` or ``white-space: pre``/``pre-wrap`` text,
    and JSON (charts' figures) has no raw line breaks inside its strings."""
    return _INDENTATION.sub("\n", html)


def cache_key(kind: str, parts: Iterable[object], scopes: Iterable[str]) -> str | None:
    """The key of what ``kind`` makes from ``parts`` and the data of ``scopes``: their
    versions, today's date and the counting basis; ``None`` when there is no version row
    (then nothing may be kept)."""
    current = versions()
    if current is None:
        return None
    named = [
        kind,
        f"r{RENDERING}",
        current["epoch"],
        *(f"{s}={current[s]}" for s in sorted(scopes)),
    ]
    # Which returns the figures count is a setting, not data: it is part of every key.
    named += [str(timezone.localdate()), f"count={counting_basis()}", *(repr(p) for p in parts)]
    return f"kccperf:{kind}:" + hashlib.sha256("\x1f".join(named).encode()).hexdigest()


def value(kind: str, parts: Iterable[object], scopes: Iterable[str], make: Callable[[], T]) -> T:
    """What ``make()`` returns (anything the cache can pickle), kept as :func:`fragment`
    keeps HTML: under the versions of ``scopes``, ``parts``, today's date and the counting
    basis. Made afresh (and not kept) when there is no version row."""
    key = cache_key(kind, parts, scopes)
    if key is None:
        return make()
    cache = caches[CACHE_ALIAS]
    made = cache.get(key, _MISSING)
    if made is _MISSING:
        made = make()
        cache.set(key, made)
    return made
