"""Build task-log files in code, so each test shows its input.

    rows = task_table(task(task_id="NV-1"), task(task_id="NV-2", due_date=""))
    data = xlsx({"Nhiệm vụ": rows})

`task(...)` is one valid row (field name -> cell value); `task_table` puts the
template headers (or the ones given) above the rows; `xlsx`/`xls`/`ods`/`csv_bytes`
write the bytes. `rezip` changes members of an xlsx (macros, DOCTYPE, formulas).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl

from analysis.fields import TASK_FIELDS

HEADERS = {f.name: f.header for f in TASK_FIELDS}
FIELDS = tuple(HEADERS)

VALID = {
    "task_id": "NV-001",
    "title": "Tư vấn tâm lý cho gia đình có trẻ khuyết tật",
    "service": "Tư vấn - Tham vấn",
    "lead_dept": "Phòng Tư vấn",
    "lead_person": "Nguyễn Thị Lan",
    "coord_depts": "Phòng Can thiệp",
    "coord_people": "Trần Văn Minh",
    "assigned_date": "01/10/2026",
    "due_date": "15/10/2026",
    "original_due_date": "",
    "done_date": "",
    "status": "Đang thực hiện",
    "note": "",
}


def task(**cells) -> dict:
    """A valid task row, with some cells changed."""
    unknown = set(cells) - set(VALID)
    if unknown:
        raise KeyError(f"unknown fields {unknown}")
    return {**VALID, **cells}


def task_table(*rows: dict, fields=FIELDS, headers: dict | None = None,
               above: list[list] | None = None) -> list[list]:
    """Header row (template headers unless `headers` renames some) + rows, with
    optional title rows `above` the header."""
    names = {**HEADERS, **(headers or {})}
    table = [list(r) for r in (above or [])]
    table.append([names[f] for f in fields])
    table += [[r.get(f, "") for f in fields] for r in rows]
    return table


def xlsx(sheets: dict[str, list[list]], hidden: tuple[str, ...] = (),
         merge: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx with the given sheets (name -> rows; None or "" leaves a cell empty)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    sheet.cell(row=r, column=c, value=value)
        for cell_range in (merge or {}).get(name, []):
            sheet.merge_cells(cell_range)
        if name in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def task_xlsx(*rows: dict, **table_options) -> bytes:
    return xlsx({"Nhiệm vụ": task_table(*rows, **table_options)})


def xls(rows: list[list], sheet: str = "Nhiệm vụ") -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    out_sheet = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                out_sheet.write(r, c, value, date_style)
            else:
                out_sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(rows: list[list], sheet: str = "Nhiệm vụ") -> bytes:
    import pandas as pd

    width = max(len(row) for row in rows)
    frame = pd.DataFrame([[None if v == "" else v for v in row] + [None] * (width - len(row))
                          for row in rows], dtype=object)
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="odf") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False, header=False)
    return out.getvalue()


def csv_bytes(rows: list[list], delimiter: str = ",", bom: bool = False,
              newline: str = "\r\n") -> bytes:
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def rezip(data: bytes, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None, edit=None) -> bytes:
    """Copy a zip, replacing/adding members; `edit(name, content) -> content`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename, source.read(info))
            if edit is not None:
                content = edit(info.filename, content)
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def first_sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
