from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Quarterly reports"
    demo_loader = "reports.demo.load"
    home_panel = "reports.views.home_panel"
    synthetic_generator = "reports.synthetic.generate"
    bench_pages = "reports.bench.pages"
