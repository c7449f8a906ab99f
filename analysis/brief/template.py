"""The project's own Word template for the brief, built from nothing but the sizes of
`layout` (python-docx's blank document is US Letter with Cambria and East-Asian fallback
fonts: never start from it).

    python -m analysis.brief.template      # rewrites analysis/brief/template.docx

What it holds: A4 portrait with the decree's margins; Times New Roman in every font slot
(ascii, hAnsi, eastAsia, cs) of the document defaults and of every style; no theme (so no
theme font such as Cambria or Calibri can come in); styles Normal (14 pt, justified,
first-line indent 1,27 cm, 6 pt after), Header, Brief Plain, Brief Heading, Brief Table
Text, Brief Caption, Table Grid; a different first-page header (empty) and, from page 2,
the page number centred at the top. The bytes are reproducible: fixed part order and zip
timestamps, so the committed file equals a fresh build (a test checks it).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from analysis.brief import layout as L

TEMPLATE_PATH = Path(__file__).with_name("template.docx")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def _fonts() -> str:
    f = L.FONT
    return f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'


def _run_props(pt: float, bold: bool = False, italic: bool = False) -> str:
    size = L.half_points(pt)
    return (f"<w:rPr>{_fonts()}{'<w:b/><w:bCs/>' if bold else ''}"
            f"{'<w:i/><w:iCs/>' if italic else ''}<w:sz w:val=\"{size}\"/>"
            f"<w:szCs w:val=\"{size}\"/><w:lang w:val=\"{L.LANGUAGE}\" "
            f"w:eastAsia=\"{L.LANGUAGE}\" w:bidi=\"ar-SA\"/></w:rPr>")


def _line() -> int:
    return round(240 * L.LINE_SPACING)


def _paragraph_style(style_id: str, name: str, pt: float, *, based_on: str | None = "Normal",
                     jc: str = "left", indent: bool = False, after_pt: float = 0,
                     before_pt: float = 0, bold: bool = False, italic: bool = False,
                     keep_next: bool = False, default: bool = False) -> str:
    first_line = round(L.FIRST_LINE_INDENT_CM / 2.54 * 1440) if indent else 0
    default_mark = ' w:default="1"' if default else ""
    return (
        f'<w:style w:type="paragraph"{default_mark} '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + '<w:qFormat/><w:pPr>' + ('<w:keepNext/>' if keep_next else "")
        + f'<w:spacing w:before="{round(before_pt * 20)}" w:after="{round(after_pt * 20)}" '
          f'w:line="{_line()}" w:lineRule="auto"/>'
        + f'<w:ind w:firstLine="{first_line}"/><w:jc w:val="{jc}"/></w:pPr>'
        + _run_props(pt, bold, italic) + "</w:style>")


def styles_xml() -> str:
    body = L.BODY_PT
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    cell_margins = ('<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
                    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
                    '</w:tblCellMar>')
    return (
        _HEAD + f'<w:styles xmlns:w="{_W}">'
        '<w:docDefaults><w:rPrDefault>' + _run_props(body) + '</w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:after="{L.SPACE_AFTER_PT * 20}" '
        f'w:line="{_line()}" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
        + _paragraph_style("Normal", "Normal", body, based_on=None, jc="both", indent=True,
                           after_pt=L.SPACE_AFTER_PT, default=True)
        + '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
          '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
          '</w:style>'
        + '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
          '<w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" '
          'w:type="dxa"/>' + cell_margins + '</w:tblPr></w:style>'
        + '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
          '<w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0" w:line="240" '
          'w:lineRule="auto"/><w:ind w:firstLine="0"/></w:pPr>'
          + _run_props(L.TABLE_PT) + f'<w:tblPr><w:tblBorders>{borders}</w:tblBorders>'
          + cell_margins + '</w:tblPr></w:style>'
        + _paragraph_style("Header", "header", L.PAGE_NUMBER_PT, jc="center")
        + _paragraph_style("Footer", "footer", L.PAGE_NUMBER_PT, jc="center")
        + _paragraph_style("BriefPlain", "Brief Plain", body, jc="center")
        + _paragraph_style("BriefHeading", "Brief Heading", L.HEADING_PT, jc="both",
                           indent=True, before_pt=6, after_pt=L.SPACE_AFTER_PT, bold=True,
                           keep_next=True)
        + _paragraph_style("BriefTableText", "Brief Table Text", L.TABLE_PT, jc="left")
        + _paragraph_style("BriefCaption", "Brief Caption", L.CAPTION_PT, jc="center",
                           after_pt=L.SPACE_AFTER_PT, italic=True)
        + "</w:styles>")


def document_xml() -> str:
    m = L.twips_from_mm
    return (
        _HEAD + f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:sectPr>'
        '<w:headerReference w:type="default" r:id="rIdHeaderDefault"/>'
        '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
        f'<w:pgSz w:w="{m(L.PAGE_WIDTH_MM)}" w:h="{m(L.PAGE_HEIGHT_MM)}"/>'
        f'<w:pgMar w:top="{m(L.MARGIN_TOP_MM)}" w:right="{m(L.MARGIN_RIGHT_MM)}" '
        f'w:bottom="{m(L.MARGIN_BOTTOM_MM)}" w:left="{m(L.MARGIN_LEFT_MM)}" '
        f'w:header="{m(L.HEADER_DISTANCE_MM)}" w:footer="{m(L.FOOTER_DISTANCE_MM)}" '
        'w:gutter="0"/><w:titlePg/></w:sectPr></w:body></w:document>')


def _header_xml(with_page_number: bool) -> str:
    run = ""
    if with_page_number:  # PAGE field: the page number, from page 2 on (titlePg)
        run = (f'<w:fldSimple w:instr=" PAGE "><w:r>{_run_props(L.PAGE_NUMBER_PT)}'
               '<w:t>2</w:t></w:r></w:fldSimple>')
    return (_HEAD + f'<w:hdr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr>'
            '<w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>'
            f'{run}</w:p></w:hdr>')


def settings_xml() -> str:
    return (_HEAD + f'<w:settings xmlns:w="{_W}"><w:zoom w:percent="100"/>'
            '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" '
            'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            f'<w:themeFontLang w:val="{L.LANGUAGE}"/></w:settings>')


def font_table_xml() -> str:
    return (_HEAD + f'<w:fonts xmlns:w="{_W}"><w:font w:name="{L.FONT}">'
            '<w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
            '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>')


def _parts() -> list[tuple[str, str]]:
    ct = "application/vnd.openxmlformats-officedocument"
    content_types = (
        _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f'<Override PartName="/word/document.xml" ContentType="{ct}.wordprocessingml.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{ct}.wordprocessingml.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{ct}.wordprocessingml.settings+xml"/>'
        f'<Override PartName="/word/fontTable.xml" ContentType="{ct}.wordprocessingml.fontTable+xml"/>'
        f'<Override PartName="/word/header1.xml" ContentType="{ct}.wordprocessingml.header+xml"/>'
        f'<Override PartName="/word/header2.xml" ContentType="{ct}.wordprocessingml.header+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{ct}.extended-properties+xml"/>'
        '</Types>')
    package_rels = (
        _HEAD + f'<Relationships xmlns="{_PR}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>')
    document_rels = (
        _HEAD + f'<Relationships xmlns="{_PR}">'
        f'<Relationship Id="rIdStyles" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rIdSettings" Type="{_DOC_REL}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rIdFonts" Type="{_DOC_REL}/fontTable" Target="fontTable.xml"/>'
        f'<Relationship Id="rIdHeaderDefault" Type="{_DOC_REL}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdHeaderFirst" Type="{_DOC_REL}/header" Target="header2.xml"/>'
        '</Relationships>')
    core = (
        _HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title>Báo cáo họp đánh giá</dc:title><dc:creator>Bảng điều phối CTXH</dc:creator>'
        f'<dc:language>{L.LANGUAGE}</dc:language>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
        '</cp:coreProperties>')
    app = (_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties"><Application>Bảng điều phối CTXH</Application></Properties>')
    return [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", package_rels),
        ("docProps/core.xml", core),
        ("docProps/app.xml", app),
        ("word/_rels/document.xml.rels", document_rels),
        ("word/document.xml", document_xml()),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
        ("word/header1.xml", _header_xml(True)),
        ("word/header2.xml", _header_xml(False)),
    ]


def build_template() -> bytes:
    """The template's bytes (the same on every run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in _parts():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def template_bytes() -> bytes:
    """The committed template (a fresh build when the file is missing)."""
    try:
        return TEMPLATE_PATH.read_bytes()
    except OSError:
        return build_template()


if __name__ == "__main__":
    TEMPLATE_PATH.write_bytes(build_template())
    print(f"wrote {TEMPLATE_PATH}")
