"""Django's PostgreSQL backend, plus: start (or attach to) the embedded server on the first
connection instead of when the settings load, so commands without a database start nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.backends.postgresql import base, client

from kccperf import db


class DatabaseClient(client.DatabaseClient):
    def runshell(self, parameters: Iterable[str]) -> None:
        db.attach(self.connection.settings_dict)  # dbshell needs the socket folder
        super().runshell(parameters)


class DatabaseWrapper(base.DatabaseWrapper):
    client_class = DatabaseClient

    def get_connection_params(self) -> dict[str, Any]:
        db.attach(self.settings_dict)
        return super().get_connection_params()
