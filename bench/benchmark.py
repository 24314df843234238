"""Median server time of every page of the portal, against synthetic data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kccperf_bench \
        python manage.py generate_synthetic --scale 10 --reset
    DATABASE_URL=... python bench/benchmark.py [--iterations 30] [--only kpis]

One process, one run, Django's test client signed in; prints for each page the median time in
ms, its ratio to a trivial signed-in view, and the number of SQL queries. Not a test: the
figures go in the notes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kccperf.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main() -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils.module_loading import import_string

    from kccperf.models import User

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--only", default="", help="Only pages whose label contains this")
    options = parser.parse_args()

    pages: list[tuple[str, str, str]] = [
        ("trivial signed-in view", "/bench/trivial/", "analyst"),
        ("home (council overview)", "/", "analyst"),
    ]
    for config in apps.get_app_configs():
        path = getattr(config, "bench_pages", None)
        if path:
            pages.extend(import_string(path)())

    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            client = Client()
            client.force_login(User.objects.get(username=username))
            clients[username] = client
        return clients[username]

    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    results = []
    with override_settings(
        ROOT_URLCONF="bench.urls", DEBUG=False, STORAGES={**settings.STORAGES, **static}
    ):
        for label, url, username in pages:
            if options.only and options.only not in label and label != "trivial signed-in view":
                continue
            client = client_for(username)
            response = client.get(url)  # warm up: connection, templates, caches
            if response.status_code != 200:
                results.append((label, url, None, None, f"HTTP {response.status_code}"))
                continue
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            # Counted now: the next request resets the connection's query log.
            query_count = len(queries)
            times = []
            for _ in range(options.iterations):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            results.append((label, url, statistics.median(times), query_count, ""))

    trivial = results[0][2] or 1.0
    print(f"{'page':<48} {'median ms':>10} {'× trivial':>10} {'queries':>8}")
    for label, url, median, queries, note in results:
        if median is None:
            print(f"{label:<48} {note:>10}   {url}")
            continue
        print(f"{label:<48} {median:>10.1f} {median / trivial:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
