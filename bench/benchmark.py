"""Server time, size and throughput of every page of the portal, on the demo or synthetic data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kccperf_bench \
        python manage.py generate_synthetic --scale 10 --reset
    DATABASE_URL=... python bench/benchmark.py [--iterations 20] [--only dashboard]
        [--load] [--browser] [--word] [--json out.json]
    DATABASE_URL=... python bench/benchmark.py --scale 1,10,50   # growth mode

One process, Django's test client signed in. For each page: the trivial signed-in view and
the page are requested in turn (interleaved, so a busy machine weighs on both alike); the
page's median and p95 in ms, its median over the trivial view's median measured alongside,
its SQL queries, and its HTML bytes raw and gzipped; "first ms" is the first request after the
figure cache was emptied (what the first reader after a write waits). ``--load`` then runs a
bounded HTTP load (wrk if installed, else a small threaded client) against gunicorn (2 workers,
--preload) on the outcome dashboard, the KPI scorecard and the trivial view: req/s, p99 and
errors. ``--browser`` times the QPR page in Chromium (first chart drawn, load event).
``--word`` times the QPR Word file: the chart renderer's start, the file with every chart
drawn (cold: the pictures' cache emptied) and from the cache (warm), draft and published.
``--pdf`` times the QPR's PDF download (Chromium's print-to-PDF, kccperf/output/pdf.py): the
live draft (made every time), the published version made (cache emptied) and served from
the cache; with its pages and MB.
``--scale 1,10,50`` regenerates the synthetic data at each scale (DROPs the database's schema:
use a database of its own) and prints each page's median per scale and the growth;
``--growth-from 10=a.json,50=b.json`` prints the same table from runs made with ``--json``
(e.g. on two databases kept at 10× and 50×).
Not a test: the figures go in the README.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kccperf.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

LOAD_PORT = int(os.environ.get("KCCPERF_BENCH_PORT", "8123"))


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument(
        "--only", default="", help="Only pages whose label contains this (comma-separated)"
    )
    parser.add_argument(
        "--skip", default="", help="Leave out pages whose label contains this (comma-separated)"
    )
    parser.add_argument(
        "--uploads-only", action="store_true", help="Only the hostile uploads' refusal times"
    )
    parser.add_argument("--no-uploads", action="store_true", help="Skip the hostile uploads")
    parser.add_argument("--load", action="store_true", help="HTTP load against gunicorn")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--browser", action="store_true", help="QPR first screen in Chromium")
    parser.add_argument(
        "--word", action="store_true", help="QPR Word file: charts drawn (cold) and cached"
    )
    parser.add_argument("--word-only", action="store_true", help="Only the Word file timing")
    parser.add_argument("--pdf", action="store_true", help="The QPR's PDF download")
    parser.add_argument("--json", default="", help="Also write the results to this file")
    parser.add_argument("--scale", default="", help="Growth mode, e.g. 1,10,50")
    parser.add_argument(
        "--growth-from",
        default="",
        help="The growth table from earlier --json runs, e.g. 10=bench10.json,50=bench50.json",
    )
    options = parser.parse_args()
    if options.scale:
        growth(options)
        return
    if options.growth_from:
        runs = {}
        for item in options.growth_from.split(","):
            scale, _, path = item.partition("=")
            pages = json.loads(Path(path).read_text())["pages"]
            runs[scale.strip()] = {r["page"]: r for r in pages}
        print_growth(runs)
        return
    import django

    django.setup()
    if options.uploads_only:
        hostile_uploads()
        return
    print(f"machine: {machine()}")
    if options.word_only:
        word_timing(options)
        return
    results = pages_table(options)
    load = load_table(options) if options.load else []
    browser = browser_timing(options) if options.browser else {}
    word = word_timing(options) if options.word else []
    pdf = pdf_timing() if options.pdf else []
    if options.json:
        Path(options.json).write_text(
            json.dumps(
                {"pages": results, "load": load, "browser": browser, "word": word, "pdf": pdf},
                indent=1,
            )
        )
    if not options.no_uploads:
        print()
        hostile_uploads()


def machine() -> str:
    cpus = os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return f"{cpus} CPUs ({model}), load average {load}, {stamp}"


def bench_pages() -> list[tuple[str, str, str]]:
    from django.apps import apps
    from django.utils.module_loading import import_string

    from kccperf.models import User

    cmt = User.objects.filter(groups__name="CMT").order_by("username").first()
    pages: list[tuple[str, str, str]] = [
        ("trivial signed-in view", "/bench/trivial/", "analyst"),
        ("home (analyst)", "/", "analyst"),
    ]
    if cmt is not None:
        pages.append(("home (cmt)", "/", cmt.username))
    for config in apps.get_app_configs():
        path = getattr(config, "bench_pages", None)
        if path:
            pages.extend(import_string(path)())
    return pages


def pages_table(options) -> list[dict]:
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from kccperf.models import User

    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            client = Client()
            client.force_login(User.objects.get(username=username))
            clients[username] = client
        return clients[username]

    def timed(client: Client, url: str) -> float:
        start = time.perf_counter()
        client.get(url)
        return (time.perf_counter() - start) * 1000

    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    results: list[dict] = []
    with override_settings(
        ROOT_URLCONF="bench.urls", DEBUG=False, STORAGES={**settings.STORAGES, **static}
    ):
        pages = bench_pages()
        trivial_client = client_for("analyst")
        trivial_client.get("/bench/trivial/")
        for label, url, username in pages[1:]:
            wanted = [w.strip().lower() for w in options.only.split(",") if w.strip()]
            if wanted and not any(w in label.lower() for w in wanted):
                continue
            skipped = [w.strip().lower() for w in options.skip.split(",") if w.strip()]
            if any(w in label.lower() for w in skipped):
                continue
            client = client_for(username)
            caches["figures"].clear()
            start = time.perf_counter()
            response = client.get(url)  # the first reader: the figure cache empty
            first = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                results.append({"page": label, "url": url, "error": response.status_code})
                continue
            body = b"".join(response) if response.streaming else response.content
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            query_count = len(queries)
            times, trivial = [], []
            for _ in range(options.iterations):
                trivial.append(timed(trivial_client, "/bench/trivial/"))
                times.append(timed(client, url))
            median, base = statistics.median(times), statistics.median(trivial)
            is_html = response.get("Content-Type", "").startswith("text/html")
            results.append(
                {
                    "page": label,
                    "url": url,
                    "first_ms": round(first, 1),
                    "median_ms": round(median, 1),
                    "p95_ms": round(_percentile(times, 95), 1),
                    "trivial_ms": round(base, 2),
                    "ratio": round(median / base, 1),
                    "queries": query_count,
                    "kb": round(len(body) / 1024, 1),
                    "gzip_kb": round(len(gzip.compress(body, 6)) / 1024, 1),
                    "html": is_html,
                }
            )
    header = (
        f"{'page':<44} {'first ms':>9} {'median':>8} {'p95':>8} {'trivial':>8} "
        f"{'× triv':>7} {'queries':>7} {'KB':>8} {'gzip KB':>8}"
    )
    print(header)
    for r in results:
        if "error" in r:
            print(f"{r['page']:<44} HTTP {r['error']}  {r['url']}")
            continue
        print(
            f"{r['page']:<44} {r['first_ms']:>9.1f} {r['median_ms']:>8.1f} {r['p95_ms']:>8.1f} "
            f"{r['trivial_ms']:>8.2f} {r['ratio']:>7.1f} {r['queries']:>7} {r['kb']:>8.1f} "
            f"{r['gzip_kb']:>8.1f}"
        )
    return results


# The QPR Word file: charts drawn on the server -------------------------------------------


def word_timing(options) -> list[dict]:
    """The QPR .docx (draft, and the latest published version): the renderer's start, the
    first file with the pictures' cache empty (every chart drawn), then the median of
    ``min(iterations, 5)`` files from the cache."""
    import io
    import zipfile

    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client
    from django.test.utils import override_settings

    from kccperf import chart_images
    from kccperf.models import User
    from reports.models import Report

    report = Report.objects.filter(kind=Report.Kind.QPR).order_by("-period__start").first()
    if report is None:
        print("no QPR to time")
        return []
    url = f"/reports/qpr/{report.quarter.slug}/"
    latest = report.versions.order_by("-number").first()
    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    start = time.perf_counter()
    chart_images.available()
    startup = (time.perf_counter() - start) * 1000
    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    results = []
    cases = [("QPR .docx draft", f"{url}?draft=1&_export=docx")]
    if latest is not None:
        cases.append((f"QPR .docx v{latest.number}", f"{url}?version={latest.number}&_export=docx"))
    with override_settings(DEBUG=False, STORAGES={**settings.STORAGES, **static}):
        for label, case_url in cases:
            caches[chart_images.CACHE_ALIAS].clear()
            caches["default"].clear()  # the published file itself
            start = time.perf_counter()
            response = client.get(case_url)
            cold = (time.perf_counter() - start) * 1000
            document = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml")
            times = []
            for _ in range(min(options.iterations, 5)):
                caches["default"].clear()  # rebuild the file, the pictures from the cache
                start = time.perf_counter()
                client.get(case_url)
                times.append((time.perf_counter() - start) * 1000)
            results.append(
                {
                    "file": label,
                    "status": response.status_code,
                    "charts": document.count(b"<wp:inline"),
                    "kb": round(len(response.content) / 1024),
                    "cold_ms": round(cold),
                    "warm_ms": round(statistics.median(times)),
                }
            )
    print(f"\nchart renderer start (Chromium through Kaleido): {startup:.0f} ms")
    print(f"{'Word file':<24} {'charts':>7} {'KB':>7} {'cold ms':>9} {'warm ms':>9}")
    for r in results:
        print(f"{r['file']:<24} {r['charts']:>7} {r['kb']:>7} {r['cold_ms']:>9} {r['warm_ms']:>9}")
    return [{"renderer_start_ms": round(startup)}, *results]


# HTTP load against gunicorn --------------------------------------------------------------


def _session_cookie(username: str) -> str:
    from django.test import Client

    from kccperf.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


def _load_urls() -> list[tuple[str, str]]:
    from django.urls import reverse

    from kccperf.models import Outcome, ReportingPeriod

    period = ReportingPeriod.objects.order_by("-start").first()
    urls = [("trivial signed-in view", "/bench/trivial/")]
    if period is not None:
        outcome = Outcome.objects.order_by("number").first()
        if outcome is not None:
            kwargs = {"outcome": outcome.number, "period": period.quarter}
            urls.append(
                ("outcome dashboard", reverse("monitoring:outcome-dashboard", kwargs=kwargs))
            )
        urls.append(("KPI scorecard", reverse("kpis:scorecard", kwargs={"period": period.quarter})))
    return urls


def _start_gunicorn() -> tuple[subprocess.Popen, str]:
    """gunicorn with 2 workers and --preload on LOAD_PORT (the load settings), once it answers
    /healthz; returns the process (its own session: stop it with os.killpg) and its base URL."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        "kccperf.wsgi",
        "--preload",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{LOAD_PORT}",
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{LOAD_PORT}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except Exception:
            time.sleep(0.5)
    return server, base


