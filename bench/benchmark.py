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
import functools
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
    parser.add_argument(
        "--uploads-only", action="store_true", help="Only the hostile uploads' refusal times"
    )
    options = parser.parse_args()
    if options.uploads_only:
        hostile_uploads()
        return

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
    print()
    hostile_uploads()


def _rss_growth_mb(action) -> str:
    """How many MB the process's peak resident memory rose above its resident memory before
    ``action`` (Linux: /proc/self/clear_refs resets the peak); "n/a" elsewhere."""
    from pathlib import Path

    status, clear = Path("/proc/self/status"), Path("/proc/self/clear_refs")

    def field(name: str) -> int:
        for line in status.read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])  # kB
        raise KeyError(name)

    try:
        clear.write_text("5")
        before = field("VmRSS")
    except (OSError, KeyError):
        return "n/a"
    action()
    return f"{(field('VmHWM') - before) / 1024:.1f}"


def hostile_uploads() -> None:
    """Each hostile file uploaded to the KPI results page as an analyst: the answer, the time
    to refuse it (median of 5), the peak Python memory while refusing it (tracemalloc,
    measured in a separate run because tracing slows Python down) and how far the process's
    resident memory rose above what it held before (the kernel's peak RSS, reset before the
    upload, so C allocations such as the XML parser's count too)."""
    import html
    import re
    import tracemalloc

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from bench.hostile_files import two_sheet_workbook, utf16_csv, xlsx_bomb
    from kccperf.models import User

    analyst = (
        User.objects.filter(groups__name="Analyst").first()
        or User.objects.filter(is_superuser=True).first()
    )
    if analyst is None:
        print("hostile uploads: no analyst or superuser to upload as")
        return
    client = Client()
    client.force_login(analyst)
    url = reverse("kpis:import-results")
    files = [
        ("zip bomb (.xlsx, 135 MB of XML)", xlsx_bomb(135), "bomb.xlsx"),
        ("bomb within the size limit (.xlsx, 30 MB)", xlsx_bomb(30), "bomb30.xlsx"),
        ("workbook with data on 2 sheets", two_sheet_workbook(), "two-sheets.xlsx"),
        ("UTF-16 CSV (read, then checked)", utf16_csv(), "utf16.csv"),
        ("UTF-16 CSV without its BOM", utf16_csv().removeprefix(b"\xff\xfe"), "nobom.csv"),
    ]

    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # each refusal is a 422

    def post(content: bytes, name: str):
        return client.post(url, {"file": SimpleUploadedFile(name, content)})

    print(
        f"{'hostile upload':<44} {'size KB':>8} {'HTTP':>5} {'median ms':>10} {'peak MB':>8}"
        f" {'RSS +MB':>8}  answer"
    )
    with override_settings(DEBUG=False):
        for label, content, name in files:
            response = post(content, name)
            times = []
            for _ in range(5):
                start = time.perf_counter()
                post(content, name)
                times.append((time.perf_counter() - start) * 1000)
            tracemalloc.start()
            post(content, name)
            peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            tracemalloc.stop()
            rss = _rss_growth_mb(functools.partial(post, content, name))
            found = re.search(r'<ul class="import-errors">\s*<li>(.*?)</li>', response.text, re.S)
            answer = html.unescape(found.group(1)) if found else "accepted for preview"
            print(
                f"{label:<44} {len(content) / 1024:>8.0f} {response.status_code:>5} "
                f"{statistics.median(times):>10.1f} {peak:>8.1f} {rss:>8}  {answer[:90]}"
            )


if __name__ == "__main__":
    main()
