"""Whole-file checks on uploaded bytes, before any parser sees them (SPEC §2.1, §2.3).

The format is decided from the bytes, never from the file name. A refused file
raises `Unreadable` with the plain Vietnamese message for the user (CLI exit 2).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from analysis import messages
from analysis.model import ReadSettings, Unreadable  # noqa: F401 (Unreadable: imported from here too)
from analysis.sheet_xml import (
    WORKBOOK_PART,
    WORKBOOK_RELS_PART,
    MalformedXml,
    OdsScan,
    SharedStrings,
    SheetScan,
    ascii_compatible,
    scan_ods_content,
    scan_shared_strings,
    scan_worksheet,
    workbook_targets,
)

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!",
                  b"7z\xbc\xaf", b"BM", b"MZ", b"\x7fELF")

MAX_ZIP_MEMBERS = 10_000
# calamine lays a sheet out as a dense rows x columns grid, one Python object per cell
# (a valued one costs ~130 bytes: 9 million repeated .ods cells took 1,2 GB); a tiny
# file with one cell at XFD1048576 would need billions. The grid's size is a setting
# (`ReadSettings.max_sheet_cells`), and an upload's sheet may reach at most this many
# rows beyond its row limit (title, blank and signature rows). Both are checked from
# the XML (the CSV records) before the grid is built.
EXTRA_ROWS = 1_000
MAX_COLUMNS = 16_384  # Excel's last column (XFD); a CSV record may not be wider
# A member is judged by its compression ratio only from this size on: small XML parts
# (styles, repeated shared strings) legitimately compress very well.
RATIO_CHECK_FROM_BYTES = 1024 * 1024
# calamine reserves memory for the `uniqueCount` a shared-string table declares: it
# may say a little more than the table holds, not billions.
DECLARED_STRINGS_SLACK = 1_000
_ENTITY_DECLARATION = re.compile(rb"<!(?i:doctype|entity)")


@dataclass
class CheckedFile:
    kind: str  # XLSX, XLS, ODS or CSV
    sheet_paths: dict[str, str] = field(default_factory=dict)  # xlsx: sheet name -> member
    sheet_scans: dict[str, SheetScan] = field(default_factory=dict)  # xlsx: member -> its scan
    ods: OdsScan | None = None  # ods: how far its valued cells reach, and their text
    text: str | None = None  # csv: the decoded text


def check_file(data: bytes, settings: ReadSettings) -> CheckedFile:
    """Decide the format from the bytes and refuse what must not be parsed."""
    if len(data) > settings.max_bytes:
        raise Unreadable(messages.TOO_LARGE.format(size=_size(len(data)),
                                                   limit=_size(settings.max_bytes)))
    if not data.strip(b" \t\r\n\x00") or data.strip() in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        raise Unreadable(messages.EMPTY_FILE)
    if data.startswith(ZIP_MAGIC) or data.startswith(EMPTY_ZIP_MAGIC):
        return _check_zip(data, settings)
    if data.startswith(OLE2_MAGIC):
        return _check_ole2(data)
    text = _check_text(data)
    check_text_size(len(text), settings)
    return CheckedFile(CSV, text=text)


def check_extent(rows: int, cols: int, settings: ReadSettings) -> None:
    """A sheet reaching row `rows` and column `cols` must fit one upload (its row limit,
    when there is one) and the cell budget of a grid."""
    if settings.row_limit is not None and rows > settings.row_limit + EXTRA_ROWS:
        raise Unreadable(messages.SHEET_TOO_LARGE.format(rows=rows, cols=cols))
    if rows * cols > settings.max_sheet_cells:
        raise Unreadable(messages.SHEET_TOO_MANY_CELLS.format(
            rows=rows, cols=cols, cells=thousands(rows * cols),
            limit=thousands(settings.max_sheet_cells)))


def check_cells_total(cells: int, settings: ReadSettings) -> None:
    """The grids of all sheets together (the reader lays out every visible sheet)."""
    if cells > settings.max_sheet_cells:
        raise Unreadable(messages.TOO_MANY_CELLS_TOTAL.format(
            cells=thousands(cells), limit=thousands(settings.max_sheet_cells)))


def check_text_size(chars: int, settings: ReadSettings) -> None:
    """The text of the cells, a shared string counted in every cell that uses it."""
    if chars > settings.max_text_chars:
        raise Unreadable(messages.TEXT_TOO_LARGE.format(
            chars=thousands(chars), limit=thousands(settings.max_text_chars)))


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese grouping: 16.384


# --- zip containers: xlsx, ods --------------------------------------------------------

def _check_zip(data: bytes, settings: ReadSettings) -> CheckedFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # BadZipFile, NotImplementedError (compression method), EOFError...
        raise Unreadable(messages.CORRUPT) from None
    _check_zip_sizes(infos, settings)
    if any(info.flag_bits & 0x1 for info in infos):
        raise Unreadable(messages.PASSWORD)
    names = {info.filename for info in infos}
    lower = {name.lower() for name in names}
    bomb = messages.ZIP_BOMB.format(limit=_size(settings.max_uncompressed_bytes))
    kind = _zip_kind(archive, names, bomb)
    if any(name.endswith("vbaproject.bin") for name in lower) or (
            kind == ODS and any(n.startswith(("basic/", "scripts/")) for n in lower)):
        raise Unreadable(messages.MACROS)
    checked = CheckedFile(kind)
    _read_members(archive, infos, checked, settings, bomb)
    return checked


def _check_zip_sizes(infos: list[zipfile.ZipInfo], settings: ReadSettings) -> None:
    """Zip bomb guard on the central directory, before anything is decompressed."""
    limit = messages.ZIP_BOMB.format(limit=_size(settings.max_uncompressed_bytes))
    if len(infos) > MAX_ZIP_MEMBERS:
        raise Unreadable(limit)
    if sum(info.file_size for info in infos) > settings.max_uncompressed_bytes:
        raise Unreadable(limit)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECK_FROM_BYTES and ratio > settings.max_compression_ratio:
            raise Unreadable(limit)


def _zip_kind(archive: zipfile.ZipFile, names: set[str], bomb: str) -> str:
    try:
        if "mimetype" in names:
            mimetype = _read_member(archive, archive.getinfo("mimetype"), bomb)[:200]
            if b"opendocument.spreadsheet" in mimetype:
                return ODS
            raise Unreadable(messages.NOT_SPREADSHEET)
        if "[Content_Types].xml" in names:
            types = ascii_compatible(
                _read_member(archive, archive.getinfo("[Content_Types].xml"), bomb))
            if _ENTITY_DECLARATION.search(types):
                raise Unreadable(messages.XML_ENTITIES)
            if b"macroEnabled" in types:
                raise Unreadable(messages.MACROS)
            if b"spreadsheetml.sheet.main" in types or b"spreadsheetml.template.main" in types:
                return XLSX
            if b"sheet.binary" in types:
                raise Unreadable(messages.UNSUPPORTED_FORMAT)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError):
        raise Unreadable(messages.CORRUPT) from None
    except Exception as exc:  # zlib.error and friends: a damaged member
        if isinstance(exc, Unreadable):
            raise
        raise Unreadable(messages.CORRUPT) from None
    raise Unreadable(messages.NOT_SPREADSHEET)


def _read_members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                  checked: CheckedFile, settings: ReadSettings, bomb: str) -> None:
    """Decompress every member (sizes were bounded above, and `_read_member` inflates
    no more than a member declares), refuse entity declarations in any of them (a
    parser may read a member of any name as XML), and scan what calamine will lay out:
    the worksheets (found through the workbook's relationships whatever their member is
    called, and any other member holding a `sheetData`), their shared strings, the
    tables of an .ods. Each scan is checked against the budgets at once, so no sheet
    XML is kept."""
    workbook_parts = {i.filename: ascii_compatible(_read_member(archive, i, bomb)) for i in infos
                      if i.filename.lower() in (WORKBOOK_PART, WORKBOOK_RELS_PART)}
    tables: list[str] = []
    if checked.kind == XLSX:
        checked.sheet_paths, tables = workbook_targets(workbook_parts)
    worksheets, string_tables = set(checked.sheet_paths.values()), set(tables)

    def is_string_table(name: str) -> bool:
        return name in string_tables or name.lower().endswith("sharedstrings.xml")

    # The shared strings before the sheets that use them.
    members = sorted((i for i in infos if not i.is_dir()),
                     key=lambda i: not is_string_table(i.filename))
    shared: SharedStrings | None = None
    text = 0  # characters of the cells scanned so far (shared strings expanded), and tables
    cells = 0  # cells of the grids of the sheets scanned so far
    for info in members:
        raw = _read_member(archive, info, bomb)
        content = ascii_compatible(raw)
        # "!" is rare in sheet XML and found at memchr speed: the regex runs only then.
        if b"!" in content and _ENTITY_DECLARATION.search(content):
            raise Unreadable(messages.XML_ENTITIES)
        name = info.filename
        try:
            if checked.kind == ODS:
                if name == "content.xml":
                    checked.ods = scan_ods_content(raw)
                    check_extent(checked.ods.rows, checked.ods.cols, settings)
                    check_cells_total(checked.ods.grid_cells, settings)
                    check_text_size(checked.ods.text_chars, settings)
            elif name in workbook_parts:
                continue
            elif is_string_table(name):
                table = scan_shared_strings(raw)
                if table.declared is not None and \
                        table.declared > len(table.lengths) + DECLARED_STRINGS_SLACK:
                    raise Unreadable(messages.CORRUPT)
                shared = table if shared is None else shared.widest(table)
                text += table.text_chars
                check_text_size(text, settings)
            elif name in worksheets or b"sheetData" in content:
                remaining = settings.max_text_chars - text
                scan = scan_worksheet(raw, shared, text_budget=remaining)
                check_extent(scan.rows, scan.cols, settings)
                cells += scan.rows * scan.cols
                check_cells_total(cells, settings)
                # Within the budget, its bound counts on; over it, what is known for sure
                # (the message then states a real count).
                text += scan.text_chars if scan.text_chars <= remaining else scan.text_floor
                check_text_size(text, settings)
                checked.sheet_scans[name] = scan
        except MalformedXml:
            raise Unreadable(messages.CORRUPT) from None


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... file name length, extra length


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, bomb: str) -> bytes:
    """A member's content, inflating at most its declared size + 1 byte.

    `archive.read` would inflate a member whose headers lie about its size (6 KB
    declared, 2 GB inside) in full before the CRC check fails; here more than the
    declared size is a zip bomb (`bomb`: its message), a deflate stream that does
    not end right there is corrupt, and so is a CRC mismatch."""
    try:
        if info.compress_type == zipfile.ZIP_DEFLATED:
            content = _inflate_bounded(archive, info, bomb)
        elif info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise Unreadable(messages.CORRUPT)  # stored bytes are as many as they say
        else:  # stored (or a rare method zipfile knows): its reader stops at the declared size
            with archive.open(info) as member:
                content = member.read(info.file_size + 1)
    except Unreadable:
        raise
    except Exception:  # BadZipFile (CRC), zlib.error, EOFError: damaged or truncated
        raise Unreadable(messages.CORRUPT) from None
    if len(content) > info.file_size:
        raise Unreadable(bomb)
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise Unreadable(messages.CORRUPT)
    return content


def _inflate_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, bomb: str) -> bytes:
    source = archive.fp
    source.seek(info.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(source.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise Unreadable(messages.CORRUPT)
    source.seek(name_length + extra_length, io.SEEK_CUR)
    compressed = source.read(info.compress_size)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    content = inflater.decompress(compressed, info.file_size + 1)
    if len(content) > info.file_size:
        raise Unreadable(bomb)
    if not inflater.eof:  # the stream goes on past the declared size, or is cut short
        raise Unreadable(messages.CORRUPT)
    return content


# --- OLE2 containers: .xls, encrypted OOXML -----------------------------------------

def _check_ole2(data: bytes) -> CheckedFile:
    # Directory entry names are stored as UTF-16LE; a password-protected xlsx is an
    # OLE2 file holding "EncryptionInfo" and "EncryptedPackage" streams.
    if _ole_name("EncryptedPackage") in data or _ole_name("EncryptionInfo") in data:
        raise Unreadable(messages.PASSWORD)
    if _ole_name("_VBA_PROJECT_CUR") in data:
        raise Unreadable(messages.MACROS)
    if _ole_name("Workbook") in data or _ole_name("Book") in data:
        return CheckedFile(XLS)
    if len(data) < 1536:
        raise Unreadable(messages.CORRUPT)
    raise Unreadable(messages.NOT_SPREADSHEET)


def _ole_name(name: str) -> bytes:
    return name.encode("utf-16-le")


# --- text: CSV ----------------------------------------------------------------------

def _check_text(data: bytes) -> str:
    head = data[:8192]
    if head.startswith(_BINARY_MAGICS):
        raise Unreadable(messages.NOT_SPREADSHEET)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable(messages.NOT_SPREADSHEET) from None
    else:
        controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13, 12))
        if b"\x00" in head or controls > len(head) // 100:
            raise Unreadable(messages.NOT_SPREADSHEET)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Unreadable(messages.NOT_UTF8) from None
    start = text.lstrip()[:1]
    if start in ("<", "{", "["):  # HTML/XML (e.g. an "Excel" web page), JSON
        raise Unreadable(messages.NOT_SPREADSHEET)
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        raise Unreadable(messages.EMPTY_FILE)
    if not any(sep in line for line in lines for sep in (",", ";", "\t")):
        raise Unreadable(messages.NOT_SPREADSHEET)
    return text


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{n / 1024:.0f} KB"
