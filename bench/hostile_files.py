"""Hostile upload files, built in memory: a zip bomb, a workbook with data on two sheets, a
UTF-16 CSV. Shared by the import tests and the benchmark (which times their refusal)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    """A workbook with the given (title, rows) sheets."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def two_sheet_workbook() -> bytes:
    return xlsx(
        ("Results", [["kpi_code", "quarter", "value"], ["CYPE05", "Q2 2019/20", 91]]),
        ("Notes", [["kpi_code", "quarter", "value"], ["CYPE06", "Q2 2019/20", 12]]),
    )


def utf16_csv(text: str = "kpi_code,quarter,value\nCYPE05,Q2 2019/20,91\n") -> bytes:
    """What Excel's "Unicode text" and many Windows tools save: UTF-16 LE with its BOM."""
    return text.encode("utf-16")


def xlsx_bomb(megabytes: int = 135) -> bytes:
    """A valid small .xlsx whose first sheet's XML expands to ``megabytes`` MB of rows (the
    compressed file is a few hundred KB, like the one in issue 14)."""
    base = xlsx(("Sheet1", [["kpi_code", "quarter", "value"]]))
    # Identical rows (no row numbers) compress about 1,000 to 1.
    row = '<row><c t="inlineStr"><is><t>CYPE05</t></is></c></row>'
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
    )
    tail = "</sheetData></worksheet>"
    target = megabytes * 1024 * 1024
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info.filename))
                continue
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(head.encode())
                chunk = (row * 20_000).encode()
                for _ in range(max(1, target // len(chunk))):
                    sheet.write(chunk)
                sheet.write(tail.encode())
    return out.getvalue()