def load_table(options) -> list[dict]:
    """gunicorn, 2 workers, --preload, on LOAD_PORT; each URL warmed once, then loaded."""
    server, base = _start_gunicorn()
    cookie = f"sessionid={_session_cookie('analyst')}"
    results: list[dict] = []
    try:
        tool = "wrk" if shutil.which("wrk") else "python threads"
        print()
        print(
            f"HTTP load: gunicorn 2 workers --preload, {options.connections} connections, "
            f"{options.load_seconds} s each, {tool}, Accept-Encoding: gzip; {machine()}"
        )
        print(f"{'page':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for label, path in _load_urls():
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})
            for _ in range(3):
                urllib.request.urlopen(request, timeout=60).read()  # warm: the figure cache
            if tool == "wrk":
                row = _wrk(base + path, cookie, options)
            else:
                row = _threaded_load(base + path, cookie, options)
            row["page"] = label
            results.append(row)
            print(
                f"{label:<28} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
                f"{row['errors']:>7}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def _ms(text: str) -> float:
    value = float(re.match(r"[\d.]+", text).group())  # type: ignore[union-attr]
    return value * {"us": 0.001, "ms": 1, "s": 1000}[re.sub(r"[\d.]+", "", text)]


def _wrk(url: str, cookie: str, options) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{options.connections}",
            f"-d{options.load_seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", output).group(1))  # type: ignore[union-attr]
    # The latency distribution's lines ("    50%  161.20ms"), not a "+/- Stdev" column ("68.50%").
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    found = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    errors += int(found.group(1)) if found else 0
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors += sum(int(x) for x in found.groups()) if found else 0
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def _threaded_load(url: str, cookie: str, options) -> dict:
    """A small load generator: ``connections`` threads, each one request after another."""
    deadline = time.perf_counter() + options.load_seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except Exception:
                ok = False
            with lock:
                times.append((time.perf_counter() - start) * 1000)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(options.connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": len(times) / elapsed,
        "p50_ms": _percentile(times, 50),
        "p99_ms": _percentile(times, 99),
        "errors": errors[0],
    }


