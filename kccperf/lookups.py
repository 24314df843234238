"""What every page reads again on every request — the person's permissions and roles, the
quarters on record, an outcome — kept in the process's memory under the data's version.

A signed-in page used to spend five of its queries on these (two for permissions, one for
the person's roles, one for the quarters, one for the outcome in its URL): on a page whose
figures come from the figure cache they were most of its cost. They change rarely, and every
change moves the ``kccperf`` counter of :mod:`kccperf.figure_cache` in the writing
transaction (the triggers also watch Django's own ``auth`` tables: groups, their
permissions), so a value kept under the counter it was read at is never served after a change:
as with the cached figures, correctness never depends on a timeout.

Only inside a GET or HEAD request (:class:`DataVersionMiddleware`): there the counters are read
once, at the first lookup, and every later lookup and cached figure of the request uses that
reading. Elsewhere (a POST, a management command, a test calling a function directly) every
lookup goes to the database as before, so a request that writes always reads what it wrote.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

from kccperf import figure_cache

T = TypeVar("T")

MAX_ENTRIES = 4096
_entries: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


class DataVersionMiddleware:
    """Marks a GET or HEAD request as one that reads the data's versions at most once."""

    SAFE = frozenset({"GET", "HEAD"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.SAFE:
            return self.get_response(request)
        with figure_cache.versions_read_once():
            return self.get_response(request)


def versioned(kind: str, scope: str, parts: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or the value it gave for the same ``parts`` at the same version of
    ``scope``'s data in this process. Returned values are shared between requests: callers
    hand out copies of anything mutable (see :func:`instances`)."""
    if not figure_cache.read_once():
        return compute()
    current = figure_cache.versions()
    if current is None:
        return compute()
    key = (kind, current["epoch"], current[scope], parts)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def instances(kind: str, scope: str, parts: Hashable, compute: Callable[[], list[T]]) -> list[T]:
    """A cached list of model instances, as fresh copies a request may change freely."""
    return [copy.copy(obj) for obj in versioned(kind, scope, parts, compute)]


def clear() -> None:
    """Forget every kept value (tests of the cache itself)."""
    with _lock:
        _entries.clear()
