"""Django's makemigrations, without starting the embedded PostgreSQL.

Django checks the migration history of the database before writing migrations. With the
embedded server stopped (e.g. ``makemigrations --check`` in CI), there is no history being
written to check, so the command runs on the code alone instead of starting the server; a
running server is still checked.
"""

import warnings
from typing import Any

from django.core.management.commands import makemigrations

from kccperf import db


class Command(makemigrations.Command):
    def handle(self, *app_labels: Any, **options: Any) -> None:
        with db.without_starting(), warnings.catch_warnings():
            # Django turns the refused connection into this warning and goes on.
            warnings.filterwarnings(
                "ignore",
                message="Got an error checking a consistent migration history .*: the embedded",
                category=RuntimeWarning,
            )
            super().handle(*app_labels, **options)
