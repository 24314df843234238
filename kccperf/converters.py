from kccperf.periods import Quarter


class QuarterConverter:
    """``<quarter:period>`` in a URL: ``2019-20-q2`` <-> ``Quarter(2019, 2)``."""

    regex = r"[0-9]{4}-[0-9]{2}-q[1-4]"

    def to_python(self, value: str) -> Quarter:
        return Quarter.from_slug(value)

    def to_url(self, value: Quarter | str) -> str:
        if isinstance(value, Quarter):
            return value.slug
        return Quarter.parse(value).slug