# The QPR page in Chromium -------------------------------------------------------------------

# The browser's own timings of the last navigation, in seconds from its start: the server's
# first byte, the first contentful paint (the first screen), DOM ready.
NAVIGATION_TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const s = (ms) => Math.round(ms) / 1000;
  return {response_s: s(nav.responseStart), fcp_s: fcp ? s(fcp.startTime) : null,
          dom_s: s(nav.domContentLoadedEventEnd)};
}"""


def _seconds(value: float | None) -> str:
    """A browser timing, or what it is when Chromium did not report it (no paint entry)."""
    return "not reported" if value is None else f"{value:.2f} s"


def browser_timing(options) -> dict:
    """The QPR page (published, else draft) on gunicorn in Chromium, visited twice: the server's
    first byte, the first screen (first contentful paint), DOM ready and the load event; how
    many charts were drawn by then, and how soon one is drawn once scrolled to."""
    from django.urls import reverse

    from kccperf.models import ReportingPeriod

    chromium = shutil.which("chromium")
    period = ReportingPeriod.objects.order_by("-start").first()
    if chromium is None or period is None:
        print("browser: no chromium or no quarter")
        return {}
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    server, base = _start_gunicorn()
    qpr = base + reverse("reports:qpr", kwargs={"period": period.quarter})
    url = qpr + os.environ.get("KCCPERF_BENCH_QPR_QUERY", "")  # "?draft=1": the live draft
    result: dict = {}
    try:
        cookie = _session_cookie("analyst")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            page = context.new_page()
            page.goto(base + "/bench/trivial/")  # the static files: not what is timed
            visits = []
            for _ in range(2):  # first visit (each worker's cache cold), then again
                start = time.perf_counter()
                page.goto(url, wait_until="domcontentloaded", timeout=120000)
                page.wait_for_load_state("load", timeout=120000)
                loaded = time.perf_counter() - start
                visits.append({**page.evaluate(NAVIGATION_TIMING_JS), "load_s": round(loaded, 2)})
            charts = page.locator(".chart-plot").count()
            drawn = page.locator(".chart-plot[data-drawn]").count()
            scroll = 0.0
            if charts:  # the first chart scrolled to is drawn as it comes into view
                began = time.perf_counter()
                page.locator(".chart-plot").first.scroll_into_view_if_needed()
                page.wait_for_selector(".chart-plot[data-drawn]", state="attached")
                scroll = time.perf_counter() - began
            browser.close()
        result = {
            "visits": visits,
            "charts": charts,
            "drawn_at_load": drawn,
            "scrolled_chart_s": round(scroll, 2),
        }
        print()
        print(f"QPR {url.removeprefix(base)} in Chromium ({machine()}):")
        for name, visit in zip(("first visit", "second visit"), visits, strict=True):
            print(
                f"  {name}: server's first byte {_seconds(visit['response_s'])}, first screen "
                f"(first contentful paint) {_seconds(visit['fcp_s'])}, DOM ready "
                f"{_seconds(visit['dom_s'])}, load event {_seconds(visit['load_s'])}"
            )
        print(
            f"  {drawn} of {charts} charts drawn at the load event, the rest as they come into "
            f"view (the first, {scroll:.2f} s after scrolling to it)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return result


# The QPR's PDF ------------------------------------------------------------------------------


def pdf_timing() -> list[dict]:
    """The QPR's PDF (latest quarter): the draft, made from the live data every time; the
    published version made with the cache emptied, then served from the cache."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    from reports.models import ReportVersion

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    version = (
        ReportVersion.objects.filter(report__kind="qpr")
        .select_related("report__period")
        .order_by("-report__period__start", "-number")
        .first()
    )
    if version is None:
        print("pdf: no published QPR")
        return []
    qpr = reverse("reports:qpr", kwargs={"period": version.report.period.quarter})
    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    rows = []
    print()
    print(f"QPR PDF ({qpr}), Chromium print-to-PDF:")
    runs = [
        ("draft (made)", f"{qpr}?draft=1&_export=pdf", False),
        ("published, cache emptied (made)", f"{qpr}?version={version.number}&_export=pdf", True),
        ("published, from the cache", f"{qpr}?version={version.number}&_export=pdf", False),
    ]
    for label, url, clear in runs:
        if clear:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - start
        if response.status_code != 200:
            print(f"  {label}: HTTP {response.status_code}")
            continue
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
        mb = len(response.content) / 1e6
        rows.append({"label": label, "s": round(seconds, 2), "pages": pages, "mb": round(mb, 2)})
        print(f"  {label}: {seconds:.1f} s, {pages} pages, {mb:.1f} MB")
    return rows


