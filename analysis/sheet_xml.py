"""What the XML of a workbook says before any parser lays it out (SPEC §2.3): how far
the cells of a worksheet reach and how much text they hold once shared strings are
expanded, Excel error values and formula cells with no saved value (calamine returns
both as empty), the shared-string table, and the tables of an .ods.

Why: calamine lays a sheet out as a dense grid from the cells' positions, copies a
shared string into every cell that uses it, and repeats an .ods cell as often as its
`number-columns-repeated` says. A 5 KB file can so ask for gigabytes. The budgets of
`ReadSettings` are checked against these scans before calamine runs (`file_safety`);
the operating-system limits of `sandbox` stop whatever a scan cannot foresee.

Every position follows calamine's own rules (checked against python-calamine 0.9):
elements are matched by their local name (`<x:c>` is a cell, whatever its prefix or
namespace), attributes by their exact name (`r`, not `x:r`); a cell without `r` sits
one column right of the cell before it in the same row element; a row without `r` is
the one after the previous row element; references may be lower case (`xfd99000`);
`<dimension>` is never trusted (calamine does not read it, nor does this scan).

Two ways to the same answer (`scan_worksheet`):
- the reference: expat, a real XML tokenizer, over the whole part (~1.2 µs per element:
  about 3 s for a 100 000-row sheet);
- a fast path for the spelling spreadsheet programs write (Excel, LibreOffice,
  openpyxl, xlsxwriter: `<c r="A1" s="1" t="s">`, attributes in that order). It is
  taken only when a few bulk regular-expression passes prove that every cell element
  of the part has exactly that form; anything else (another attribute order, spaces
  around `=`, a cell without `r`, a prefix, an entity in a reference) goes to expat.
  tests/test_sheet_xml.py checks the two agree.

Positions are 0-based (row, column); row index i is Excel row i + 1.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from xml.parsers import expat

import numpy as np
from defusedxml import ElementTree


class MalformedXml(ValueError):
    """A part no spreadsheet program would write and calamine would refuse or misread."""


@dataclass
class CellMarks:
    """Cells whose value calamine returns as empty, though the file says more."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "#N/A"
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SheetScan:
    rows: int  # rows the cells reach (the last cell's Excel row number; 0: no cell)
    cols: int  # columns they reach (1 = A)
    cells: int  # cell elements
    text_chars: int  # characters of the cells' text, shared strings expanded (an upper
    # bound when `exact_text` is False: the fast path counts the part's bytes instead of
    # the text of inline strings)
    exact_text: bool
    marks: CellMarks
    text_floor: int = 0  # characters known for sure (the shared strings' copies)


@dataclass
class SharedStrings:
    """The shared-string table: characters of each item, and the count it declares."""

    lengths: np.ndarray  # int64, one per <si>
    declared: int | None  # its uniqueCount attribute (calamine reserves that many)

    @property
    def text_chars(self) -> int:
        return int(self.lengths.sum())

    def widest(self, other: SharedStrings) -> SharedStrings:
        """Two tables in one file (which one calamine reads is its own business):
        each item as long as the longer of the two."""
        size = max(len(self.lengths), len(other.lengths))
        lengths = np.zeros(size, dtype=np.int64)
        lengths[:len(self.lengths)] = self.lengths
        lengths[:len(other.lengths)] = np.maximum(lengths[:len(other.lengths)], other.lengths)
        return SharedStrings(lengths, max(self.declared or 0, other.declared or 0) or None)


# --- references ------------------------------------------------------------------------

_REFERENCE = re.compile(r"([A-Za-z]+)([0-9]+)")
_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_DIGITS = b"0123456789"


def _column_number(letters: str | bytes) -> int:
    """"A" -> 1, "xfd" -> 16384 (any case, any length)."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        number = number * 26 + (ord(letter) - 64)
    return number


def _parse_reference(ref: str) -> tuple[int, int]:
    """"C5" -> (4, 2). Raises MalformedXml as calamine refuses it ("$C$5", "A0", " C5")."""
    match = _REFERENCE.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise MalformedXml("cell reference")
    return int(match.group(2)) - 1, _column_number(match.group(1)) - 1


def cell_name(row: int, col: int) -> str:
    """(0-based row, col) -> "C5"."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


