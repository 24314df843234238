import os

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
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
        if settings.PRODUCTION:
            # Issue 12: the demo's accounts share a published password (and one is a superuser).
            raise CommandError(
                "load_demo refuses to run with KCCPERF_ENV=production: it creates accounts "
                "with a published password, including a superuser. Load real data with "
                "`manage.py import_*` and create accounts with `createsuperuser` and the admin."
            )
        demo.accounts_loaded.clear()
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
            accounts = demo.accounts_loaded
            self.stdout.write(
                f"{len(accounts)} demo accounts, all with the password {password!r} "
                "(never load the demo on a live server):"
            )
            for user in accounts:
                what = [g.name for g in user.groups.all()]
                if user.is_superuser:
                    what.append("superuser")
                elif user.is_staff:
                    what.append("staff")
                self.stdout.write(f"  {user.username} ({', '.join(what)})")
