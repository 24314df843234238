import pytest

from kccperf import demo as organisation_demo
from kpis import demo
from tests.factories import PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Make serialized rollback work in every context, not only the one that built the DB.

    ``django.db.connections`` is context-local; once Playwright's sync API has started, test
    code sees other connection wrappers, which lack ``_test_serialized_contents``. Then a
    browser test's flush is not followed by the restore of the rows data migrations made
    (roles lose their permissions), or the restore runs after a flush that re-created the
    content types (IntegrityError). Putting the serialized contents on the wrapper class
    gives every context the same view; when this runs in a context without them (Playwright
    already started), serialize again: no test has committed anything yet. (Reported to the
    lead for tests/conftest.py.)
    """
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    type(connection)._test_serialized_contents = contents


@pytest.fixture
def demo_data(db):
    """The organisation and the seed QPR's KPI data (fixtures/kpis_demo.json)."""
    organisation_demo.load(PASSWORD)
    demo.load(PASSWORD)


@pytest.fixture
def analyst_client(client, dan):
    client.force_login(dan)
    return client


@pytest.fixture
def cmt_client(client, carol):
    client.force_login(carol)
    return client


def restore_data_migrations() -> None:
    """Re-create the rows data migrations made (roles and their permissions, managed lists)
    when a flush has removed them.

    Browser tests flush the database afterwards and rely on serialized rollback to restore
    those rows. When the test database was set up before Playwright started (a ``db`` test
    ran first), ``connection._test_serialized_contents`` lives on the connection of another
    context (``django.db.connections`` is context-local and Playwright's sync API switches
    greenlets), so nothing is restored and every role loses its permissions. Until the shared
    conftest handles it, re-run the data migrations' RunPython steps on the migrated state.
    """
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    if Group.objects.exists():
        return
    loader = MigrationLoader(connection)
    state_apps = loader.project_state().apps
    plan = []
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            if key not in plan:
                plan.append(key)
    with connection.schema_editor() as schema_editor:
        for key in plan:
            for operation in loader.graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(state_apps, schema_editor)
