from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "Key performance indicators"
    demo_loader = "kpis.demo.load"
    home_panel = "kpis.views.home_panel"
    synthetic_generator = "kpis.synthetic.generate"
    bench_pages = "kpis.bench.pages"
