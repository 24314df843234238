"""Charts as pictures drawn on the server: plotly's own static export (Kaleido 1.x driving
Debian's Chromium) of the **same figure dicts** the pages embed, as SVG (print, PDF) or PNG
(Word), cached under a hash of the figure and the size.

API (stable; the print/PDF and Word outputs call these):

- ``render_charts(figures, fmt="svg"|"png", width_mm=170, height_px=None, scale=1)``
  -> ``list[ChartImage | None]``: one entry per figure, in order, ``None`` where no picture
  could be made (no renderer, or that figure failed): the caller then shows the chart's data
  table. ``figures`` are plotly JSON dicts (``chart_context(...)["figure_json"]``) or
  ``go.Figure`` objects. One batch renders in parallel tabs of one browser.
- ``render_chart(figure, ...)`` -> ``ChartImage | None``: the same for one figure.
- ``available()`` -> bool: whether a renderer could be started (starts it if needed).
- ``ChartImage``: ``data`` (bytes), ``fmt``, ``width``/``height`` (CSS px of the drawing),
  ``width_mm``/``height_mm`` (its printed size) and ``data_uri()``, the image as a
  ``data:`` URI for ``<img src>`` (CSP allows ``img-src data:``; an SVG in an ``<img>`` is
  inert: no scripts, no live links).

One browser per process, started on first use (about 4 s) and kept: a background thread runs
its event loop, request threads hand it batches. After a fork (gunicorn) the child starts its
own. A browser that cannot start is retried after ``RETRY_SECONDS``; meanwhile every call
returns ``None`` at once and logs one warning.

Speed: Kaleido reloads its page (and plotly.js, 4.8 MB) after every figure; here a tab is
reloaded only every ``RELOAD_EVERY`` figures, which makes a batch about 9 × faster with
byte-identical output (measured: 40 figures in 1.0 s instead of 9.2 s on 2 cores).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import hashlib
import io
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

Format = Literal["svg", "png"]
# The text width of an A4 page with 20 mm margins (printed pages, PDF). The Word files have
# 2.54 cm margins and pass their own (159.2 mm).
A4_TEXT_WIDTH_MM = 170.0
PX_PER_MM = 96 / 25.4  # CSS pixels
DEFAULT_HEIGHT_PX = 320
CACHE_ALIAS = "shared"  # the database's cache table (or Redis): every worker shares it
CACHE_TIMEOUT = 365 * 24 * 3600  # keys are content hashes: the timeout only frees space
RETRY_SECONDS = 300.0
START_TIMEOUT = 60.0
FIGURE_TIMEOUT = 60.0
RELOAD_EVERY = 200
TABS = 2


@dataclass(frozen=True)
class ChartImage:
    data: bytes
    fmt: Format
    width: int
    height: int

    @property
    def width_mm(self) -> float:
        return self.width / PX_PER_MM

    @property
    def height_mm(self) -> float:
        return self.height / PX_PER_MM

    @property
    def content_type(self) -> str:
        return "image/svg+xml" if self.fmt == "svg" else "image/png"

    def data_uri(self) -> str:
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def _figure_dict(figure: Any) -> dict:
    if hasattr(figure, "to_plotly_json"):
        figure = figure.to_plotly_json()
    # The page's config (static plot, no mode bar) means nothing to a picture.
    return {"data": figure.get("data", []), "layout": figure.get("layout") or {}}


def _versions() -> str:
    parts = []
    for package in ("kaleido", "plotly"):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=-")
    return ",".join(parts)


_VERSIONS = _versions() + ",png=palette256"


def _cache_key(figure: dict, fmt: str, width: int, height: int, scale: float) -> str:
    encoded = json.dumps(figure, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(
        f"{_VERSIONS}\x1f{fmt}\x1f{width}x{height}@{scale}\x1f{encoded}".encode()
    ).hexdigest()
    return f"chart-image:{digest}"


def _small_png(data: bytes) -> bytes:
    """The PNG with a palette of 256 colours: a chart has a few flat colours and their
    anti-aliasing, so it looks the same at a fifth of the size (76 KB -> 15 KB for a KPI chart
    at 2 × scale; 40 ms)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        palette.save(out, "PNG")
    return out.getvalue()


