"""Whole-file refusals (SPEC §2.3 "Errors for the whole file", §5 exit 2): each has its
own plain message and a single problem with "row": null; the format is decided from
the bytes, never from the name."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from analysis import messages, sandbox
from analysis.model import ReadSettings
from analysis.reading import read_task_log
from workbooks import first_sheet_xml, rezip, task, task_xlsx


def refused(data: bytes, name: str = "log.xlsx", settings: ReadSettings | None = None) -> str:
    """The message of a file refused as a whole, read as every upload is: in the
    limited child of the sandbox (a file that makes calamine abort is a refusal too)."""
    result = sandbox.read_task_log(data, name, settings=settings)
    assert result.unreadable, result.report()
    assert not result.ok
    assert result.tasks is None
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.row, problem.severity) == (None, "error")
    assert result.report()["errors"][0]["row"] is None
    return problem.message


def test_valid_workbook_is_not_refused():
    result = read_task_log(task_xlsx(task()), "log.xlsx")
    assert not result.unreadable and result.ok, result.report()


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_file(data):
    assert refused(data) == messages.EMPTY_FILE


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",  # a PDF named .xlsx
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "<html><body><table><tr><td>Mã nhiệm vụ</td></tr></table></body></html>".encode(),
    b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
    b'{"task_id": "NV-1"}',
    "Báo cáo tháng 10\nKhông có bảng nào ở đây\n".encode(),
    bytes(range(256)) * 4,
])
def test_not_a_spreadsheet_whatever_its_name(data):
    assert refused(data, "log.xlsx") == messages.NOT_SPREADSHEET
    assert refused(data, "log.csv") == messages.NOT_SPREADSHEET


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_other_zip_documents_are_not_spreadsheets():
    docx = _zip({"[Content_Types].xml": b'<Types><Override ContentType="application/'
                 b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
                 "word/document.xml": b"<w:document/>"})
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    plain = _zip({"notes.txt": b"hello"})
    for data in (docx, odt, plain):
        assert refused(data) == messages.NOT_SPREADSHEET


def test_truncated_xlsx_is_corrupt():
    data = task_xlsx(task())
    assert refused(data[: len(data) // 2]) == messages.CORRUPT


def test_damaged_zip_member_is_corrupt():
    data = bytearray(task_xlsx(task()))
    sheet_at = data.find(b"xl/worksheets/sheet1.xml") + 40  # inside the compressed data
    data[sheet_at:sheet_at + 200] = b"\x00" * 200
    assert refused(bytes(data)) == messages.CORRUPT


def test_zip_signature_with_garbage_is_corrupt():
    assert refused(b"PK\x03\x04" + b"garbage" * 50) == messages.CORRUPT


def test_password_protected_xlsx():
    """A password-protected xlsx is an OLE2 file with EncryptionInfo/EncryptedPackage."""
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool (requirements-dev)")
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(task_xlsx(task()))).encrypt("mật khẩu", encrypted)
    message = refused(encrypted.getvalue())
    assert message == messages.PASSWORD
    assert "gỡ mật khẩu và lưu lại" in message
    assert msoffcrypto  # used


def _ole2(*stream_names: str) -> bytes:
    """A minimal OLE2 container: header, one FAT sector, a directory sector naming
    the streams. Enough for format detection (no stream data)."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 44, 1, 1, 0, 0x1000)  # 1 FAT sector, dir at sector 1
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    header[76:80] = struct.pack("<I", 0)  # DIFAT[0]: FAT is sector 0
    header[80:512] = b"\xff" * 432
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    directory = bytearray()
    for index, name in enumerate(("Root Entry", *stream_names)):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[0:len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), 5 if index == 0 else 2, 1)
        directory += entry
    directory += b"\x00" * (-len(directory) % 512)
    return bytes(header + fat + directory)


def test_encrypted_ooxml_detected_from_ole2_stream_names():
    assert refused(_ole2("EncryptionInfo", "EncryptedPackage")) == messages.PASSWORD


def test_xls_with_macros_and_other_ole2_documents():
    assert refused(_ole2("Workbook", "_VBA_PROJECT_CUR")) == messages.MACROS
    assert refused(_ole2("WordDocument")) == messages.NOT_SPREADSHEET


def test_macros_vba_project_member():
    data = rezip(task_xlsx(task()), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})
    message = refused(data)
    assert message == messages.MACROS and ".xlsx" in message


