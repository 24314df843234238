import os

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from kccperf import demo

DEFAULT_PASSWORD = "kccperf-demo-2019"


class Command(BaseCommand):
    help = (
        "Migrate the database and load the demo data built from the Q2 2019/20 seed reports, "
        "with one demo user per role. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("KCCPERF_DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="Password for the demo users (default: $KCCPERF_DEMO_PASSWORD or %(default)s).",
        )
        parser.add_argument("--no-migrate", action="store_true", help="Skip migrate.")

    def handle(self, *args, password, no_migrate, verbosity, **options):
        if not no_migrate:
            call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            demo.load(password)
            # Each app adds its part of the demo data: <app>.demo.load(password).
            for config in apps.get_app_configs():
                loader = getattr(config, "demo_loader", None)
                if loader:
                    import_string(loader)(password)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            self.stdout.write(
                f"Demo users (password {password!r}): lead.officer, cmt, analyst, "
                "risk.manager, admin"
            )
