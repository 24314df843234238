"""A small trend line as inline SVG, drawn on the server (no JavaScript)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def sparkline_points(
    values: list[Decimal | None], width: int, height: int, pad: int = 3
) -> list[tuple[float, float]]:
    """SVG coordinates of the values that exist, spread evenly across the width; the
    highest value at the top. A flat series sits in the middle."""
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if not known:
        return []
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = high - low
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = []
    for i, v in known:
        y = height / 2 if span == 0 else pad + (high - v) / span * (height - 2 * pad)
        points.append((round(pad + i * step, 1), round(y, 1)))
    return points


def sparkline_svg(
    values: list[Decimal | None], description: str, width: int = 96, height: int = 28
) -> SafeString:
    """An SVG trend line with a dot on the latest value and a text alternative."""
    points = sparkline_points(values, width, height)
    if not points:
        return mark_safe('<span class="hint">No trend</span>')
    path = " ".join(f"{x},{y}" for x, y in points)
    last_x, last_y = points[-1]
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}"><polyline points="{}" fill="none" stroke="#0b0c0c" '
        'stroke-width="1.5"/><circle cx="{}" cy="{}" r="2.5" fill="#1d70b8"/></svg>',
        width,
        height,
        width,
        height,
        description,
        path,
        last_x,
        last_y,
    )