def test_macros_xlsm_content_type():
    def to_xlsm(name, content):
        if name == "[Content_Types].xml":
            return content.replace(b"spreadsheetml.sheet.main+xml",
                                   b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        return content
    assert refused(rezip(task_xlsx(task()), edit=to_xlsm)) == messages.MACROS


def test_xml_entity_declarations_are_refused_before_parsing():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    data = task_xlsx(task())
    sheet = first_sheet_xml(data)
    body = sheet[sheet.index(b"<worksheet"):]
    assert refused(rezip(data, replace={"xl/worksheets/sheet1.xml": bomb + body})) == \
        messages.XML_ENTITIES
    # in any XML member, e.g. the shared strings or the relationships
    doctype = b'<!DOCTYPE r [<!ENTITY e "x">]>'
    rels_bomb = rezip(data, edit=lambda name, content: _with_prolog(content, doctype)
                      if name.endswith(".rels") else content)
    assert refused(rels_bomb) == messages.XML_ENTITIES


def _with_prolog(content: bytes, declaration: bytes) -> bytes:
    """Insert a declaration after the XML declaration (or at the start)."""
    if content.startswith(b"<?xml"):
        end = content.index(b"?>") + 2
        return content[:end] + declaration + content[end:]
    return declaration + content


def test_zip_bomb_compression_ratio_checked_on_the_central_directory():
    data = rezip(task_xlsx(task()), add={"xl/media/padding.xml": b"\x00" * (20 * 1024 * 1024)})
    assert refused(data) == messages.ZIP_BOMB.format(limit="400,0 MB")


def test_zip_bomb_total_uncompressed_size():
    settings = ReadSettings(max_uncompressed_bytes=50_000)
    data = rezip(task_xlsx(task()), add={"xl/extra.xml": bytes(range(256)) * 400})
    message = refused(data, settings=settings)
    assert message.startswith("Tệp khi giải nén quá lớn")


def test_file_larger_than_the_upload_limit():
    data = task_xlsx(task())
    message = refused(data, settings=ReadSettings(max_bytes=len(data) - 1))
    assert message.startswith("Tệp quá lớn")


def test_more_rows_than_the_row_limit():
    data = task_xlsx(*[task(task_id=f"NV-{i}") for i in range(5)])
    message = refused(data, settings=ReadSettings(row_limit=4))
    assert message == messages.TOO_MANY_ROWS.format(rows=5, limit=4)
    assert read_task_log(data, "log.xlsx", settings=ReadSettings(row_limit=5)).ok


def test_csv_not_utf8():
    data = "Mã nhiệm vụ,Phòng chủ trì,Ngày giao\nNV-1,Phòng Tư vấn,01/10/2026\n".encode(
        "cp1258", errors="replace")  # a Windows code page, as old Excel saves CSV
    assert refused(data, "log.csv") == messages.NOT_UTF8


def test_hidden_members_do_not_leak_a_doctype_through_content_types():
    data = rezip(task_xlsx(task()), edit=lambda name, content: _with_prolog(
        content, b"<!DOCTYPE t>") if name == "[Content_Types].xml" else content)
    assert refused(data) == messages.XML_ENTITIES


def test_one_far_away_cell_is_refused_before_calamine_builds_the_grid():
    """calamine lays a sheet out as a dense grid: A1 + XFD1048576 would be 17 billion cells."""
    data = task_xlsx(task())
    def edit(name, content):
        if name != "xl/worksheets/sheet1.xml":
            return content
        far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return content.replace(b"</sheetData>", far + b"</sheetData>")
    message = refused(rezip(data, edit=edit))
    assert message == messages.SHEET_TOO_LARGE.format(rows=1048576, cols=16384)


def test_csv_with_far_more_records_than_the_row_limit_stops_early():
    data = b"a,b,c\n" + b"\n" * 5000
    message = refused(data, "log.csv", settings=ReadSettings(row_limit=10))
    assert message.startswith("Bảng tính trải tới dòng")


def _ods_with(rows_repeat: int, cols_repeat: int, valued: bool) -> bytes:
    """An .ods task log whose last row is repeated, with (valued) or without values."""
    import re as regex

    from workbooks import ods, task_table

    data = ods(task_table(task()))
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    cell = (b'<table:table-cell table:number-columns-repeated="%d" office:value-type="string">'
            b"<text:p>x</text:p></table:table-cell>" % cols_repeat if valued else
            b'<table:table-cell table:number-columns-repeated="%d"/>' % cols_repeat)
    padding = b'<table:table-row table:number-rows-repeated="%d">%s</table:table-row>' % (
        rows_repeat, cell)
    content = regex.sub(rb"</table:table>", padding + b"</table:table>", content.decode().encode(), count=1)
    return rezip(data, replace={"content.xml": content})


def test_ods_repeated_values_are_refused_before_calamine_expands_them():
    message = refused(_ods_with(1_000_000, 100, valued=True), "log.ods")
    assert message.startswith("Bảng tính trải tới dòng")


def test_ods_empty_padding_rows_as_libreoffice_writes_them_are_fine():
    result = read_task_log(_ods_with(1_048_000, 1024, valued=False), "log.ods")
    assert result.ok, result.report()
    assert result.rows == 1


def test_shared_strings_claiming_billions_of_items_are_refused():
    """calamine would reserve uniqueCount strings up front and abort the process."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Mã nhiệm vụ", "Phòng chủ trì", "Ngày giao"])
    out = io.BytesIO()
    book.save(out)
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
           b'main" count="3" uniqueCount="4000000000"><si><t>x</t></si></sst>')
    data = rezip(out.getvalue(), add={"xl/sharedStrings.xml": sst})
    assert refused(data) == messages.CORRUPT
    honest = rezip(out.getvalue(), add={"xl/sharedStrings.xml": sst.replace(b"4000000000", b"1")})
    assert not read_task_log(honest, "log.xlsx").unreadable


def test_damaged_xls_that_makes_calamine_reserve_165_gb_is_refused_not_fatal():
    """Three bytes changed in a valid .xls (found by fuzzing) make calamine reserve
    ~165 GB and abort its process: only the sandbox's child dies."""
    from workbooks import task_table, xls

    data = bytearray(xls(task_table(task())))
    assert len(data) == 5632  # the xlwt output the offsets below refer to
    data[1577], data[2200], data[3375] = 44, 237, 174
    assert refused(bytes(data), "log.xls") == messages.CHILD_FAILED
    assert sandbox.read_task_log(xls(task_table(task())), "log.xls").ok


def test_far_cell_inside_a_low_numbered_row_element_is_refused():
    data = task_xlsx(task())
    def edit(name, content):
        if name != "xl/worksheets/sheet1.xml":
            return content
        return content.replace(b'<c r="A2"', b'<c r="ZZ1048576" t="inlineStr"><is><t>x</t></is></c><c r="A2"', 1)
    assert refused(rezip(data, edit=edit)) == messages.SHEET_TOO_LARGE.format(rows=1048576, cols=702)


def _lying_sheet(padding: int, crc_of_declared: bool) -> bytes:
    """A task log whose sheet member inflates to `padding` bytes more than its zip
    headers say (6000 bytes); with `crc_of_declared`, the CRC fits those 6000 bytes."""
    import zlib

    data = task_xlsx(task())
    sheet = first_sheet_xml(data)
    head, tail = sheet.split(b"<sheetData>", 1)
    content = head + b"<sheetData>" + b" " * padding + tail
    data = bytearray(rezip(data, replace={"xl/worksheets/sheet1.xml": content}))
    declared = 6000
    crc = zlib.crc32(content[:declared]) if crc_of_declared else None
    name = b"xl/worksheets/sheet1.xml"
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode())
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header
    if crc is not None:
        struct.pack_into("<I", data, info.header_offset + 14, crc)
    at = data.find(b"PK\x01\x02")
    while at != -1:  # the central directory entry
        if bytes(data[at + 46:at + 46 + len(name)]) == name:
            struct.pack_into("<I", data, at + 24, declared)
            if crc is not None:
                struct.pack_into("<I", data, at + 16, crc)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def test_lying_zip_size_is_refused_without_inflating_the_member():
    """A member declaring 6000 bytes but holding 40 MB: inflating it whole before the CRC
    check fails would cost the memory the size limits are there to protect."""
    import tracemalloc

    from analysis.file_safety import Unreadable, check_file

    data = _lying_sheet(40 * 1024 * 1024, crc_of_declared=False)
    tracemalloc.start()
    try:
        with pytest.raises(Unreadable) as refusal:
            check_file(data, ReadSettings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refusal.value.message in (messages.ZIP_BOMB.format(limit="400,0 MB"), messages.CORRUPT)
    assert peak < 5 * 1024 * 1024


def test_lying_zip_size_with_a_matching_crc_is_refused_before_any_parser():
    """Even when the CRC fits the declared bytes, the deflate stream goes on: refused,
    so calamine never sees the file."""
    message = refused(_lying_sheet(3 * 1024 * 1024, crc_of_declared=True))
    assert message == messages.ZIP_BOMB.format(limit="400,0 MB")


def test_ods_with_millions_of_repeated_cells_in_a_few_kb_is_too_large_not_corrupt():
    """A 2 KB .ods repeating one cell 2100 x 2100 times would cost calamine and the
    reader over half a gigabyte: refused as too large before it is parsed."""
    data = _ods_with(2100, 2100, valued=True)
    assert len(data) < 10_000
    message = refused(data, "log.ods")
    assert message == messages.SHEET_TOO_MANY_CELLS.format(
        rows=2102, cols=2100, cells="4.414.200", limit="4.000.000")


def test_a_wide_but_short_sheet_is_still_read():
    """The cell budget is rows x 40 columns of the row limit: a few rows reaching
    column 200 are fine."""
    result = read_task_log(_ods_with(3, 200, valued=True), "log.ods")
    assert not result.unreadable, result.report()


def test_csv_wider_than_excel_is_refused_quickly_with_its_own_message():
    """A 100 000-column header row: no sheet can be that wide; refused at once, with
    the column count, instead of listing every column as ignored."""
    import time

    data = ("Mã nhiệm vụ,Nội dung nhiệm vụ,Phòng chủ trì,Ngày giao" + ",x" * 100_000
            + "\n007,T,P,05/11/2026\n").encode()
    started = time.perf_counter()
    message = refused(data, "log.csv")
    assert message == messages.TOO_MANY_COLUMNS.format(row=1, cols="100.004", limit="16.384")
    assert time.perf_counter() - started < 2


def test_csv_as_wide_as_excel_is_read():
    data = ("Mã nhiệm vụ,Nội dung nhiệm vụ,Phòng chủ trì,Ngày giao" + ",x" * (16_384 - 4)
            + "\n007,T,P,05/11/2026\n").encode()
    result = read_task_log(data, "log.csv")
    assert not result.unreadable, result.report()["errors"][:1]
    assert result.tasks["task_id"].tolist() == ["007"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_xml_entity_declarations_in_utf16_or_utf32_members_are_refused(encoding):
    """"<!DOCTYPE" written in UTF-16 is not the ASCII bytes: the member's encoding is
    recognised (byte order mark, or how "<" is written) before the check."""
    def edit(name, content):
        if name != "xl/worksheets/sheet1.xml":
            return content
        xml = content.decode()
        xml = xml[xml.index("?>") + 2:] if xml.startswith("<?xml") else xml
        return (f'<?xml version="1.0" encoding="{encoding.upper()[:6]}"?>'
                '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml).encode(encoding)
    assert refused(rezip(task_xlsx(task()), edit=edit)) == messages.XML_ENTITIES


def test_far_cell_in_a_utf16_sheet_is_refused_before_calamine_builds_the_grid():
    def edit(name, content):
        if name != "xl/worksheets/sheet1.xml":
            return content
        far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        xml = content.replace(b"</sheetData>", far + b"</sheetData>").decode()
        return xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    message = refused(rezip(task_xlsx(task()), edit=edit))
    assert message == messages.SHEET_TOO_LARGE.format(rows=1048576, cols=16384)


def test_stored_member_whose_sizes_disagree_is_corrupt():
    """A stored (uncompressed) member holds exactly its size: headers saying otherwise lie
    (here with a CRC that fits the first 100 bytes)."""
    import zlib

    source = zipfile.ZipFile(io.BytesIO(task_xlsx(task())))
    crc = zlib.crc32(source.read("xl/worksheets/sheet1.xml")[:100])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    data = bytearray(out.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at != -1:  # the central directory entry: a smaller uncompressed size
        if bytes(data[at + 46:at + 46 + len(name)]) == name:
            struct.pack_into("<I", data, at + 24, 100)
            struct.pack_into("<I", data, at + 16, crc)
        at = data.find(b"PK\x01\x02", at + 4)
    assert refused(bytes(data)) == messages.CORRUPT
