"""Import of the corporate risk register from CSV/XLSX (README: "Risk register import format").

One row per risk, found by its reference. New references create risks; known ones are
updated. A changed score on a known risk needs ``reason_for_change`` (as in a refresh). The
file is checked as a whole and nothing is written unless every row is valid.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from kccperf.imports import Column, Importer, ImportIssue, ImportPlan, ParsedRow, RowReader
from kccperf.models import CabinetMember, Directorate
from kccperf.text_limits import limit
from risks.models import REF_PATTERN, Risk, RiskCategory, RiskHistory, RiskRefreshEntry
from risks.scoring import SCORE_FIELDS

# The risk's text fields, read as given (lengths and whether required come from the model);
# cabinet member, category and directorates are looked up by name.
TEXT_FIELDS = ("title", "description", "owner_name", "owner_title")
# What a row sets on a risk besides its lookups.
PLAIN_FIELDS = (*TEXT_FIELDS, "date_raised", *SCORE_FIELDS)


class RiskRegisterImporter(Importer):
    kind = "risk-register"
    title = "the corporate risk register"
    description = "One row per risk; references that are new create risks, known ones update."
    permission = "risks.add_risk"
    columns = [
        Column("ref", True, "The risk's reference, CRR followed by 4 digits.", "CRR0049"),
        Column("title", True, "The risk's title (up to 250 characters).", "Cyber attack"),
        Column("description", True, "Cause, event and consequence.", "If ..., then ..."),
        Column("owner_name", True, "The risk owner (a director).", "Zena Cooke"),
        Column("owner_title", False, "The owner's post.", "Corporate Director Finance"),
        Column("cabinet_member", False, "Responsible cabinet member, as named in the portal.", ""),
        Column(
            "directorates",
            False,
            "Directorates' short names or slugs, separated by ';'.",
            "ST;CYPE",
        ),
        Column("category", False, "One of the portal's risk categories.", "Financial"),
        Column("date_raised", True, "Date the risk was raised: 2019-09-30 or 30/09/2019.", ""),
        Column("current_likelihood", True, "Whole number 1 to 5.", "4"),
        Column("current_impact", True, "Whole number 1 to 5.", "5"),
        Column("target_likelihood", True, "Whole number 1 to 5.", "3"),
        Column("target_impact", True, "Whole number 1 to 5.", "4"),
        Column(
            "reason_for_change",
            False,
            "Required when a known risk's score changes.",
            "",
        ),
    ]

    def __init__(self) -> None:
        self.reasons: dict[str, str] = {}

    def prepare(self, rows) -> None:
        self.members = {m.name: m for m in CabinetMember.objects.all()}
        self.categories = {c.name: c for c in RiskCategory.objects.all()}
        self.directorates: dict[str, Directorate] = {}
        for d in Directorate.objects.all():
            self.directorates[d.slug] = d
            self.directorates[d.short_name] = d

    def parse_row(self, row: RowReader) -> ParsedRow | None:
        ref = row.text("ref").upper()
        if ref and not REF_PATTERN.match(ref):
            row.add("ref", f"not a reference like CRR0001 ({ref!r})")
        values: dict[str, Any] = {name: _text(row, name) for name in TEXT_FIELDS}
        member = row.lookup(
            "cabinet_member", self.members, "no cabinet member of that name", required=False
        )
        values["cabinet_member"] = member.name if member else None
        directorates = row.choices("directorates", self.directorates)
        values["directorates"] = sorted({d.slug for d in directorates})
        category = row.lookup("category", self.categories, "not a risk category", required=False)
        values["category"] = category.name if category else None
        values["date_raised"] = row.date("date_raised")
        for name in SCORE_FIELDS:
            values[name] = row.integer(name, minimum=1, maximum=5)
        if row.has_errors:
            return None
        self.reasons[ref] = row.text(
            "reason_for_change", required=False, max_length=limit(RiskRefreshEntry, "reason")
        )
        return ParsedRow(row.number, key=ref, values=values, label=f"{ref} {values['title']}")

    def existing(self, parsed: list[ParsedRow]) -> dict[Hashable, dict[str, Any]]:
        risks = (
            Risk.objects.filter(ref__in=[row.key for row in parsed])
            .select_related("cabinet_member", "category")
            .prefetch_related("directorates")
        )
        return {risk.ref: self._stored(risk) for risk in risks}

    @staticmethod
    def _stored(risk: Risk) -> dict[str, Any]:
        return {
            **{name: getattr(risk, name) for name in PLAIN_FIELDS},
            "cabinet_member": risk.cabinet_member.name if risk.cabinet_member else None,
            "directorates": sorted(d.slug for d in risk.directorates.all()),
            "category": risk.category.name if risk.category else None,
        }

    def check_rows(self, parsed: list[ParsedRow]) -> list[ImportIssue]:
        """A known risk whose scores change needs a reason; removed risks are not reopened."""
        issues = []
        stored = {
            r.ref: r
            for r in Risk.objects.filter(ref__in=[row.key for row in parsed]).only(
                "ref", "status", *SCORE_FIELDS
            )
        }
        for row in parsed:
            risk = stored.get(row.key)
            if risk is None:
                continue
            if not risk.is_open:
                issues.append(
                    ImportIssue(row.row, "ref", f"{row.key} has been removed from the register")
                )
                continue
            moved = [n for n in SCORE_FIELDS if getattr(risk, n) != row.values[n]]
            if moved and not self.reasons.get(row.key):
                issues.append(
                    ImportIssue(
                        row.row,
                        "reason_for_change",
                        f"is empty, but the {Risk._meta.get_field(moved[0]).verbose_name} changed",
                    )
                )
        return issues

    def _apply_values(self, risk: Risk, values: dict[str, Any]) -> None:
        for name in PLAIN_FIELDS:
            setattr(risk, name, values[name])
        risk.cabinet_member = self.members.get(values["cabinet_member"] or "")
        risk.category = self.categories.get(values["category"] or "")

    def apply(self, plan: ImportPlan, user) -> None:
        self.prepare([])
        history = []
        for row in plan.new:
            risk = Risk(ref=row.key)
            self._apply_values(risk, row.values)
            risk.save()
            risk.directorates.set([self.directorates[s] for s in row.values["directorates"]])
            history.append(
                RiskHistory(
                    risk=risk,
                    by=user,
                    summary="Risk created by import",
                    changes={k: [None, _plain(v)] for k, v in row.values.items()},
                )
            )
        risks = {r.ref: r for r in Risk.objects.filter(ref__in=[c.row.key for c in plan.changed])}
        for change in plan.changed:
            risk = risks[change.row.key]
            self._apply_values(risk, change.row.values)
            risk.save()
            risk.directorates.set([self.directorates[s] for s in change.row.values["directorates"]])
            changes = {name: [_plain(old), _plain(new)] for name, old, new in change.fields}
            reason = self.reasons.get(change.row.key)
            if reason:
                changes["reason"] = [None, reason]
            history.append(
                RiskHistory(risk=risk, by=user, summary="Risk updated by import", changes=changes)
            )
        RiskHistory.objects.bulk_create(history)


def _text(row: RowReader, name: str) -> str:
    field = Risk._meta.get_field(name)
    return row.text(name, required=not field.blank, max_length=field.max_length)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
