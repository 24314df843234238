from django.apps import AppConfig


class KccperfConfig(AppConfig):
    name = "kccperf"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from django.urls import register_converter

        from kccperf import checks  # noqa: F401 - registers the production gate
        from kccperf.converters import QuarterConverter

        register_converter(QuarterConverter, "quarter")

        from django.contrib.auth.signals import user_logged_in

        from kccperf.middleware import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="kccperf-stamp-session")
