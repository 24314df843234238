"""Serve plotly.js from the installed plotly package as ``plotly/plotly.min.js``.

Only that one file: pointing STATICFILES_DIRS at plotly's package_data would also copy
~15 MB of datasets on collectstatic. No CDN: council intranets have no internet.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PUBLIC_NAME = "plotly/plotly.min.js"


class _PlotlyStorage(FileSystemStorage):
    prefix = "plotly"  # collectstatic copies the file to plotly/<name>


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = _PlotlyStorage(location=str(PLOTLY_DIR))

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == PUBLIC_NAME:
            match = str(PLOTLY_DIR / "plotly.min.js")
            return [match] if find_all else match
        return []

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
