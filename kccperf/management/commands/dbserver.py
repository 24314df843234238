import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kccperf import db


class Command(BaseCommand):
    help = "Report the status of the embedded PostgreSQL server, or stop it (starts nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        database = settings.DATABASES["default"]
        if db.DATA_DIR_KEY not in database:
            self.stdout.write(
                f"Using the external database {database['NAME']!r} on "
                f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432} (DATABASE_URL); "
                "there is no embedded server to manage."
            )
            return
        root = Path(database[db.DATA_DIR_KEY])
        info = db.running_postmaster(root)
        if action == "status":
            self._status(root, info)
        elif info is None:
            self.stdout.write(f"Embedded PostgreSQL is not running (data folder {root / 'pg'}).")
        else:
            self._stop(root)

    def _status(self, root: Path, info: Any) -> None:
        if info is None:
            self.stdout.write("Embedded PostgreSQL: not running")
            self.stdout.write(f"Data folder: {root / 'pg'}")
            self.stdout.write(f"Database: {db.DATABASE_NAME}")
            return
        self.stdout.write(f"Embedded PostgreSQL: running (pid {info.pid})")
        self.stdout.write(f"Data folder: {root / 'pg'}")
        self.stdout.write(f"Socket folder: {info.socket_dir}")
        self.stdout.write(f"Database: {db.DATABASE_NAME}")
        self.stdout.write(f"Processes attached: {_attached(root / 'pg') or 'none'}")

    def _stop(self, root: Path) -> None:
        server = db.embedded_server(root)
        pgdata = root / "pg"
        others = [pid for pid in _attached(pgdata) if pid != os.getpid()]
        if others:
            self.stderr.write(f"Stopping although processes {others} are still attached.")
        try:
            server.stop()
        except Exception as exc:  # noqa: BLE001
            raise CommandError(f"Could not stop the server: {exc}") from exc
        (pgdata / ".handle_pids.json").write_text("[]")
        self.stdout.write(f"Embedded PostgreSQL stopped (data kept in {pgdata}).")


def _attached(pgdata: Path) -> list[int]:
    pids_file = pgdata / ".handle_pids.json"
    return json.loads(pids_file.read_text() or "[]") if pids_file.exists() else []
