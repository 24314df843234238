"""The portal's settings with the benchmark's URLs (the trivial view), for gunicorn under load."""

from kccperf.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