def browser_path() -> str | None:
    """The Chromium to drive: ``KCCPERF_CHART_BROWSER`` (settings), else the first of
    chromium, chromium-browser, google-chrome on PATH."""
    configured = getattr(settings, "KCCPERF_CHART_BROWSER", "")
    if configured:
        return configured if os.path.isfile(configured) else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _Renderer:
    """One Kaleido (one headless Chromium with ``TABS`` tabs) on a background event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None
        self._failed_at: float | None = None

    def _start(self) -> bool:
        path = browser_path()
        if path is None:
            raise RuntimeError("no Chromium found (set KCCPERF_CHART_BROWSER or install chromium)")
        # Imported here: a broken install then only turns charts into tables.
        import kaleido

        class _Kaleido(kaleido.Kaleido):
            # Kaleido reloads the page after every figure; reloading every RELOAD_EVERY
            # figures bounds the page's memory and is ~9 × faster (same bytes out).
            async def _return_kaleido_tab(self, tab: Any) -> None:
                tab.renders = getattr(tab, "renders", 0) + 1
                if tab.renders % RELOAD_EVERY == 0:
                    await tab.reload()
                await self.tabs_ready.put(tab)

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kccperf-chart-images", daemon=True)
        thread.start()
        engine = _Kaleido(n=TABS, path=path, mathjax=False, timeout=FIGURE_TIMEOUT)
        try:
            asyncio.run_coroutine_threadsafe(engine.open(), loop).result(START_TIMEOUT)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            raise
        self._loop, self._kaleido = loop, engine
        return True

    def ensure(self) -> bool:
        with self._lock:
            if self._pid != os.getpid():  # first use, or a forked worker: start afresh
                self._pid, self._loop, self._kaleido, self._failed_at = (
                    os.getpid(),
                    None,
                    None,
                    None,
                )
            if self._kaleido is not None:
                return True
            if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_SECONDS:
                return False
            if not getattr(settings, "KCCPERF_CHART_IMAGES", True):
                return False
            try:
                return self._start()
            except Exception as error:
                self._failed_at = time.monotonic()
                logger.warning(
                    "Charts are shown as tables: no static chart renderer (%s: %s)",
                    type(error).__name__,
                    error,
                )
                return False

    def close(self) -> None:
        with self._lock:
            loop, engine = self._loop, self._kaleido
            self._loop = self._kaleido = None
            if loop is None or engine is None or self._pid != os.getpid():
                return
            try:
                asyncio.run_coroutine_threadsafe(engine.close(), loop).result(10)
            except Exception:  # closing a browser that already died
                logger.debug("chart renderer close failed", exc_info=True)
            loop.call_soon_threadsafe(loop.stop)

    def render(self, jobs: Sequence[tuple[dict, dict]]) -> list[bytes | None]:
        """(figure, options) pairs -> bytes or None, in order."""
        if not jobs or not self.ensure():
            return [None] * len(jobs)
        loop, engine = self._loop, self._kaleido
        assert loop is not None and engine is not None

        async def batch() -> list[Any]:
            return await asyncio.gather(
                *(engine.calc_fig(figure, options) for figure, options in jobs),
                return_exceptions=True,
            )

        try:
            results = asyncio.run_coroutine_threadsafe(batch(), loop).result(
                START_TIMEOUT + FIGURE_TIMEOUT * len(jobs) / TABS
            )
        except Exception as error:
            logger.warning("Chart rendering failed (%s); restarting the renderer", error)
            self.close()
            return [None] * len(jobs)
        failures = [r for r in results if not isinstance(r, bytes)]
        if failures:
            logger.warning(
                "%d of %d charts could not be drawn (first: %r); shown as tables",
                len(failures),
                len(results),
                failures[0],
            )
            if len(failures) == len(results):
                self.close()  # the browser may have died: start a new one next time
        return [r if isinstance(r, bytes) else None for r in results]


_renderer = _Renderer()
atexit.register(_renderer.close)


def available() -> bool:
    """Whether charts can be drawn as pictures in this process (starts the browser)."""
    return _renderer.ensure()


def render_charts(
    figures: Sequence[Any],
    fmt: Format = "svg",
    *,
    width_mm: float = A4_TEXT_WIDTH_MM,
    height_px: int | None = None,
    scale: float = 1,
) -> list[ChartImage | None]:
    """Each figure as a picture ``width_mm`` wide (its own layout height unless
    ``height_px``), or None where it could not be drawn (show its table instead). PNGs are
    drawn ``scale`` times denser (2 for print-quality Word files). From the cache where the
    same figure was drawn at the same size before; the rest in one batch."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"fmt must be 'svg' or 'png', not {fmt!r}")
    width = round(width_mm * PX_PER_MM)
    specs = []
    for figure in figures:
        fig = _figure_dict(figure)
        height = int(height_px or fig["layout"].get("height") or DEFAULT_HEIGHT_PX)
        specs.append((fig, height, _cache_key(fig, fmt, width, height, scale)))
    cache = caches[CACHE_ALIAS]
    found: dict[str, bytes] = cache.get_many({key for _, _, key in specs})
    missing: dict[str, tuple[dict, dict]] = {}
    for fig, height, key in specs:
        if key not in found and key not in missing:
            options = {"format": fmt, "width": width, "height": height, "scale": scale}
            missing[key] = (fig, options)
    if missing:
        keys = list(missing)
        drawn = _renderer.render([missing[k] for k in keys])
        new = {
            k: _small_png(data) if fmt == "png" else data
            for k, data in zip(keys, drawn, strict=True)
            if data is not None
        }
        if new:
            cache.set_many(new, timeout=CACHE_TIMEOUT)
            found.update(new)
    return [
        ChartImage(found[key], fmt, width, height) if key in found else None
        for _, height, key in specs
    ]


def render_chart(figure: Any, fmt: Format = "svg", **options: Any) -> ChartImage | None:
    """One figure as a picture (see ``render_charts``), or None."""
    return render_charts([figure], fmt, **options)[0]
