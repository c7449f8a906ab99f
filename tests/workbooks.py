"""Build task-log files in code, so each test shows its input.

    rows = task_table(task(task_id="NV-1"), task(task_id="NV-2", due_date=""))
    data = xlsx({"Nhiệm vụ": rows})

`task(...)` is one valid row (field name -> cell value); `task_table` puts the
template headers (or the ones given) above the rows; `xlsx`/`xls`/`ods`/`csv_bytes`
write the bytes. `rezip` changes members of an xlsx (macros, DOCTYPE, formulas).

Hand-written worksheet XML, for the spellings no writer library produces (hostile
files, SPEC §2.3): `raw_xlsx(sheet_xml(rows_xml), shared=shared_strings([...]))` is a
minimal valid package around it; `inline("text")` is an inline-string cell body;
`header_row()` the template headers as row 1 in that XML.
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
         merge: dict[str, list[str]] | None = None, as_typed: bool = False) -> bytes:
    """An .xlsx with the given sheets (name -> rows; None or "" leaves a cell empty).
    `as_typed`: every text is stored as text, so a leading "=" stays text (the way a
    user types it), not a formula as openpyxl would make it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    cell = sheet.cell(row=r, column=c, value=value)
                    if as_typed and isinstance(value, str):
                        cell.data_type = "s"
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


# --- hand-written worksheet XML ---------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def inline(text: str) -> str:
    """The body of an inline-string cell: `<c r="A1" t="inlineStr">{inline("x")}</c>`."""
    from xml.sax.saxutils import escape

    return f"<is><t>{escape(text)}</t></is>"


def header_row(row: int = 1) -> str:
    """The template headers as row `row`, cells A.. in the common spelling."""
    from analysis.sheet_xml import cell_name

    cells = "".join(f'<c r="{cell_name(row - 1, i)}" t="inlineStr">{inline(h)}</c>'
                    for i, h in enumerate(HEADERS.values()))
    return f'<row r="{row}">{cells}</row>'


def sheet_xml(rows_xml: str, before: str = "", root: str = "worksheet") -> bytes:
    """A worksheet part: `before` goes ahead of <sheetData> (a <dimension>, <cols>)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="{MAIN_NS}">{before}'
            f"<sheetData>{rows_xml}</sheetData></{root}>").encode()


def shared_strings(items: list[str], unique_count: str | None = None) -> bytes:
    """A shared-string table; `unique_count` replaces the honest uniqueCount attribute
    (any text, placed as given: ' uniqueCount="4000000000"')."""
    from xml.sax.saxutils import escape

    count = unique_count if unique_count is not None else f' uniqueCount="{len(items)}"'
    body = "".join(f"<si><t>{escape(item)}</t></si>" for item in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" '
            f'count="{len(items)}"{count}>{body}</sst>').encode()


def raw_xlsx(sheet: bytes, shared: bytes | None = None,
             sheet_part: str = "xl/worksheets/sheet1.xml", sheet_name: str = "Nhiệm vụ") -> bytes:
    """A minimal .xlsx package around one worksheet part (any member name, any XML)."""
    strings_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
             'package/2006/content-types"><Default Extension="rels" ContentType="application/'
             'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
             'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
             '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             f'<Override PartName="/{sheet_part}" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/>'
             + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{strings_type}"/>'
                if shared is not None else "") + "</Types>")
    package_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">'
                    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" '
                    'Target="xl/workbook.xml"/></Relationships>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
                f'xmlns:r="{_REL_NS}"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/>'
                "</sheets></workbook>")
    target = sheet_part[3:] if sheet_part.startswith("xl/") else "/" + sheet_part
    workbook_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">'
                     f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="{target}"/>'
                     + (f'<Relationship Id="rId2" Type="{_REL_NS}/sharedStrings" '
                        'Target="sharedStrings.xml"/>' if shared is not None else "")
                     + "</Relationships>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr(sheet_part, sheet)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()