# --- worksheets -------------------------------------------------------------------------

def scan_worksheet(content: bytes, shared: SharedStrings | None = None,
                   text_budget: int | None = None) -> SheetScan:
    """How far the cells reach, how much text they hold (shared strings expanded
    with `shared`), and their marks. `text_budget`: when the fast path cannot tell
    whether the text is within it (its bound of the inline text is over, its exact
    copies of shared strings are not), expat counts the text exactly: a sheet is judged
    on its real text, whichever path reads it. Raises MalformedXml."""
    lengths = shared.lengths if shared is not None else np.zeros(0, dtype=np.int64)
    scan = _fast_scan(ascii_compatible(content), lengths)
    undecided = text_budget is not None and scan is not None and \
        scan.text_floor <= text_budget < scan.text_chars
    if scan is None or undecided:
        scan = _expat_scan(content, lengths)
    return scan


# The fast path's grammar: a cell tag as spreadsheet programs write it (its reference).
_COMMON_CELL = re.compile(
    rb'<c r="([A-Za-z]{1,3}[1-9][0-9]{0,6})"(?: s="[0-9]{1,6}")?(?: t="[a-zA-Z]{1,9}")?'
    rb'(?: cm="[0-9]{1,6}")?(?: vm="[0-9]{1,6}")?(?: ph="[01]")?/?>')
_PREFIXED_CELL = re.compile(rb":(?:c|sheetData)[\s/>]")
_SHARED_CELL = re.compile(
    rb'<c r="[A-Za-z]{1,3}[1-9][0-9]{0,6}"(?: s="[0-9]{1,6}")? t="s"(?: cm="[0-9]{1,6}")?'
    rb'(?: vm="[0-9]{1,6}")?(?: ph="[01]")?(?:/>|><v>([0-9]{1,10})</v></c>)')


def _fast_scan(xml: bytes, lengths: np.ndarray) -> SheetScan | None:
    """The scan of a part written in the common spelling, or None when it is not.

    Sound because calamine reads only the cells inside <sheetData>, and there every tag
    whose name starts with "c" must be a whole common cell tag: one count of `<c`
    against the tags `_COMMON_CELL` matches, so there is no second `r`, no entity, no
    other attribute or spelling. A prefixed cell (`:c`), a second or prefixed
    <sheetData>, rich inline text (`<color>`) and every other spelling go to expat; so
    does a comment or CDATA section (`<!`), which could only add look-alike cells, so
    that a sheet is judged the same whichever path reads it. All cells carry their own
    position, so rows do not matter."""
    start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    if start < 0 or end < start or b"<!" in xml or xml.count(b"<sheetData") > 1 or \
            _PREFIXED_CELL.search(xml):
        return None
    refs = _COMMON_CELL.findall(xml, start, end)
    if xml.count(b"<c", start, end) != len(refs):
        return None
    rows = cols = 0
    if refs:
        joined = b" ".join(refs)
        cols = max(_column_number(word) for word in set(joined.translate(None, _DIGITS).split()))
        rows = int(np.fromstring(joined.translate(None, _LETTERS), dtype=np.int64, sep=" ").max())
    copies = 0  # the shared strings' copies: exact
    if xml.find(b' t="s"', start, end) >= 0:
        values = _SHARED_CELL.findall(xml, start, end)
        if len(values) != xml.count(b' t="s"', start, end):
            return None
        copies = _expanded(np.array([int(v) for v in values if v], dtype=np.int64), lengths)
    # The part's bytes bound its inline text from above (exact: expat).
    return SheetScan(rows, cols, len(refs), copies + len(xml), False, _fast_marks(xml), copies)


def _expanded(indexes: np.ndarray, lengths: np.ndarray) -> int:
    """Characters the shared-string cells hold once each gets its own copy."""
    if not len(indexes):
        return 0
    if int(indexes.max()) >= len(lengths):  # calamine refuses such a file
        raise MalformedXml("shared string index")
    return int(lengths[indexes].sum())


