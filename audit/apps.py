from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Change log"
    # The change log's pages in bench/benchmark.py.
    bench_pages = "audit.bench.pages"
    # A change log of synthetic acts for generate_synthetic (the benchmark's data).
    synthetic_generator = "audit.synthetic.generate"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from audit import signals

        signals.connect()
        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(using: str = "default", **kwargs) -> None:
    """The audit trigger on every audited table (new ones too)."""
    from audit.triggers import install_triggers

    install_triggers(using)
