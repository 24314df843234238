import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kccperf.db import parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_database_url_is_parsed_for_postgres():
    config = parse_database_url(
        "postgres://kcc:s%40cret@db.example:6543/kccperf?sslmode=require", 60
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "kcc",
        "s@cret",
        "db.example",
        "6543",
    )
    assert config["NAME"] == "kccperf"
    assert config["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off"}
    assert config["CONN_MAX_AGE"] == 60


def test_startup_options_in_the_url_are_kept_beside_jit_off():
    config = parse_database_url("postgres://h/kccperf?options=-c%20statement_timeout%3D5000", 0)
    assert config["OPTIONS"] == {"options": "-c statement_timeout=5000 -c jit=off"}


def test_the_portal_s_connections_run_without_the_jit_compiler(db):
    """At 50x the council's size PostgreSQL spent ~90 ms compiling a query that ran in 1 ms."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://x@y/z", "postgres://host/"])
def test_a_database_url_that_is_not_postgres_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url, 0)


def test_the_test_run_is_on_postgresql(settings):
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def _run_check(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for Playwright only
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_check({"KCCPERF_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_debug_on():
    result = _run_check(
        {"KCCPERF_ENV": "production", "SECRET_KEY": "k" * 60, "DEBUG": "true", "ALLOWED_HOSTS": "x"}
    )
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run_check(
        {
            "KCCPERF_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-" + "x7Gq2!" * 10,
            "ALLOWED_HOSTS": "perf.kent.gov.uk",
            "DEBUG": "false",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_web_server_s_loaded_objects_are_kept_out_of_the_garbage_collector(tmp_path):
    """kccperf.wsgi freezes what loading the portal made (gc.freeze): under gunicorn --preload
    the workers' full collections no longer walk it (a cached 10x dashboard served ~50% more
    requests a second)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://h/x"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", "import gc, kccperf.wsgi; print(gc.get_freeze_count())"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    ).stdout
    assert int(out.strip().splitlines()[-1]) > 10_000
