"""Hostile files (SPEC §2.3, §5): each answers `validate` with its JSON and exit 1 or 2
— never an abort — whatever calamine would do with it. One test per class, the
files built in code: far cell references in every spelling, shared-string
amplification, oversized text, lying counts, repeated .ods cells, entity tricks, and
files that kill the parser outright (the limited child, `analysis.sandbox`)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import messages, sandbox
from analysis.cli import main
from workbooks import (
    csv_bytes,
    header_row,
    inline,
    raw_xlsx,
    rezip,
    shared_strings,
    sheet_xml,
    task,
    task_table,
    task_xlsx,
    xls,
)

REPO = Path(__file__).resolve().parents[1]
X = 't="inlineStr">' + inline("x")
pytestmark = pytest.mark.skipif(not sandbox.SUPPORTED, reason="no fork: no sandbox")


def validate(tmp_path, data: bytes, name: str = "hostile.xlsx", capsys=None) -> tuple[int, dict]:
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["validate", str(path)])
    return code, json.loads(capsys.readouterr().out)


def whole_file_error(tmp_path, data, capsys, name="hostile.xlsx") -> str:
    code, report = validate(tmp_path, data, name, capsys)
    assert code == 2, report
    [error] = report["errors"]
    assert (error["row"], error["severity"]) == (None, "error")
    return error["message"]


def aborts_calamine(data: bytes) -> bool:
    """The file is a real threat: calamine itself dies on it (in a limited child)."""
    try:
        sandbox.run("sandbox_helpers:calamine_grid", data)
    except sandbox.ChildFailed:
        return True
    return False


def far(rows_xml: str) -> bytes:
    return raw_xlsx(sheet_xml(header_row() + rows_xml))


# --- far cell references, in every spelling calamine lays out -----------------------------

FAR_SPELLINGS = {
    "canonical": f'<row r="1048576"><c r="XFD1048576" {X}</c></row>',
    "spaces around =": f'<row r = "1048576"><c r = "XFD1048576" {X}</c></row>',
    "lower case": f'<row r="99000"><c r="xfd99000" {X}</c></row>',
    "lower case zz": f'<row r="99000"><c r="zz99000" {X}</c></row>',
    "single quotes": f"<row r='2'><c r='xfd99000' t='inlineStr'>{inline('x')}</c></row>",
    "attribute order": f'<row r="2"><c t="inlineStr" r="XFD99000">{inline("x")}</c></row>',
    "no r after far": f'<row r="2"><c r="XFC99000" {X}</c><c {X}</c><c {X}</c></row>',
    "rows without r": f'<row r="99000"><c r="A99000" {X}</c></row><row><c r="XFD1" {X}</c></row>',
    "in a low row element": f'<row r="2"><c r="ZZ1048576" {X}</c></row>',
    "huge row number": f'<row r="2"><c r="A99999999999" {X}</c></row>',
    "character reference": f'<row r="2"><c r="&#88;FD1048576" {X}</c></row>',
}


@pytest.mark.parametrize("spelling", list(FAR_SPELLINGS))
def test_far_cells_in_any_spelling_are_refused_before_calamine(tmp_path, capsys, spelling):
    data = far(FAR_SPELLINGS[spelling])
    assert len(data) < 5_000
    message = whole_file_error(tmp_path, data, capsys)
    assert message.startswith("Bảng tính trải tới dòng"), message


def test_the_issues_file_aborts_calamine_but_validate_answers(tmp_path, capsys):
    """`r = "XFD1048576"` made calamine ask for 512 GB: the serving process died."""
    data = far(FAR_SPELLINGS["spaces around ="])
    assert aborts_calamine(data)
    assert whole_file_error(tmp_path, data, capsys) == messages.SHEET_TOO_LARGE.format(
        rows=1048576, cols=16384)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.bin", "xl/data/part7"])
def test_a_sheet_part_with_any_name_is_scanned(tmp_path, capsys, part):
    data = raw_xlsx(sheet_xml(header_row() + FAR_SPELLINGS["lower case"]), sheet_part=part)
    assert whole_file_error(tmp_path, data, capsys).startswith("Bảng tính trải tới dòng 99000")


@pytest.mark.parametrize("prefix_xml", [
    '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<x:sheetData><x:row r="2"><x:c r="XFD99000" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c>'
    '</x:row></x:sheetData></x:worksheet>',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="2"><q:c r="XFD99000" t="inlineStr"><is><t>x</t></is></q:c></row></sheetData></worksheet>',
])
def test_prefixed_cells_are_cells(tmp_path, capsys, prefix_xml):
    message = whole_file_error(tmp_path, raw_xlsx(prefix_xml.encode()), capsys)
    assert message.startswith("Bảng tính trải tới dòng 99000 và cột thứ 16384")


def test_a_lying_dimension_changes_nothing(tmp_path, capsys):
    rows = header_row() + ('<row r="2"><c r="A2" t="inlineStr">' + inline("NV-1") + '</c>'
                           '<c r="D2" t="inlineStr">' + inline("Phòng A") + '</c>'
                           '<c r="H2" t="inlineStr">' + inline("01/10/2026") + "</c></row>")
    big = raw_xlsx(sheet_xml(rows, before='<dimension ref="A1:XFD1048576"/>'))
    code, report = validate(tmp_path, big, "big.xlsx", capsys)
    assert code == 0 and report["rows"] == 1
    small = raw_xlsx(sheet_xml(rows + FAR_SPELLINGS["lower case"], before='<dimension ref="A1:A1"/>'))
    assert whole_file_error(tmp_path, small, capsys).startswith("Bảng tính trải tới dòng 99000")


@pytest.mark.parametrize("rows_xml", [
    f'<row r="2"><c r="A2" r="XFD1048576" {X}</c></row>',  # calamine takes the last r
    f'<row r="2"><c r="$A$2" {X}</c></row>',
])
def test_references_no_spreadsheet_writes_are_corrupt(tmp_path, capsys, rows_xml):
    assert whole_file_error(tmp_path, far(rows_xml), capsys) == messages.CORRUPT


def test_many_sheets_each_within_the_budget_are_refused_together(tmp_path, capsys):
    """The reader lays out every visible sheet: 30 sheets of 40 x 99 000 cells each."""
    import io
    import zipfile

    one = raw_xlsx(sheet_xml(header_row() + f'<row r="99000"><c r="AN99000" {X}</c></row>'))
    source = zipfile.ZipFile(io.BytesIO(one))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
        for n in range(30):
            target.writestr(f"xl/worksheets/extra{n}.xml", source.read("xl/worksheets/sheet1.xml"))
    message = whole_file_error(tmp_path, out.getvalue(), capsys)
    assert message.startswith("Các trang tính của tệp trải tổng cộng"), message


# --- shared strings: amplification and lying counts -------------------------------------

def _amplified(cells: int, length: int) -> bytes:
    """`cells` cells, all pointing at one shared string of `length` characters."""
    rows = []
    for r in range(2, cells // 20 + 2):
        rows.append(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>'
                                               for c in "ABCDEFGHIJKLMNOPQRST") + "</row>")
    return raw_xlsx(sheet_xml(header_row() + "".join(rows)), shared=shared_strings(["x" * length]))


def test_one_shared_string_in_a_million_cells_is_refused_by_the_text_budget(tmp_path, capsys):
    """2 MB on disk, 1 M cells x 2 KB = 2 GB of text once calamine copies it into each."""
    data = _amplified(1_000_000, 2048)
    assert len(data) < 3 * 1024 * 1024
    started = time.monotonic()
    message = whole_file_error(tmp_path, data, capsys)
    assert message.startswith("Các ô của tệp chứa tổng cộng 2.048.00"), message
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("unique_count", [
    ' uniqueCount="4000000000"',
    " " * 6000 + ' uniqueCount="4000000000"',  # late in the root tag: after 4 KB
])
def test_a_shared_string_table_claiming_billions_is_corrupt(tmp_path, capsys, unique_count):
    data = raw_xlsx(sheet_xml(header_row()), shared=shared_strings(["a"], unique_count))
    assert aborts_calamine(data)
    assert whole_file_error(tmp_path, data, capsys) == messages.CORRUPT


# --- oversized text --------------------------------------------------------------------

def test_a_cell_over_excels_32767_characters_is_an_error_naming_the_cell(tmp_path, capsys):
    """Excel cannot hold it (openpyxl cuts it when writing): written by hand."""
    cells = [("A2", "NV-1"), ("B2", "x" * 40_000), ("D2", "Phòng A"), ("H2", "01/10/2026")]
    data = far('<row r="2">' + "".join(f'<c r="{ref}" t="inlineStr">{inline(text)}</c>'
                                       for ref, text in cells) + "</row>")
    code, report = validate(tmp_path, data, "long.xlsx", capsys)
    assert code == 1
    [error] = [e for e in report["errors"] if e["field"] == "title"]
    assert error["row"] == 2 and error["value"] is None
    assert error["message"] == messages.CELL_TOO_LONG.format(cell="B2", length="40.000",
                                                               limit="32.767")


def test_a_long_value_is_shown_cut_in_every_message(tmp_path, capsys):
    code, report = validate(tmp_path, task_xlsx(task(due_date="1" * 30_000)), "long.xlsx", capsys)
    assert code == 1
    [error] = [e for e in report["errors"] if e["field"] == "due_date"]
    assert len(error["value"]) == 201 and error["value"].endswith("…")
    assert len(error["message"]) < 400


def test_a_csv_cell_over_the_csv_modules_limit_says_the_cell_is_too_long(tmp_path, capsys):
    rows = task_table(task(task_id="NV-1"), task(task_id="NV-2", note="x" * 200_000))
    message = whole_file_error(tmp_path, csv_bytes(rows), capsys, "long.csv")
    assert message == messages.CSV_CELL_TOO_LONG.format(row=3, limit="131.072")
    unclosed = csv_bytes(task_table(task())) + b'NV-9,"' + b"y" * 140_000 + b"\n"
    assert whole_file_error(tmp_path, unclosed, capsys, "open.csv").startswith(
        "Một ô ở dòng 3 của tệp CSV dài hơn")


def test_a_csv_cell_over_excels_limit_names_the_cell(tmp_path, capsys):
    rows = task_table(task(task_id="NV-1", note="x" * 40_000))
    code, report = validate(tmp_path, csv_bytes(rows), "long.csv", capsys)
    assert code == 1
    assert any(e["message"].startswith("Ô M2 có 40.000 ký tự") for e in report["errors"])


# --- .ods repeats -----------------------------------------------------------------------------

def _ods_repeating(rows: int, cols: int, text: str) -> bytes:
    import io
    import zipfile

    from workbooks import ods

    data = ods(task_table(task()))
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    cell = (f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="string">'
            f"<text:p>{text}</text:p></table:table-cell>").encode()
    padding = b'<table:table-row table:number-rows-repeated="%d">%s</table:table-row>' % (rows, cell)
    return rezip(data, replace={"content.xml": content.replace(b"</table:table>",
                                                               padding + b"</table:table>", 1)})


def test_an_ods_cell_repeated_with_long_text_is_refused(tmp_path, capsys):
    data = _ods_repeating(1000, 1000, "x" * 500)  # a few KB: 500 million characters
    assert len(data) < 20_000
    assert whole_file_error(tmp_path, data, capsys, "a.ods").startswith("Các ô của tệp chứa tổng cộng")


def test_an_ods_space_run_counts_as_its_spaces(tmp_path, capsys):
    data = _ods_repeating(1, 1, '<text:s text:c="300000000"/>')
    assert whole_file_error(tmp_path, data, capsys, "a.ods").startswith("Các ô của tệp chứa tổng cộng")


# --- entity tricks in members of any name -------------------------------------------------

def test_an_entity_declaration_in_an_oddly_named_member_is_refused(tmp_path, capsys):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            + sheet_xml(header_row()).split(b"?>", 1)[1])
    data = raw_xlsx(bomb, sheet_part="xl/worksheets/sheet1.bin")
    assert whole_file_error(tmp_path, data, capsys) == messages.XML_ENTITIES


# --- files that kill the parser: the limited child -----------------------------------------------

def test_an_xls_that_makes_calamine_abort_is_a_whole_file_error(tmp_path, capsys):
    data = bytearray(xls(task_table(task())))
    data[1577], data[2200], data[3375] = 44, 237, 174  # calamine reserves ~165 GB
    assert aborts_calamine(bytes(data))
    assert whole_file_error(tmp_path, bytes(data), capsys, "a.xls") == messages.CHILD_FAILED


@pytest.mark.parametrize("spelling", ["spaces around =", "lower case zz"])
def test_validate_as_a_process_answers_in_time_and_in_json(tmp_path, spelling):
    """The acceptance path: a fresh `python -m analysis validate` process."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(far(FAR_SPELLINGS[spelling]))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "analysis", "validate", str(path)], cwd=REPO,
                          capture_output=True, timeout=60)
    assert time.monotonic() - started < 30
    assert done.returncode == 2, done.stderr.decode()
    report = json.loads(done.stdout.decode("utf-8"))
    assert report["errors"][0]["message"].startswith("Bảng tính trải tới dòng")
