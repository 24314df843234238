import random

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from kccperf import demo, synthetic
from kccperf.models import ReportingPeriod
from kccperf.periods import FinancialYear


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic data at N × the council's size across ten financial "
        "years, deterministically from --seed, for benchmarks. Use a separate database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiple of the council's size")
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--years", type=int, default=10, help="Financial years, ending 2019/20")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Drop everything in the database first (DROP SCHEMA public CASCADE)",
        )
        parser.add_argument("--password", default="kccperf-bench")

    def handle(self, *args, scale, seed, years, reset, password, verbosity, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "generate_synthetic refuses to run with KCCPERF_ENV=production: it creates the "
                "demo accounts (published password) and can drop the database."
            )
        if scale < 1 or years < 1:
            raise CommandError("--scale and --years must be at least 1")
        if reset:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        call_command("migrate", verbosity=0, interactive=False)
        if ReportingPeriod.objects.exists():
            raise CommandError(
                "The database already holds data: use --reset on a database kept for benchmarks."
            )
        quarters = synthetic.quarters_for(years, FinancialYear(2019))
        with transaction.atomic():
            demo.load(password)
            synthetic.generate(scale, random.Random(seed), quarters)
            for config in apps.get_app_configs():
                generator = getattr(config, "synthetic_generator", None)
                if generator:
                    if verbosity:
                        self.stdout.write(f"Generating {config.label} ...")
                    # Each app gets its own generator so its data does not depend on the order.
                    import_string(generator)(
                        scale, random.Random(f"{seed}-{config.label}"), quarters
                    )
                    _analyze()
            synthetic.close_history()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Synthetic data at {scale}× over {len(quarters)} quarters "
                    f"({quarters[0].label} – {quarters[-1].label}); users' password {password!r}."
                )
            )


def _analyze() -> None:
    """Fresh planner statistics after a bulk load (ANALYZE sees this transaction's own rows):
    the next generator's queries, e.g. the reports' figures over thousands of returns, are
    otherwise planned with the row counts of an empty (or demo-sized) database, which can
    turn a join into a nested loop that runs for minutes."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
