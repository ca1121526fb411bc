"""A report as an A4 PDF, with a CJK font embedded as a subset so that it reads the same everywhere.

The font is the file named by the setting SHUREN_PDF_FONT or, when that is unset, Noto Sans CJK SC
from Debian's fonts-noto-cjk. Its faces have CFF outlines; fpdf2 embeds them (from 2.8.6) as CID
fonts with a /FontFile3 stream, keeping only the glyphs the report uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTCollection
from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, TableCellFillMode, TableHeadingsDisplay

from shuren.insights.reports.document import ReportDocument, Section, Table, shown

FONT_SETTING = "SHUREN_PDF_FONT"
FONT_PACKAGE = "fonts-noto-cjk"  # the Debian package
FONT_FAMILY = "Noto Sans CJK SC"  # the face to take from a font collection
KNOWN_FONT_PATHS = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),)
COLLECTION_SUFFIXES = (".ttc", ".otc")

FAMILY = "report"  # the name the fonts are registered under in the document
MARGIN = 15  # mm, on every side
TITLE_SIZE = 18
SUBTITLE_SIZE = 11
HEADING_SIZE = 14
CAPTION_SIZE = 10.5
BODY_SIZE = 9
SMALL_SIZE = 8
POINT = 25.4 / 72  # mm
CELL_PADDING = 1.5  # mm, left and right of the text in a table cell
ROW_HEIGHT = 1.9 * BODY_SIZE * POINT  # one line of a table cell with its leading, in mm
# Room for a caption, the header row and two rows: with less left at the foot of a page, a table
# starts on the next one rather than leave its caption and header behind.
TABLE_START_HEIGHT = 7 + 3 * ROW_HEIGHT
# A text column (a name, a category) keeps at least this many characters on a line; a number column's
# heading at least NUMBER_HEADING_CHARACTERS (its numbers never wrap).
MIN_TEXT_CHARACTERS = 6
NUMBER_HEADING_CHARACTERS = 3
TEXT = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (200, 205, 212)
HEADER_FILL = (232, 236, 241)
STRIPE_FILL = (247, 248, 250)


class ReportFontMissing(ImproperlyConfigured):
    """There is no CJK font to embed: SHUREN_PDF_FONT names no file, or it is unset and the Debian
    font package is not installed."""


@dataclass(frozen=True)
class ReportFont:
    path: Path
    number: int  # which face of a font collection (.ttc, .otc); 0 for a single font


def render_pdf(document: ReportDocument, *, page_format: str = "{page} / {pages}") -> bytes:
    """The report on A4 portrait pages. Each page ends with the document's footer followed by
    ``page_format`` filled with the page number and the page count; pass it translated, e.g.
    ``_("Page {page} of {pages}")``.

    Raises ReportFontMissing when no CJK font is found."""
    regular, bold = report_fonts()
    pdf = _ReportPDF(footer=document.footer, page_format=page_format)
    pdf.add_font(FAMILY, "", regular.path, collection_font_number=regular.number)
    pdf.add_font(FAMILY, "B", bold.path, collection_font_number=bold.number)
    pdf.set_title(document.title)
    pdf.set_subject(document.subtitle)
    pdf.set_creation_date(document.generated_at)
    pdf.add_page()
    _write_title(pdf, document)
    for section in document.sections:
        _write_section(pdf, section)
    return bytes(pdf.output())


def report_fonts() -> tuple[ReportFont, ReportFont]:
    """The regular and the bold font to embed. The bold one is the file beside the regular one with
    "Bold" for "Regular" in its name (NotoSansCJK-Bold.ttc); without such a file, the regular font
    serves for both."""
    configured = getattr(settings, FONT_SETTING, None)
    if configured:
        regular = Path(configured)
        if not regular.is_file():
            raise ReportFontMissing(
                f"{FONT_SETTING} is {str(configured)!r}, which is not a font file. Point it at a CJK font "
                f"(.ttf, .otf or .ttc), or unset it and install the Debian package {FONT_PACKAGE}."
            )
    else:
        found = [path for path in KNOWN_FONT_PATHS if path.is_file()]
        if not found:
            raise ReportFontMissing(
                f"PDF reports need a CJK font: install the Debian package {FONT_PACKAGE} "
                f"(apt-get install {FONT_PACKAGE}), or set {FONT_SETTING} to a CJK font file."
            )
        regular = found[0]
    bold = regular.with_name(regular.name.replace("Regular", "Bold"))
    if not bold.is_file():
        bold = regular
    return _font(regular), _font(bold)


@lru_cache(maxsize=8)
def _font(path: Path) -> ReportFont:
    """A font file, and in a collection the face of FONT_FAMILY (Simplified Chinese) or else the first."""
    if path.suffix.lower() not in COLLECTION_SUFFIXES:
        return ReportFont(path, 0)
    collection = TTCollection(path, lazy=True)
    try:
        families = [face["name"].getBestFamilyName() for face in collection.fonts]
    finally:
        collection.close()
    return ReportFont(path, families.index(FONT_FAMILY) if FONT_FAMILY in families else 0)


class _ReportPDF(FPDF):
    def __init__(self, *, footer: str, page_format: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer
        self.page_format = page_format
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 5)

    def footer(self) -> None:
        # fpdf2 replaces its page-count alias once the last page is known.
        pages = self.page_format.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.set_y(-MARGIN)
        self.set_font(FAMILY, "", SMALL_SIZE)
        self.set_text_color(*MUTED)
        self.cell(w=0, h=5, text=f"{self.footer_text}  {pages}" if self.footer_text else pages, align="C")


def _write_title(pdf: FPDF, document: ReportDocument) -> None:
    pdf.set_text_color(*TEXT)
    pdf.set_font(FAMILY, "B", TITLE_SIZE)
    pdf.multi_cell(w=pdf.epw, h=10, text=document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    if document.subtitle:
        pdf.set_font(FAMILY, "", SUBTITLE_SIZE)
        pdf.multi_cell(w=pdf.epw, h=7, text=document.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", SMALL_SIZE)
    pdf.set_text_color(*MUTED)
    pdf.cell(w=pdf.epw, h=5, text=document.generated_stamp, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _write_section(pdf: FPDF, section: Section) -> None:
    # A heading alone at the foot of a page, its table on the next, reads badly: start a new page.
    if pdf.will_page_break(10 + TABLE_START_HEIGHT):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_text_color(*TEXT)
    pdf.set_font(FAMILY, "B", HEADING_SIZE)
    pdf.multi_cell(w=pdf.epw, h=8, text=section.heading, new_x="LMARGIN", new_y="NEXT")
    for table in section.tables:
        _write_table(pdf, table)
    if section.notes:
        pdf.set_font(FAMILY, "", BODY_SIZE)
        pdf.set_text_color(*MUTED)
        for note in section.notes:
            pdf.multi_cell(w=pdf.epw, h=5, text=note, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _write_table(pdf: FPDF, table: Table) -> None:
    if pdf.will_page_break(TABLE_START_HEIGHT):
        pdf.add_page()
    pdf.ln(1)
    pdf.set_text_color(*TEXT)
    pdf.set_font(FAMILY, "B", CAPTION_SIZE)
    pdf.multi_cell(w=pdf.epw, h=6, text=table.caption, new_x="LMARGIN", new_y="NEXT")
    if not table.columns:
        return
    numeric = table.numeric_columns
    widths = _column_widths(pdf, table)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.set_font(FAMILY, "", BODY_SIZE)
    with pdf.table(
        width=min(sum(widths), pdf.epw),
        col_widths=widths,
        align="LEFT",
        text_align=tuple("RIGHT" if index in numeric else "LEFT" for index in range(len(table.columns))),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        cell_fill_color=STRIPE_FILL,
        cell_fill_mode=TableCellFillMode.EVEN_ROWS,
        line_height=ROW_HEIGHT,
        padding=(0, CELL_PADDING),
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
    ) as rendered:
        rendered.row(table.columns)
        for row in table.rows:
            rendered.row([shown(cell) for cell in row])
    pdf.ln(4)


def _column_widths(pdf: FPDF, table: Table) -> list[float]:
    """Each column as wide as its widest cell. When that is wider than the page, every column first
    gets its least readable width (_readable_widths), and the room left goes to the columns that
    want more, in proportion to what they lack: a community's name is never squeezed to one
    character per line while a long text column takes the space. Only when even the least widths
    do not fit are columns narrowed towards one character."""
    pdf.set_font(FAMILY, "B", BODY_SIZE)
    natural = [pdf.get_string_width(heading) for heading in table.columns]
    pdf.set_font(FAMILY, "", BODY_SIZE)
    for row in table.rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], pdf.get_string_width(shown(cell)))
    # A little slack so that rounding never wraps a cell that just fits.
    natural = [width + 2 * CELL_PADDING + 0.5 for width in natural]
    # fpdf2 refuses a table wider than the page by any amount, floating-point error included.
    room = pdf.epw - 0.01
    if sum(natural) <= room:
        return natural
    least = _readable_widths(pdf, table, natural)
    if sum(least) <= room:
        wanting = [width - low for width, low in zip(natural, least, strict=True)]
        share = (room - sum(least)) / sum(wanting) if sum(wanting) else 0.0
        return [low + want * share for low, want in zip(least, wanting, strict=True)]
    return _at_least_one_character([width * room / sum(least) for width in least], _narrowest_widths(pdf, table), room)


def _readable_widths(pdf: FPDF, table: Table, natural: list[float]) -> list[float]:
    """How narrow each column may get and still read well: a number column as wide as its widest
    number (digits never wrap) and NUMBER_HEADING_CHARACTERS of its heading, a text column
    MIN_TEXT_CHARACTERS wide (or its whole content when that is shorter), padding and slack included."""
    pdf.set_font(FAMILY, "B", BODY_SIZE)
    text_least = pdf.get_string_width("国" * MIN_TEXT_CHARACTERS) + 2 * CELL_PADDING + 0.5
    heading_least = pdf.get_string_width("国" * NUMBER_HEADING_CHARACTERS) + 2 * CELL_PADDING + 0.5
    pdf.set_font(FAMILY, "", BODY_SIZE)
    numeric = table.numeric_columns
    least = []
    for index, width in enumerate(natural):
        if index in numeric:
            widest_number = max((pdf.get_string_width(shown(row[index])) for row in table.rows), default=0.0)
            low = max(min(width, heading_least), widest_number + 2 * CELL_PADDING + 0.5)
        else:
            low = min(width, text_least)
        least.append(low)
    return least


def _narrowest_widths(pdf: FPDF, table: Table) -> list[float]:
    """How narrow each column may get: its widest single character, padding and slack included
    (fpdf2 cannot wrap a cell narrower than one character)."""
    characters: list[set[str]] = [set(heading) for heading in table.columns]
    for row in table.rows:
        for index, cell in enumerate(row):
            characters[index].update(shown(cell))
    pdf.set_font(FAMILY, "B", BODY_SIZE)  # headings are bold, and bold is the wider face
    narrowest = [max((pdf.get_string_width(c) for c in chars), default=0.0) for chars in characters]
    pdf.set_font(FAMILY, "", BODY_SIZE)
    return [width + 2 * CELL_PADDING + 0.5 for width in narrowest]


def _at_least_one_character(widths: list[float], narrowest: list[float], room: float) -> list[float]:
    """``widths`` rescaled within ``room`` so that no column is narrower than ``narrowest``: columns
    that would be are held at it, and the others share what is left in their proportions."""
    if all(width >= least for width, least in zip(widths, narrowest, strict=True)):
        return widths
    held: set[int] = set()
    while True:
        free = [index for index in range(len(widths)) if index not in held]
        left = room - sum(narrowest[index] for index in held)
        total = sum(widths[index] for index in free)
        if not free or total <= 0 or left <= 0:
            # Not even one character per column fits: the narrowest widths, scaled to the page.
            return [least * room / sum(narrowest) for least in narrowest]
        scale = left / total
        too_narrow = [index for index in free if widths[index] * scale < narrowest[index]]
        if not too_narrow:
            return [narrowest[index] if index in held else widths[index] * scale for index in range(len(widths))]
        held.update(too_narrow)
