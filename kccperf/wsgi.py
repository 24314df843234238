import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from kccperf import db

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kccperf.settings")
application = get_wsgi_application()
# A web server needs the database: attach now, so gunicorn's --preload master holds the
# embedded server while workers reload (no connection is opened before the fork).
db.attach(settings.DATABASES["default"])
# What loading the portal made (modules, settings, URL patterns, the database bootstrap) lives
# as long as the process: keep it out of the garbage collector's full sweeps, which otherwise
# walk it again every few hundred requests. Under --preload the workers then share it
# untouched after the fork (the collector no longer writes to it).
gc.freeze()
