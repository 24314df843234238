"""The embedded PostgreSQL: shared, persistent, and robust to a process killed hard."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ATTACH = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kccperf.settings")
import django
django.setup()
from django.db import connection
with connection.cursor() as c:
    c.execute(sys.argv[1])
    print(c.fetchone()[0] if c.description else "ok", flush=True)
if len(sys.argv) > 2:
    time.sleep(float(sys.argv[2]))
"""


def _env(data_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XDG_RUNTIME_DIR")}
    env["KCCPERF_DATA_DIR"] = data_dir
    return env


def _postgres_running(data_dir: str) -> bool:
    result = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True)
    return any(
        f"{data_dir}/pg" in line and "postgres" in line for line in result.stdout.splitlines()
    )


@pytest.fixture
def data_dir():
    # Short path: the unix socket must fit in 107 bytes.
    with tempfile.TemporaryDirectory(prefix="kcc-", dir="/tmp") as path:
        yield path
        subprocess.run(
            [sys.executable, "manage.py", "dbserver", "stop"], cwd=ROOT, env=_env(path), check=False
        )


def _run(data_dir: str, sql: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", ATTACH, sql],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _attached_process(data_dir: str) -> subprocess.Popen:
    """A process attached to the embedded server that prints 1 and then waits a minute."""
    return subprocess.Popen(
        [sys.executable, "-c", ATTACH, "SELECT 1", "60"],
        cwd=ROOT,
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        text=True,
    )


def test_data_survives_a_restart_and_the_last_process_stops_the_server(data_dir):
    _run(data_dir, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42); SELECT 1")
    assert not _postgres_running(data_dir)
    assert _run(data_dir, "SELECT n FROM kept") == "42"


def test_a_process_killed_hard_does_not_keep_the_server_alive(data_dir):
    victim = _attached_process(data_dir)
    assert victim.stdout.readline().strip() == "1"
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    # The next process prunes the dead pid, and as the last one out, stops the server.
    assert _run(data_dir, "SELECT 2") == "2"
    deadline = time.monotonic() + 10
    while _postgres_running(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _postgres_running(data_dir)


def test_sigterm_detaches_the_process(data_dir):
    holder = _attached_process(data_dir)
    assert holder.stdout.readline().strip() == "1"
    holder.send_signal(signal.SIGTERM)
    holder.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _postgres_running(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _postgres_running(data_dir)


def _manage(data_dir: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_commands_without_a_database_start_no_server_and_one_with_it_does(data_dir):
    fresh = f"{data_dir}/data"
    _manage(fresh, "check")
    _manage(fresh, "makemigrations", "--check", "--dry-run")
    assert "Embedded PostgreSQL: not running" in _manage(fresh, "dbserver", "status").stdout
    # Nothing was written: no data folder, so no initdb and no postmaster.pid.
    assert not Path(fresh).exists()
    assert not _postgres_running(fresh)

    shown = _manage(fresh, "showmigrations", "kccperf").stdout
    assert "0001_initial" in shown
    assert (Path(fresh) / "pg" / "PG_VERSION").exists()
    assert not (Path(fresh) / "pg" / "postmaster.pid").exists()  # the last one out stopped it
    _manage(fresh, "dbserver", "stop")


def test_dbserver_status_reports_a_running_server_without_attaching(data_dir):
    holder = _attached_process(data_dir)
    try:
        assert holder.stdout.readline().strip() == "1"
        status = _manage(data_dir, "dbserver", "status").stdout
        assert "Embedded PostgreSQL: running" in status
        assert f"{data_dir}/pg" in status
        assert f"Processes attached: [{holder.pid}]" in status
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait(timeout=30)
