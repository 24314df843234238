"""Which SDP returns dashboards and reports count: the one reader of ``SDP_COUNT_RETURNS``.

``"submitted"`` (the default) counts every submitted return; ``"signed_off"`` only those
signed off or not needing sign-off. Pages and reports say which (:func:`counting_statement`),
and the figure cache keys carry the choice (:mod:`kccperf.figure_cache`), so changing the
setting never serves figures counted the other way.
"""

from __future__ import annotations

from django.conf import settings


def counting_basis() -> str:
    """``"submitted"`` or ``"signed_off"``."""
    return str(getattr(settings, "SDP_COUNT_RETURNS", "submitted"))


def counts_signed_off_only() -> bool:
    return counting_basis() == "signed_off"


def counting_statement() -> str:
    """The sentence pages and reports print about what they count."""
    if counts_signed_off_only():
        return (
            "Figures count only signed-off returns (and returns that need no sign-off); "
            "returns awaiting sign-off or sent back are not counted."
        )
    return "Figures count every submitted return, whether or not it has been signed off yet."
