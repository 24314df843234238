from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "SDP monitoring"

    # Hooks read by kccperf (see the brief): demo data, home page panel, synthetic data
    # for benchmarks and the pages the benchmark measures.
    demo_loader = "monitoring.demo.load"
    home_panel = "monitoring.views.home_panel"
    synthetic_generator = "monitoring.synthetic.generate"
    bench_pages = "monitoring.bench.pages"