class _SheetTokens:
    """expat handlers: positions as calamine lays them out, text, marks."""

    def __init__(self, lengths: np.ndarray):
        self.lengths = lengths
        self.row = -1  # the current row element's index
        self.next_col = 0
        self.rows = self.cols = self.cells = self.text = 0
        self.marks = CellMarks()
        self.shared: list[int] = []
        self.cell: tuple[int, int] | None = None  # position of the open cell
        self.cell_type = "n"
        self.has_formula = False
        self.value: list[str] | None = None  # text of the cell's <v>, None: no <v>
        self.reading: str | None = None  # "v" or "t" while inside one of them
        self.skip = 0  # depth inside <rPh> (phonetic runs calamine leaves out)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            r = attrs.get("r")
            if r is not None and not (r.isascii() and r.isdigit()):
                raise MalformedXml("row number")
            self.row = int(r) - 1 if r is not None else self.row + 1
            self.next_col = 0
        elif local == "c":
            ref = attrs.get("r")
            row, col = _parse_reference(ref) if ref is not None else (max(self.row, 0), self.next_col)
            self.next_col = col + 1
            self.cells += 1
            self.rows, self.cols = max(self.rows, row + 1), max(self.cols, col + 1)
            self.cell, self.cell_type = (row, col), attrs.get("t", "n")
            self.has_formula, self.value = False, None
        elif self.cell is not None:
            if local == "rPh":
                self.skip += 1
            elif local == "f":
                self.has_formula = True
            elif local == "v":
                self.reading, self.value = "v", []
            elif local == "t" and not self.skip:
                self.reading = "t"

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local in ("v", "t"):
            self.reading = None
        elif local == "rPh":
            self.skip -= 1
        elif local == "c" and self.cell is not None:
            self._end_cell()

    def chars(self, data: str) -> None:
        if self.reading == "v":
            self.value.append(data)
        elif self.reading == "t":
            self.text += len(data)

    def _end_cell(self) -> None:
        value = "".join(self.value) if self.value is not None else None
        if self.cell_type == "s" and value is not None and value.strip():
            if not (value.strip().isascii() and value.strip().isdigit()):
                raise MalformedXml("shared string index")
            self.shared.append(int(value))
        elif self.cell_type == "e":
            self.marks.errors[self.cell] = value.strip() if value is not None else "#N/A"
        elif value is not None and self.cell_type not in ("n", "b", "d"):
            self.text += len(value)  # a formula's text result (t="str")
        if self.has_formula and not value and self.cell_type not in ("str", "inlineStr", "e"):
            self.marks.formulas_without_value.append(self.cell)
        self.cell = None


def _expat_scan(content: bytes, lengths: np.ndarray) -> SheetScan:
    tokens = _SheetTokens(lengths)
    _parse(content, tokens.start, tokens.end, tokens.chars)
    text = tokens.text + _expanded(np.array(tokens.shared, dtype=np.int64), lengths)
    return SheetScan(tokens.rows, tokens.cols, tokens.cells, text, True, tokens.marks, text)


