"""The scan of worksheet XML (SPEC §2.3, bounded work): how far cells reach as
calamine lays them out, read with a real tokenizer, whatever the spelling; the text
they hold once shared strings are expanded; and the fast path for the common
spelling, which must agree with the tokenizer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import sandbox
from analysis.sheet_xml import (
    MalformedXml,
    _expat_scan,
    _fast_scan,
    scan_ods_content,
    scan_shared_strings,
    scan_worksheet,
)
from workbooks import inline, raw_xlsx, shared_strings, sheet_xml

X = 't="inlineStr">' + inline("x")

# (spelling, xml of the rows, (rows, columns) calamine lays out)
SPELLINGS = [
    ("common", f'<row r="1"><c r="A1" {X}</c><c r="C2" {X}</c></row>', (2, 3)),
    ("lower case", f'<row r="1"><c r="A1" {X}</c></row><row r="20"><c r="zz20" {X}</c></row>', (20, 702)),
    ("mixed case", f'<row r="1"><c r="cD4" {X}</c></row>', (4, 82)),
    ("spaces around =", f'<row r="1"><c r = "C3" {X}</c></row>', (3, 3)),
    ("single quotes", f"<row r='1'><c r='C2' t='inlineStr'>{inline('x')}</c></row>", (2, 3)),
    ("tabs", f'<row r="1"><c\tr="C2"\t{X}</c></row>', (2, 3)),
    ("r after t", f'<row r="1"><c t="inlineStr" r="C2">{inline("x")}</c></row>', (2, 3)),
    ("cells without r", f'<row r="2"><c {X}</c><c {X}</c><c r="E2" {X}</c><c {X}</c></row>', (2, 6)),
    ("rows without r", f'<row><c {X}</c></row><row><c {X}</c></row><row><c {X}</c></row>', (3, 1)),
    ("row r, cell without", f'<row r="3000"><c {X}</c></row>', (3000, 1)),
    ("no r after a far cell", f'<row r="1"><c r="XFC1" {X}</c><c {X}</c><c {X}</c></row>', (1, 16385)),
    ("empty cells move the column", f'<row r="1"><c/><c/><c {X}</c></row>', (1, 3)),
    ("row element numbers the row", f'<row><c {X}</c></row><row r="7"><c {X}</c></row><row><c {X}</c></row>', (8, 1)),
    ("a cell names another row", f'<row r="1"><c r="C5" {X}</c><c {X}</c></row>', (5, 4)),
    ("leading zeros", f'<row r="1"><c r="B0004" {X}</c></row>', (4, 2)),
    ("four letters", f'<row r="1"><c r="AAAA1" {X}</c></row>', (1, 18279)),
]


@pytest.mark.parametrize("name, rows_xml, expected", SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_the_scan_reaches_as_far_as_calamine_lays_the_sheet_out(name, rows_xml, expected):
    xml = sheet_xml(rows_xml)
    scan = scan_worksheet(xml)
    assert (scan.rows, scan.cols) == expected
    # the oracle: calamine itself, in a limited child
    assert sandbox.run("sandbox_helpers:calamine_grid", raw_xlsx(xml)) == expected


@pytest.mark.parametrize("xml", [
    f'<x:worksheet xmlns:x="urn:main"><x:sheetData><x:row r="1"><x:c r="D3" {X}</x:c></x:row></x:sheetData></x:worksheet>',
    f'<worksheet xmlns="urn:main"><sheetData><row r="1"><q:c r="D3" {X}</q:c></row></sheetData></worksheet>',
], ids=["prefixed", "undeclared prefix"])
def test_cells_are_cells_whatever_their_prefix(xml):
    """calamine matches elements by local name: <x:c> and <q:c> are cells."""
    data = raw_xlsx(xml.encode())
    assert sandbox.run("sandbox_helpers:calamine_grid", data)[1] == 4
    assert (scan_worksheet(xml.encode()).rows, scan_worksheet(xml.encode()).cols) == (3, 4)


def test_the_dimension_is_never_trusted():
    lying_big = sheet_xml(f'<row r="1"><c r="A1" {X}</c></row>', before='<dimension ref="A1:XFD1048576"/>')
    lying_small = sheet_xml(f'<row r="9"><c r="J9" {X}</c></row>', before='<dimension ref="A1:A1"/>')
    assert (scan_worksheet(lying_big).rows, scan_worksheet(lying_big).cols) == (1, 1)
    assert (scan_worksheet(lying_small).rows, scan_worksheet(lying_small).cols) == (9, 10)


def test_a_cell_in_a_comment_or_cdata_is_no_cell():
    for rows_xml in (f'<row r="1"><c r="A1" {X}</c><!-- <c r="XFD1048576"/> --></row>',
                     '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<c r="ZZ9">]]></t></is></c></row>'):
        xml = sheet_xml(rows_xml)
        assert (scan_worksheet(xml).rows, scan_worksheet(xml).cols) == (1, 1)
        assert _fast_scan(xml, np.zeros(0, np.int64)) is None  # read by expat
        assert sandbox.run("sandbox_helpers:calamine_grid", raw_xlsx(xml)) == (1, 1)


@pytest.mark.parametrize("rows_xml", [
    f'<row r="1"><c r="$C$2" {X}</c></row>',
    f'<row r="1"><c r="A0" {X}</c></row>',
    f'<row r="1"><c r=" D4 " {X}</c></row>',
    f'<row r="x"><c {X}</c></row>',
    f'<row r="1"><c r="A1" r="H8" {X}</c></row>',
    '<row r="1"><c r="A1" t="s"><v>abc</v></c></row>',
])
def test_references_calamine_refuses_make_the_file_corrupt(rows_xml):
    with pytest.raises(MalformedXml):
        scan_worksheet(sheet_xml(rows_xml))


def test_shared_strings_are_counted_in_every_cell_that_uses_them():
    table = scan_shared_strings(shared_strings(["x" * 2000, "ab"]))
    assert table.lengths.tolist() == [2000, 2] and table.declared == 2
    cells = "".join(f'<c r="{col}1" t="s"><v>0</v></c>' for col in "ABCDEFGHIJ")
    xml = sheet_xml(f'<row r="1">{cells}<c r="K1" t="s"><v>1</v></c></row>')
    exact = _expat_scan(xml, table.lengths)
    assert exact.text_chars == 10 * 2000 + 2
    assert scan_worksheet(xml, table).text_chars >= exact.text_chars
    with pytest.raises(MalformedXml):  # an index past the table
        scan_worksheet(sheet_xml('<row r="1"><c r="A1" t="s"><v>5</v></c></row>'), table)


def test_shared_string_table_unique_count_wherever_it_sits():
    late = shared_strings(["a"], unique_count=" " * 5000 + ' uniqueCount="4000000000"')
    assert scan_shared_strings(late).declared == 4_000_000_000
    rich = (b'<sst xmlns="m"><si><r><t>ab</t></r><r><t>cd</t></r><rPh><t>zz</t></rPh></si></sst>')
    assert scan_shared_strings(rich).lengths.tolist() == [4]  # phonetic runs left out


def test_ods_repeats_count_every_repeat_and_spaces():
    content = (b'<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x">'
               b'<table:table><table:table-row table:number-rows-repeated="1000">'
               b'<table:table-cell office:value-type="string" table:number-columns-repeated="100">'
               b'<text:p>abc<text:s text:c="500"/></text:p></table:table-cell></table:table-row>'
               b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
               b'table:number-columns-repeated="1024"/></table:table-row></table:table>'
               b'</office:document-content>')
    scan = scan_ods_content(content)
    assert (scan.rows, scan.cols) == (1000, 100)  # the empty padding does not count
    assert scan.text_chars >= 1000 * 100 * 503


# --- the fast path agrees with the tokenizer ------------------------------------------------

def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_CELL = st.tuples(st.integers(1, 2000), st.integers(1, 800),
                  st.sampled_from(["s", "inlineStr", "n", "e", "str", "f"]),
                  st.integers(0, 3), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(_CELL, max_size=40), st.lists(st.integers(0, 300), min_size=4, max_size=4))
def test_the_fast_path_agrees_with_expat_on_the_common_spelling(cells, lengths):
    """Random sheets as Excel writes them: both paths give the same extent, cells and
    marks; the fast path's text is an upper bound of expat's."""
    table = np.array(lengths, dtype=np.int64)
    rows_xml = []
    for row, col, kind, index, styled in sorted(cells):
        ref = f"{_column(col)}{row}"
        style = ' s="3"' if styled else ""
        body = {"s": f' t="s"><v>{index}</v></c>',
                "inlineStr": f' t="inlineStr">{inline("y" * index)}</c>',
                "n": f"><v>{index}.5</v></c>", "e": ' t="e"><v>#N/A</v></c>',
                "str": ' t="str"><f>A1</f><v>ab</v></c>', "f": "><f>SUM(A1)</f></c>"}[kind]
        rows_xml.append(f'<row r="{row}"><c r="{ref}"{style}{body}</row>')
    xml = sheet_xml("".join(rows_xml))
    fast, exact = _fast_scan(xml, table), _expat_scan(xml, table)
    assert fast is not None
    assert (fast.rows, fast.cols, fast.cells) == (exact.rows, exact.cols, exact.cells)
    assert fast.marks.errors == exact.marks.errors
    assert sorted(fast.marks.formulas_without_value) == sorted(exact.marks.formulas_without_value)
    assert fast.text_chars >= exact.text_chars


@pytest.mark.parametrize("rows_xml", [spelling[1] for spelling in SPELLINGS[3:]])
def test_the_fast_path_declines_every_other_spelling(rows_xml):
    fast = _fast_scan(sheet_xml(rows_xml), np.zeros(0, np.int64))
    exact = _expat_scan(sheet_xml(rows_xml), np.zeros(0, np.int64))
    assert fast is None or (fast.rows, fast.cols) == (exact.rows, exact.cols)
