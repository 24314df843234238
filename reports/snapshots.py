"""What changed between two published versions of a report: a diff of their snapshots.

Snapshots are nested dicts and lists. Lists of dicts are matched by a natural key
(``code``, ``slug``, ``ref``, ``quarter``, ``label``, ...) so a KPI's change reads
"Children, Young People and Education › KPIs › CYPE05 › value: 28% → 30%", not
"directorates[3].kpis[7].value".
"""

from __future__ import annotations

from typing import Any

IGNORED = {
    "generated_at",
    "raw",
    "kind",
    "quarter_slug",
    "colour",
    "unit",
    "decimal_places",
    "places",
}
KEYS = ("code", "slug", "ref", "quarter", "key", "number", "label", "column", "level", "title")
NAMES = {
    "directorates": None,  # the directorate's name is enough
    "kpis": "KPIs",
    "indicators": "Activity indicators",
    "tables": "Tables",
    "council_tables": "Council-wide tables",
    "series": "trend",
    "points": "trend",
    "risks": "Corporate risk register",
    "levels": "levels",
    "summary": "Executive summary counts",
    "texts": "Text",
    "sign_off": "Sign-off",
    "returns": None,  # the activity's reference is enough
}


def _key_of(item: Any, index: int) -> tuple[str, str]:
    """(matching key, label) of a list item."""
    if isinstance(item, dict):
        for name in KEYS:
            if item.get(name) not in (None, ""):
                label = item.get("name") or item.get("title") or str(item[name])
                if name in ("code", "ref"):
                    label = str(item[name])
                return f"{name}:{item[name]}", label
    return f"#{index}", f"item {index + 1}"


def _flatten(value: Any, path: tuple[str, ...], out: dict[tuple, Any], labels: dict) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            if key in IGNORED:
                continue
            _flatten(child, (*path, key), out, labels)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            key, label = _key_of(item, index)
            if key in seen:  # repeated natural key: fall back to position
                key = f"{key}#{index}"
            seen[key] = index
            segment = f"[{key}]"
            labels[(*path, segment)] = label
            _flatten(item, (*path, segment), out, labels)
    else:
        out[path] = value


def _describe(path: tuple[str, ...], labels: dict) -> str:
    words = []
    for i, segment in enumerate(path):
        if segment.startswith("["):
            words.append(labels.get(path[: i + 1], segment))
        elif segment in NAMES:
            if NAMES[segment]:
                words.append(NAMES[segment])
        elif segment == "cells" or segment == "rows":
            continue
        else:
            words.append(segment.replace("_", " "))
    return " › ".join(words)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def diff(old: dict, new: dict) -> list[dict[str, str]]:
    """Every value that differs between two snapshots, in the new snapshot's order."""
    before: dict[tuple, Any] = {}
    after: dict[tuple, Any] = {}
    labels: dict[tuple, str] = {}
    _flatten(old, (), before, labels)
    _flatten(new, (), after, labels)
    changes = []
    for path, value in after.items():
        if path not in before:
            changes.append(
                {"where": _describe(path, labels), "before": "(none)", "after": _text(value)}
            )
        elif before[path] != value:
            changes.append(
                {
                    "where": _describe(path, labels),
                    "before": _text(before[path]),
                    "after": _text(value),
                }
            )
    for path, value in before.items():
        if path not in after:
            changes.append(
                {"where": _describe(path, labels), "before": _text(value), "after": "(removed)"}
            )
    return changes
