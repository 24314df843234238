import pytest
import time_machine

from tests.monitoring.factories import make_activity, make_window

# Inside the Q2 2019/20 window (30 Aug - 13 Sep 2019).
IN_WINDOW = "2019-09-05 10:00:00+01:00"
AFTER_WINDOW = "2019-10-01 10:00:00+01:00"


@pytest.fixture
def in_window():
    with time_machine.travel(IN_WINDOW, tick=True):
        yield


@pytest.fixture
def after_window():
    with time_machine.travel(AFTER_WINDOW, tick=True):
        yield


@pytest.fixture
def window(db):
    return make_window()


@pytest.fixture
def activity(alice, window):
    """Alice's activity (bob has nothing to do with it)."""
    return make_activity(lead_officer=alice)


ROLE_MIGRATIONS = [
    ("kccperf", "0002_roles", "create_roles"),
    ("monitoring", "0002_roles_and_lists", "forward"),
    ("monitoring", "0003_analyst_admin_permissions", "forward"),
]


@pytest.fixture
def roles_restored(transactional_db):
    """Roles, grants and managed lists, as the data migrations made them.

    live_server tests flush every table afterwards. Serialized rollback should restore these
    rows, but under Playwright the test runs on a different connection object that lacks
    the serialized copy, so a browser test that follows another one finds no roles. Running
    the data migrations' functions again (on the migration state's apps) restores them.
    """
    import importlib

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if Group.objects.filter(name="Lead officer", permissions__codename="submit_return").exists():
        return
    state_apps = MigrationLoader(connection).project_state().apps
    for app, name, function in ROLE_MIGRATIONS:
        module = importlib.import_module(f"{app}.migrations.{name}")
        getattr(module, function)(state_apps, None)


@pytest.fixture(autouse=True)
def _migrated_rows_for_browser_tests(request):
    """Overrides the root conftest's fixture of the same name for this app's tests.

    After a live_server flush that re-ran post_migrate, content types and permissions exist
    again (with new ids) while the roles do not; restoring the serialized copy on top then
    fails on duplicate content types. Remove those first, then restore the copy.
    """
    if "page" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from tests.conftest import _SERIALIZED

    if Group.objects.exists() or not _SERIALIZED.get("default"):
        return
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(_SERIALIZED["default"])
