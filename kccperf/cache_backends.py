"""A two-tier cache for values that never change under their key (kccperf.figure_cache).

Each process keeps the entries it used last in its own memory (no network, no query) in front
of the shared cache (the database's cache table, or Redis with ``KCCPERF_CACHE_URL``), which
every worker and every app server reads. Only right for immutable entries: the figure cache's
keys carry the data's version, so a process's copy is never out of date.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()


class TieredCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.shared_alias: str = options["SHARED"]
        self.local = LocMemCache(
            f"kccperf-tier-{location}",
            {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": options.get("LOCAL_ENTRIES", 300)}},
        )

    @property
    def shared(self) -> BaseCache:
        return caches[self.shared_alias]

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        value = self.local.get(key, _MISSING, version=version)
        if value is not _MISSING:
            return value
        value = self.shared.get(key, _MISSING, version=version)
        if value is _MISSING:
            return default
        self.local.set(key, value, version=version)
        return value

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self.local.set(key, value, version=version)
        self.shared.set(key, value, timeout=self.get_backend_timeout_arg(timeout), version=version)

    def get_backend_timeout_arg(self, timeout: Any) -> Any:
        return self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        if self.has_key(key, version=version):
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.shared.touch(key, self.get_backend_timeout_arg(timeout), version=version)

    def delete(self, key: str, version: int | None = None) -> bool:
        local = self.local.delete(key, version=version)
        return self.shared.delete(key, version=version) or local

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self.local.has_key(key, version=version) or self.shared.has_key(key, version=version)

    def clear(self) -> None:
        self.local.clear()
        self.shared.clear()
