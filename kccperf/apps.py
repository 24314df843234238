from django.apps import AppConfig


class KccperfConfig(AppConfig):
    name = "kccperf"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        import kccperf.checks  # noqa: F401 - registers the production gate
        import kccperf.sso.checks  # noqa: F401 - registers the single sign-on checks
        from kccperf.converters import QuarterConverter
        from kccperf.middleware import stamp_session

        register_converter(QuarterConverter, "quarter")
        user_logged_in.connect(stamp_session, dispatch_uid="kccperf-stamp-session")
        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(using: str = "default", **kwargs) -> None:
    """The figure cache's triggers on every table (new ones too) and the cache table."""
    from django.core.management import call_command

    from kccperf.figure_cache import install_triggers

    install_triggers(using)
    call_command("createcachetable", database=using, verbosity=0)