# Growth mode ----------------------------------------------------------------------------------


def growth(options) -> None:
    """Regenerate the synthetic data at each scale, benchmark it, print medians per scale."""
    scales = [s.strip() for s in options.scale.split(",") if s.strip()]
    runs: dict[str, dict[str, dict]] = {}
    for scale in scales:
        print(f"== scale {scale}: generate_synthetic --scale {scale} --reset", flush=True)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "generate_synthetic",
                "--scale",
                scale,
                "--reset",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            check=True,
        )
        out = Path(f"/tmp/kccperf-bench-{scale}.json")
        command = [
            sys.executable,
            __file__,
            "--iterations",
            str(options.iterations),
            "--no-uploads",
            "--json",
            str(out),
        ]
        if options.only:
            command += ["--only", options.only]
        if options.skip:
            command += ["--skip", options.skip]
        if options.load:
            command += ["--load", "--load-seconds", str(options.load_seconds)]
        subprocess.run(command, cwd=ROOT, check=True)
        runs[scale] = {r["page"]: r for r in json.loads(out.read_text())["pages"]}
    print_growth(runs)


def print_growth(runs: dict[str, dict[str, dict]]) -> None:
    """Each page's median (× trivial) at each scale, and the last scale's over the one before."""
    scales = list(runs)
    print()
    print("growth: median ms at each scale (× trivial), and the last scale over the one before")
    print(f"{'page':<44}" + "".join(f"{'×' + s:>16}" for s in scales) + f"{'growth':>8}")
    for page in runs[scales[0]]:
        cells, medians = [], []
        for scale in scales:
            r = runs[scale].get(page, {})
            if "median_ms" in r:
                cells.append(f"{r['median_ms']:>8.1f} ({r['ratio']:>4.1f})")
                medians.append(r["median_ms"])
            else:
                cells.append(f"{'–':>16}")
        grow = f"{medians[-1] / medians[-2]:>8.2f}" if len(medians) >= 2 else f"{'':>8}"
        print(f"{page:<44}" + "".join(f"{c:>16}" for c in cells) + grow)


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
