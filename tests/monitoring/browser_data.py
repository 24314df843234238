"""Make sure the rows data migrations create (roles, permissions, managed lists) exist in
browser tests.

Browser tests run on ``transactional_db``, which empties every table afterwards; serialized
rollback should restore those rows, but Django keeps the serialized copy on the connection
object that created the test database, and once Playwright's event loop runs in the thread
``connections["default"]`` resolves to another object without it (seen when a non-browser
test created the database first). Re-running the data migrations' code restores the rows.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython


def ensure_migration_data() -> None:
    if Group.objects.exists():
        return
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    ContentType.objects.clear_cache()
    loader = MigrationLoader(connection)
    plan = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in plan:
                plan.append(key)
    with connection.schema_editor() as editor:
        for key in plan:
            for operation in loader.graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, editor)
