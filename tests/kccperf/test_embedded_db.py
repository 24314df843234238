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
    # Not inherited: importing bench/benchmark.py (its test) sets ALLOWED_HOSTS=testserver.
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
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


def test_dbserver_status_after_stop_says_stopped(data_dir):
    holder = _attached_process(data_dir)
    try:
        assert holder.stdout.readline().strip() == "1"
        assert "Embedded PostgreSQL: running" in _manage(data_dir, "dbserver", "status").stdout
        assert "stopped" in _manage(data_dir, "dbserver", "stop").stdout
        status = _manage(data_dir, "dbserver", "status").stdout
        assert "Embedded PostgreSQL: not running" in status
        assert not _postgres_running(data_dir)
        # Asking again starts nothing either: status is read-only.
        assert "not running" in _manage(data_dir, "dbserver", "status").stdout
        assert not _postgres_running(data_dir)
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health(url: str) -> int | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _wait_healthy(url: str, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if _health(url) == 200:
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{url} not healthy after {seconds} s")


def test_the_portal_restarts_a_killed_embedded_postgres_by_itself(data_dir):
    port = _free_port()
    log = Path(data_dir) / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=_env(data_dir),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        try:
            _wait_healthy(url, 180)  # the first start runs initdb; the machine may be busy
        except AssertionError as exc:
            raise AssertionError(f"{exc}; server log:\n{log.read_text()[-3000:]}") from None
        pid_file = Path(data_dir) / "pg" / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0])
        os.kill(postmaster, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _postgres_running(data_dir) and time.monotonic() < deadline:
            time.sleep(0.1)  # the backends notice their postmaster died and exit
        took = _wait_healthy(url, 15)
        assert took < 15
        assert int(pid_file.read_text().split()[0]) != postmaster
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    output = log.read_text()
    assert "is not running: restarting it" in output
    assert "Embedded PostgreSQL restarted (pid" in output
