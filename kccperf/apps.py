from django.apps import AppConfig


class KccperfConfig(AppConfig):
    name = "kccperf"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from django.urls import register_converter

        from kccperf.converters import QuarterConverter
        from kccperf.sso import checks  # noqa: F401 - registers the single sign-on checks

        register_converter(QuarterConverter, "quarter")