def _parse(content: bytes, start, end=None, chars=None) -> None:
    """Run expat over `content` (its own encoding declaration and byte order mark
    decide the encoding). Entity and DOCTYPE declarations are refused by
    `file_safety` before; should one get here, the parse stops at it."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(content, True)
    except expat.ExpatError:
        raise MalformedXml("not well-formed") from None


def _refuse_declaration(*_args) -> None:
    raise MalformedXml("declaration")


# --- error values and formulas without value, in the common spelling ------------------

_FORMULA_START = re.compile(rb"<(?:[A-Za-z]\w*:)?f[\s>/]")
_ERROR_TYPE = re.compile(rb"\st=[\"']e[\"']")
_FORMULA_END = re.compile(rb"</f")
_ERROR_TYPE_DOUBLE_QUOTE = re.compile(rb't="e')
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_ATTR = re.compile(rb"([\w:]+)\s*=\s*[\"']([^\"']*)[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")


def _fast_marks(xml: bytes) -> CellMarks:
    """Error cells (t="e") and formula cells without a saved value, for a part whose
    cells all carry a reference (the fast path's condition).

    Only cells near a formula or an error type are looked at, and a sheet with
    neither costs a few fast substring searches."""
    marks = CellMarks()
    starts: set[int] = set()
    if _FORMULA_END.search(xml):
        starts |= {xml.rfind(b"<", 0, m.start()) for m in _FORMULA_START.finditer(xml)}
    if _ERROR_TYPE_DOUBLE_QUOTE.search(xml):
        starts |= {xml.rfind(b"<", 0, m.start()) for m in _ERROR_TYPE.finditer(xml)}
    for start in sorted(s for s in starts if s >= 0):
        cell = _CELL.match(xml, start)
        if cell is None:
            continue
        attrs = dict(_ATTR.findall(cell.group(1)))
        try:
            position = _parse_reference(attrs.get(b"r", b"").decode("ascii", "replace"))
        except MalformedXml:
            continue
        inner = cell.group(2) or b""
        value = _VALUE.search(inner)
        cell_type = attrs.get(b"t", b"n")
        if cell_type == b"e":
            marks.errors[position] = (value.group(1).decode("utf-8", "replace").strip()
                                      if value else "#N/A")
        elif _FORMULA_START.search(inner) and (value is None or not value.group(1)) and \
                cell_type not in (b"str", b"inlineStr"):
            marks.formulas_without_value.append(position)
    return marks


# --- the shared-string table -----------------------------------------------------------

class _StringTokens:
    def __init__(self):
        self.lengths: list[int] = []
        self.declared: int | None = None
        self.depth = 0
        self.in_text = False
        self.skip = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if self.depth == 0:
            count = attrs.get("uniqueCount")
            if count is not None:
                count = count.strip()
                self.declared = int(count) if count.isascii() and count.isdigit() else None
        self.depth += 1
        if local == "si":
            self.lengths.append(0)
        elif local == "rPh":
            self.skip += 1
        elif local == "t" and self.lengths and not self.skip:
            self.in_text = True

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        self.depth -= 1
        if local == "t":
            self.in_text = False
        elif local == "rPh":
            self.skip -= 1

    def chars(self, data: str) -> None:
        if self.in_text:
            self.lengths[-1] += len(data)


def scan_shared_strings(content: bytes) -> SharedStrings:
    """Each item's characters (its runs joined, phonetic runs left out, as calamine
    reads it) and the declared `uniqueCount`, wherever it sits in the root tag."""
    tokens = _StringTokens()
    _parse(content, tokens.start, tokens.end, tokens.chars)
    return SharedStrings(np.array(tokens.lengths, dtype=np.int64), tokens.declared)


# --- which member holds which sheet --------------------------------------------------

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS_PART = "xl/_rels/workbook.xml.rels"

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook_targets(parts: dict[str, bytes]) -> tuple[dict[str, str], list[str]]:
    """(sheet name -> zip member of its XML, members of shared-string tables), from
    workbook.xml and its relationships; a member may have any name (`sheet1.bin`)."""
    workbook_path = next((p for p in parts if p.lower() == WORKBOOK_PART), None)
    rels_path = next((p for p in parts if p.lower() == WORKBOOK_RELS_PART), None)
    if workbook_path is None or rels_path is None:
        return {}, []
    try:
        workbook = ElementTree.fromstring(parts[workbook_path])
        rels = ElementTree.fromstring(parts[rels_path])
    except Exception:
        return {}, []
    targets, strings = {}, []
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        targets[rel.get("Id")] = target
        if rel.get("Type", "").endswith("/sharedStrings"):
            strings.append(target)
    paths = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rel_id = element.get(f"{{{_REL_NS}}}id")
            if element.get("name") is not None and rel_id in targets:
                paths[element.get("name")] = targets[rel_id]
    return paths, strings


def sheet_paths(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> zip member of its XML."""
    return workbook_targets(parts)[0]


