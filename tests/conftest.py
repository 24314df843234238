import os
import shutil
from pathlib import Path

import pytest

from kccperf import lookups, page_cache
from kccperf.output import pdf
from tests.factories import make_cast

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_collection_modifyitems(items):
    # Browser tests run against live_server, which truncates every table afterwards, including
    # the rows data migrations made (roles, managed lists): serialized rollback restores them.
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    # pytest-django runs the browser tests (transactional, a minute or so each) last; with
    # xdist's default "load" scheduling they all sat in one worker's queue while the other
    # stood idle. Work stealing hands half a busy worker's queue to an idle one.
    from xdist.scheduler import WorkStealingScheduling

    return WorkStealingScheduling(config, log)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Manifest storage needs collectstatic and live_server cannot serve hashed names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cold_lookups():
    """Each test starts with nothing kept in memory (kccperf.lookups), so its query counts do
    not depend on the tests that ran before it in the same process."""
    lookups.clear()
    page_cache.clear()


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def alice(cast):
    return cast["alice"]


@pytest.fixture
def bob(cast):
    return cast["bob"]


@pytest.fixture
def carol(cast):
    return cast["carol"]


@pytest.fixture
def dan(cast):
    return cast["dan"]


@pytest.fixture
def erin(cast):
    return cast["erin"]


# Browser tests ---------------------------------------------------------------------------

# The flags the portal's own Chromium runs with (the PDFs), and no QUIC for the test server.
CHROMIUM_ARGS = [*pdf.CHROMIUM_ARGS, "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if not executable:
        pytest.skip("chromium is not installed: run `apt-get install -y chromium` (Debian)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Make serialized rollback work in every context, not only the one that built the DB.

    Browser tests run against live_server, whose flush afterwards removes the rows data
    migrations made (roles, managed lists); serialized rollback restores them from
    ``connection._test_serialized_contents``. ``django.db.connections`` is context-local and
    Playwright's sync API switches greenlets, so a test can see another connection wrapper
    without that copy. Putting it on the wrapper class gives every context the same copy;
    when this runs in a context without one, serialize again (nothing is committed yet).
    """
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    type(connection)._test_serialized_contents = contents


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Data of the data migrations after a transactional test ----------------------------------
#
# A transactional test (threads that need committed rows, browser tests) ends with a flush,
# which also removes what the data migrations made (roles, managed lists); the next
# serialized-rollback test restores it, but with xdist work stealing a plain database test can
# run after one and find no roles. So the first database test after a transactional one
# restores the migrations' data first.

_after_flush = {"pending": False}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _uses_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool({"db", "cast"} & names)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if not _after_flush["pending"] or _is_transactional(item) or not _uses_database(item):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    connection = connections["default"]
    contents = getattr(type(connection), "_test_serialized_contents", None)
    if contents:
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)
    _after_flush["pending"] = False


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    if _is_transactional(item):
        _after_flush["pending"] = True
