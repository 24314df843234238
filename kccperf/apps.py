from django.apps import AppConfig


class KccperfConfig(AppConfig):
    name = "kccperf"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from django.urls import register_converter

        from kccperf import checks  # noqa: F401 - registers the production gate
        from kccperf.converters import QuarterConverter

        register_converter(QuarterConverter, "quarter")