# --- encodings ------------------------------------------------------------------------

# XML in UTF-32 or UTF-16 (with a byte order mark, or recognised from how "<" is
# written, as the XML standard's appendix F does): "<!DOCTYPE" is not in its bytes.
_WIDE_ENCODINGS = ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"),
                   (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                   (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"),
                   (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"))


def ascii_compatible(content: bytes) -> bytes:
    """An XML member as UTF-8 when it is written in UTF-16/32, so byte searches see
    its markup; any other member as it is."""
    for mark, encoding in _WIDE_ENCODINGS:
        if content.startswith(mark):
            return content.decode(encoding, errors="replace").encode("utf-8")
    return content


# --- .ods: repeated rows and cells ----------------------------------------------------

@dataclass
class OdsScan:
    rows: int  # rows the valued cells of the largest table reach, repeats included
    cols: int
    text_chars: int  # characters of all cells, each repeat counted
    grid_cells: int = 0  # cells of all tables' grids (calamine lays out every table)


class _OdsTokens:
    """A row or cell may say "repeated 1048576 times": calamine lays repeated values
    out one by one. Empty repeats (LibreOffice's padding to the sheet's end) do not
    count. Attributes are matched by local name and every spelling of a repeat counts,
    so the scan can only overestimate."""

    def __init__(self):
        self.height = self.width = self.text = self.grid_cells = 0
        self.table_height = self.table_width = 0
        self.row_pos = self.repeat = self.col_pos = self.row_width = 0
        self.row_text = 0  # characters of the current row (its cells' repeats counted)
        self.row_has_value = False
        self.cell_repeat = self.cell_text = 0
        self.cell_valued = self.in_cell = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "table":
            self.end_table()
            self.row_pos = 0
        elif local == "table-row":
            self.repeat = _repeat(attrs, "number-rows-repeated")
            self.col_pos = self.row_width = self.row_text = 0
            self.row_has_value = False
        elif local in ("table-cell", "covered-table-cell"):
            self.cell_repeat = _repeat(attrs, "number-columns-repeated")
            self.in_cell = True
            self.cell_text = sum(len(v) for k, v in attrs.items()
                                 if k.rpartition(":")[2].endswith("value"))
            self.cell_valued = any(k.rpartition(":")[2] == "value-type" for k in attrs)
        elif local == "s" and self.in_cell:  # <text:s text:c="1000"/>: that many spaces
            self.cell_text += max((_number(v) for k, v in attrs.items()
                                   if k.rpartition(":")[2] == "c"), default=1)
        elif local == "p" and self.in_cell:  # text in a cell, even without a value type
            self.cell_valued = True

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local in ("table-cell", "covered-table-cell"):
            self.col_pos += self.cell_repeat
            if self.cell_valued:
                self.row_width, self.row_has_value = self.col_pos, True
                self.row_text += self.cell_text * self.cell_repeat
            self.in_cell = False
        elif local == "table-row":
            if self.row_has_value:
                self.table_height = max(self.table_height, self.row_pos + self.repeat)
                self.table_width = max(self.table_width, self.row_width)
                self.text += self.row_text * self.repeat
            self.row_pos += self.repeat

    def chars(self, data: str) -> None:
        if self.in_cell:
            self.cell_text += len(data)

    def end_table(self) -> None:
        self.height, self.width = max(self.height, self.table_height), max(self.width, self.table_width)
        self.grid_cells += self.table_height * self.table_width
        self.table_height = self.table_width = 0


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else 1


def _repeat(attrs: dict[str, str], local_name: str) -> int:
    return max((_number(v) for k, v in attrs.items() if k.rpartition(":")[2] == local_name),
               default=1)


def scan_ods_content(content: bytes) -> OdsScan:
    """(rows, columns) the valued cells of an .ods reach and the text they hold, every
    repeat counted. Raises MalformedXml."""
    tokens = _OdsTokens()
    _parse(content, tokens.start, tokens.end, tokens.chars)
    tokens.end_table()
    return OdsScan(tokens.height, tokens.width, tokens.text, tokens.grid_cells)
