from __future__ import annotations

from django import forms

from kccperf.models import Directorate
from kccperf.text_limits import NARRATIVE, CharacterCountTextarea, limit
from kccperf.versioning import VersionedForm
from reports.formatting import format_cell, parse_cell
from reports.models import Report, ReportTable
from reports.services import CellValue, TableData


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Note for this version (optional)",
        required=False,
        max_length=300,
        help_text="e.g. why it is republished: corrected Q2 result for CYPE05.",
    )


def editable_texts(report: Report) -> list[tuple[str, str, str]]:
    """(key, label, help) of the texts analysts write for this kind of report."""
    if report.kind == Report.Kind.QPR:
        return [
            (
                "summary",
                "Executive summary: opening paragraph",
                "Leave empty to use the sentence generated from the KPI counts.",
            ),
            (
                "data_quality",
                "Data quality note",
                "Leave empty for the note made from the data: how many KPI results are "
                "provisional (none when all are verified).",
            ),
        ]
    from reports.sdp import ANALYSIS_SECTIONS

    fields = [
        (
            "introduction",
            "Introduction",
            "Leave empty to use the portal's standard introduction.",
        )
    ]
    for number, title in ANALYSIS_SECTIONS:
        fields.append((f"analysis-{number}", f"Analysis {number}: {title}", ""))
    return fields


class TextsForm(VersionedForm):
    versioned_what = "report's texts"

    def __init__(self, fields: list[tuple[str, str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, help_text in fields:
            self.fields[key] = forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                widget=CharacterCountTextarea(attrs={"rows": 5}),
                max_length=NARRATIVE,
            )


class ReportTableForm(VersionedForm):
    """The table's details, its row and column labels and one box per cell."""

    versioned_what = "table"

    title = forms.CharField(max_length=250)
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(),
        required=False,
        empty_label="Council-wide (no directorate)",
        help_text="The QPR section the table is printed in.",
    )
    order = forms.IntegerField(min_value=0, max_value=999, help_text="Position in the section.")
    row_header = forms.CharField(label="Heading of the row labels", max_length=120, required=False)
    empty_text = forms.CharField(
        label="Text for an empty cell", max_length=20, help_text="e.g. – or N/A*"
    )
    footnote = forms.CharField(
        required=False,
        widget=CharacterCountTextarea(attrs={"rows": 3}),
        max_length=limit(ReportTable, "footnote"),
    )

    def __init__(self, table: ReportTable, *args, **kwargs):
        self.table = table
        grid = table.grid()
        initial = {
            "title": table.title,
            "directorate": table.directorate_id,
            "order": table.order,
            "row_header": table.row_header,
            "empty_text": table.empty_text,
            "footnote": table.footnote,
        }
        for r, row in enumerate(table.rows):
            initial[f"row_{r}"] = row["label"]
            for c in range(len(table.columns)):
                cell = grid[r][c]
                initial[f"cell_{r}_{c}"] = (
                    format_cell(cell.value, cell.places, cell.unit)
                    if cell and cell.value is not None
                    else ""
                )
        for c, column in enumerate(table.columns):
            initial[f"column_{c}"] = column["label"]
        kwargs.setdefault("version", table.version)
        super().__init__(*args, initial=initial, **kwargs)
        for r, _row in enumerate(table.rows):
            self.fields[f"row_{r}"] = forms.CharField(label=f"Row {r + 1} label", max_length=300)
        for c, _column in enumerate(table.columns):
            self.fields[f"column_{c}"] = forms.CharField(
                label=f"Column {c + 1} label", max_length=200
            )
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                self.fields[f"cell_{r}_{c}"] = forms.CharField(
                    label=f"{row['label']}, {column.get('group', '')} {column['label']}".replace(
                        "  ", " "
                    ),
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(attrs={"class": "cell-input", "inputmode": "decimal"}),
                )

    def clean(self):
        cleaned = super().clean()
        self.cells: dict[tuple[int, int], CellValue] = {}
        for r in range(len(self.table.rows)):
            for c in range(len(self.table.columns)):
                name = f"cell_{r}_{c}"
                text = cleaned.get(name, "")
                try:
                    value, places, unit = parse_cell(text or "")
                except ValueError:
                    self.add_error(
                        name, "Enter a number, like 1,234 or 76% or £1.3, or leave empty"
                    )
                    continue
                if value is not None:
                    self.cells[(r, c)] = CellValue(value, places, unit)
        return cleaned

    def grid_rows(self) -> list[tuple]:
        """(row label field, [cell fields]) for the template's grid."""
        return [
            (self[f"row_{r}"], [self[f"cell_{r}_{c}"] for c in range(len(self.table.columns))])
            for r in range(len(self.table.rows))
        ]

    def table_data(self) -> TableData:
        data = self.cleaned_data
        return TableData(
            slug=self.table.slug,
            quarter=self.table.period.quarter,
            title=data["title"],
            directorate=data["directorate"],
            footnote=data["footnote"],
            row_header=data["row_header"],
            empty_text=data["empty_text"],
            order=data["order"],
            rows=[
                {"label": data[f"row_{r}"], "group": row.get("group", "")}
                for r, row in enumerate(self.table.rows)
            ],
            columns=[
                {"label": data[f"column_{c}"], "group": column.get("group", "")}
                for c, column in enumerate(self.table.columns)
            ],
            cells=self.cells,
        )
