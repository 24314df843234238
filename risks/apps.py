from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Corporate risk register"
    home_panel = "risks.views.home_panel"
    demo_loader = "risks.demo.load"
    synthetic_generator = "risks.synthetic.generate"
    bench_pages = "risks.bench.pages"
