from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Quarterly reports"
    demo_loader = "reports.demo.load"
    bench_pages = "reports.bench.pages"
