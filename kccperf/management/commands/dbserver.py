import json
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kccperf import db


class Command(BaseCommand):
    help = "Report the status of the embedded PostgreSQL server, or stop it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, action, **options):
        if os.environ.get("DATABASE_URL", "").strip():
            database = settings.DATABASES["default"]
            self.stdout.write(
                f"Using the external database {database['NAME']!r} on "
                f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432} (DATABASE_URL); "
                "there is no embedded server to manage."
            )
            return
        server = db.embedded_server(settings.BASE_DIR)
        info = server.get_postmaster_info()
        pgdata = server.pgdata
        pids_file = pgdata / ".handle_pids.json"
        pids = json.loads(pids_file.read_text() or "[]") if pids_file.exists() else []
        others = [pid for pid in pids if pid != os.getpid()]
        if action == "status":
            self.stdout.write(f"Embedded PostgreSQL: running (pid {info.pid})")
            self.stdout.write(f"Data folder: {pgdata}")
            self.stdout.write(f"Socket folder: {info.socket_dir}")
            self.stdout.write(f"Database: {db.DATABASE_NAME}")
            self.stdout.write(f"Other processes attached: {others or 'none'}")
            return
        if others:
            self.stderr.write(f"Stopping although processes {others} are still attached.")
        try:
            server.stop()
        except Exception as exc:  # noqa: BLE001
            raise CommandError(f"Could not stop the server: {exc}") from exc
        pids_file.write_text("[]")
        self.stdout.write(f"Embedded PostgreSQL stopped (data kept in {pgdata}).")
