"""SDP monitoring report (per outcome and council-wide): built from monitoring.figures."""

from __future__ import annotations

ANALYSIS_SECTIONS: list[tuple[int, str]] = []


def build_sdp(report) -> dict:
    raise NotImplementedError


def decorate_sdp(data: dict) -> dict:
    return data
