"""Every monitoring URL pattern x role (see tests/matrix.py)."""

from tests.matrix import UrlCase, everyone

CASES = [
    UrlCase("monitoring:my-returns", everyone(200)),
]
