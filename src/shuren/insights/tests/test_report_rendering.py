"""The monthly report rendered to xlsx and PDF: what someone opening the file sees and relies on."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream, DictionaryObject, TextStringObject

from shuren.insights.reports import pdf as pdf_module
from shuren.insights.reports.document import MISSING, Cell, ReportDocument, Section, Table
from shuren.insights.reports.pdf import ReportFontMissing, render_pdf
from shuren.insights.reports.xlsx import display_width, render_xlsx, sheet_name

TITLE = "桂城街道社区治理月度报告"
PAGE_FORMAT = "第 {page} 页 / 共 {pages} 页"


def appeals_table() -> Table:
    return Table(
        caption="表1 各社区诉求办理情况",
        columns=["社区", "受理件数", "按时办结率", "平均办理时长"],
        rows=[
            ["平洲社区", 1234, "95.6%", 18.25],
            ["夏西社区", 876, "91.6%", None],
            ['=HYPERLINK("http://example.com","点击")', 5, "-", 2.0],
        ],
    )


def long_table(rows: int) -> Table:
    buildings: list[list[Cell]] = [[f"{n}号楼", n * 7] for n in range(1, rows + 1)]
    return Table(caption="表2 各楼栋诉求件数", columns=["楼栋", "件数"], rows=buildings)


def report(*sections: Section) -> ReportDocument:
    return ReportDocument(
        title=TITLE,
        subtitle="2025年6月",
        generated_at=datetime(2025, 7, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        sections=list(sections) or [Section("诉求办理", [appeals_table()], notes=["注：按时办结率按首次派单计算。"])],
        footer="内部资料，注意保密",
    )


# The document


def test_table_rejects_a_row_with_the_wrong_number_of_cells() -> None:
    with pytest.raises(ValueError, match="Row 2"):
        Table(caption="表", columns=["甲", "乙"], rows=[["一", 1], ["二"]])


def test_table_infers_numeric_columns_from_numbers_and_missing_values() -> None:
    # Counts are all numbers; durations are numbers or missing; rates are formatted text.
    assert appeals_table().numeric_columns == {1, 3}


def test_table_takes_the_numeric_columns_it_is_given() -> None:
    table = Table(caption="表", columns=["社区", "办结率"], rows=[["平洲社区", "95.6%"]], numeric={1})
    assert table.numeric_columns == {1}


# xlsx


def open_xlsx(document: ReportDocument):
    return load_workbook(io.BytesIO(render_xlsx(document)))


def cells(sheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def row_starting(sheet, value: object):
    return next(row for row in sheet.iter_rows() if row[0].value == value)


def test_xlsx_opens_with_the_title_and_the_table_caption() -> None:
    sheet = open_xlsx(report()).active

    assert sheet["A1"].value == TITLE
    assert sheet["A2"].value == "2025年6月"
    assert sheet["A3"].value == "2025-07-01 09:30"
    assert ["表1 各社区诉求办理情况"] in [[v for v in row if v is not None] for row in cells(sheet)]


def test_xlsx_header_row_is_bold() -> None:
    sheet = open_xlsx(report()).active

    header = row_starting(sheet, "社区")
    assert [cell.value for cell in header] == ["社区", "受理件数", "按时办结率", "平均办理时长"]
    assert all(cell.font.bold for cell in header)


def test_xlsx_keeps_numbers_numeric_and_shows_missing_values_as_a_dash() -> None:
    sheet = open_xlsx(report()).active

    pingzhou = row_starting(sheet, "平洲社区")
    assert pingzhou[1].value == 1234 and pingzhou[1].data_type == "n"
    assert pingzhou[1].number_format == "#,##0"
    assert pingzhou[3].value == 18.25 and pingzhou[3].data_type == "n"
    assert pingzhou[2].value == "95.6%"
    assert row_starting(sheet, "夏西社区")[3].value == MISSING


def test_xlsx_neutralises_text_that_a_spreadsheet_would_run_as_a_formula() -> None:
    sheet = open_xlsx(report()).active

    row = row_starting(sheet, """'=HYPERLINK("http://example.com","点击")""")
    assert row[0].data_type == "s"
    assert row[2].value == "'-"


def test_xlsx_has_one_sheet_per_section_with_names_excel_accepts() -> None:
    headings = ["诉求办理", "诉求办理", "投诉/建议: [6月]*?", "'历史'", "History", "一" * 40]
    book = open_xlsx(report(*(Section(heading, [long_table(2)]) for heading in headings)))

    names = book.sheetnames
    assert len(names) == len(headings)
    assert len({name.casefold() for name in names}) == len(names)
    assert "history" not in {name.casefold() for name in names}
    for name in names:
        assert 0 < len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)
        assert not name.startswith("'") and not name.endswith("'")
    assert names[:2] == ["诉求办理", "诉求办理 (2)"]
    # The sheet name may be cut short; the heading inside the sheet is whole.
    assert book.worksheets[5]["A5"].value == "一" * 40


def test_sheet_name_stays_within_31_characters_when_made_unique() -> None:
    taken: set[str] = set()
    first = sheet_name("一" * 40, 1, taken=taken)
    second = sheet_name("一" * 40, 2, taken=taken)
    assert len(first) == len(second) == 31
    assert second.endswith(" (2)")


def test_xlsx_columns_fit_their_content_with_chinese_counted_double() -> None:
    table = Table(caption="表", columns=["名称", "代码"], rows=[["平洲社区居民委员会", "PZSQJMWYH"]])
    sheet = open_xlsx(report(Section("社区", [table]))).active

    assert display_width("平洲社区居民委员会") == 18
    assert sheet.column_dimensions["A"].width >= 18
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width >= 9


def test_xlsx_holds_every_row_of_a_long_table() -> None:
    sheet = open_xlsx(report(Section("楼栋", [long_table(1500)]))).active

    assert row_starting(sheet, "1500号楼")[1].value == 1500 * 7
    assert sum(1 for row in cells(sheet) if str(row[0]).endswith("号楼")) == 1500


# PDF


def page_text(page: PageObject) -> str:
    """The text of a page as a PDF viewer copies it: every shown string decoded through its font's
    ToUnicode map, one line per text object.

    pypdf's own extract_text() ignores a Type0 font's /Encoding when that is an embedded CMap, which
    is how fonts with CFF outlines (Noto Sans CJK) are written, and then reads the two-byte character
    codes a byte at a time."""
    resources = cast(DictionaryObject, page["/Resources"])
    maps = {name: to_unicode(font.get_object()) for name, font in cast(DictionaryObject, resources["/Font"]).items()}
    lines, line, codes = [], [], {}
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"Tf":
            codes = maps[operands[0]]
        elif operator in (b"Tj", b"TJ"):
            for string in operands[0] if operator == b"TJ" else operands:
                if isinstance(string, TextStringObject):
                    string = string.original_bytes
                if isinstance(string, bytes):
                    line += [codes.get(string[i : i + 2], "") for i in range(0, len(string), 2)]
        elif operator == b"ET":
            lines.append("".join(line))
            line = []
    return "\n".join(lines)


def to_unicode(font) -> dict[bytes, str]:
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    return {
        bytes.fromhex(code): bytes.fromhex(text).decode("utf-16-be")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)
        for code, text in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", block)
    }


@pytest.fixture(scope="module")
def sample_pdf() -> PdfReader:
    document = report(Section("诉求办理", [appeals_table()], notes=["注：按时办结率按首次派单计算。"]))
    return PdfReader(io.BytesIO(render_pdf(document, page_format=PAGE_FORMAT)))


def test_pdf_holds_the_chinese_title_and_the_cell_values(sample_pdf: PdfReader) -> None:
    text = page_text(sample_pdf.pages[0])

    assert TITLE in text
    assert "表1 各社区诉求办理情况" in text
    assert "平洲社区" in text
    assert "1,234" in text
    assert "18.25" in text
    assert MISSING in text
    assert "注：按时办结率按首次派单计算。" in text
    assert sample_pdf.metadata is not None and sample_pdf.metadata.title == TITLE


def test_pdf_is_a4_portrait(sample_pdf: PdfReader) -> None:
    box = sample_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pdf_embeds_a_subset_of_the_cjk_font(sample_pdf: PdfReader) -> None:
    resources = cast(DictionaryObject, sample_pdf.pages[0]["/Resources"])
    fonts = [font.get_object() for font in cast(DictionaryObject, resources["/Font"]).values()]

    assert fonts
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
        assert re.fullmatch(r"/[A-Z]{6}\+.+", font["/BaseFont"])
        assert "CJK" in font["/BaseFont"]


@pytest.fixture(scope="module")
def long_pdf() -> PdfReader:
    document = report(Section("楼栋", [long_table(120)]))
    return PdfReader(io.BytesIO(render_pdf(document, page_format=PAGE_FORMAT)))


def test_pdf_ends_each_page_with_the_footer_and_page_numbers(long_pdf: PdfReader) -> None:
    pages = len(long_pdf.pages)
    assert pages >= 3
    for number, page in enumerate(long_pdf.pages, start=1):
        assert f"内部资料，注意保密  第 {number} 页 / 共 {pages} 页" in page_text(page)


def test_pdf_repeats_the_header_row_on_every_page_of_a_long_table(long_pdf: PdfReader) -> None:
    texts = [page_text(page).splitlines() for page in long_pdf.pages]
    assert len(texts) >= 3
    for lines in texts:
        assert "楼栋" in lines and "件数" in lines
    every_building = [line for lines in texts for line in lines if line.endswith("号楼")]
    assert every_building == [f"{n}号楼" for n in range(1, 121)]
    assert "120号楼" in texts[-1]


def test_pdf_wraps_a_table_wider_than_the_page() -> None:
    opinion = "楼道照明、电梯维修、垃圾分类、停车管理、噪音扰民、绿化养护" * 4
    wide = Table(caption="表3 居民意见", columns=["社区", "意见", "件数"], rows=[["平洲社区", opinion, 12]])
    reader = PdfReader(io.BytesIO(render_pdf(report(Section("意见", [wide])))))

    lines = page_text(reader.pages[0]).splitlines()
    assert "12" in lines
    assert opinion in "".join(line for line in lines if "、" in line)
    assert not any(len(line) >= len(opinion) for line in lines)


NAME_CHARACTERS = "社区平洲夏西桂城街道楼栋abcXYZ 0123456789"


@pytest.mark.slow
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.text(alphabet=NAME_CHARACTERS, min_size=1, max_size=40), min_size=1, max_size=6),
    figures=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12),
)
def test_pdf_renders_a_table_of_any_width(names: list[str], figures: list[int]) -> None:
    """Column widths scaled to the page must never come out wider than it, rounding included."""
    columns = [f"名称{index}" for index in range(len(names))] + [f"指标{index}" for index in range(len(figures))]
    row: list[Cell] = [*names, *figures]
    table = Table(caption="表4 各社区指标", columns=columns, rows=[row, row])

    reader = PdfReader(io.BytesIO(render_pdf(report(Section("指标", [table])))))

    text = "".join(page_text(page) for page in reader.pages).replace("\n", "")
    assert "表4 各社区指标" in text
    assert f"{figures[-1]:,}" in text


def test_pdf_keeps_every_column_at_least_one_character_wide() -> None:
    """Six long names beside twelve large figures: scaled to the page in proportion, the figure
    columns would come out narrower than one digit, which fpdf2 cannot render."""
    names = ["桂城街道夏西社区第三网格平洲楼栋" * 2] * 6
    figures = [10**9] * 12
    columns = [f"名称{index}" for index in range(6)] + [f"指标{index}" for index in range(12)]
    table = Table(caption="表5 各社区指标", columns=columns, rows=[[*names, *figures]])

    reader = PdfReader(io.BytesIO(render_pdf(report(Section("指标", [table])))))

    text = "".join(page_text(page) for page in reader.pages)
    assert "表5 各社区指标" in text
    assert text.count("1") >= 12  # every figure's digits are on the page


def test_pdf_keeps_community_names_on_one_line_beside_many_figure_columns() -> None:
    """The monthly report's table by community: a name and nine figures under long headings. Scaled
    to the page in proportion, the name column came out one character wide ("金/旗/峰/社/区")."""
    headings = ["常住人口（人）", "诉求受理量（件）", "响应率", "满意率", "逾期诉求（件）", "清单完成率",
                "议事会议（次）", "志愿服务时长（小时）", "发放积分（分）"]  # fmt: skip
    names = ["金旗峰社区", "金峰洲社区", "同声社区", "海南洲社区"]
    rows: list[list[Cell]] = [[name, 12_345, 321, "98.5%", "91.2%", 3, "75%", 6, 1_234.5, 20_000] for name in names]
    table = Table(caption="2026-11", columns=["社区", *headings], rows=rows, numeric=set(range(1, 10)))

    reader = PdfReader(io.BytesIO(render_pdf(report(Section("按社区", [table])))))

    lines = page_text(reader.pages[0]).splitlines()
    for name in names:
        assert name in lines, name  # the whole name on one line of its cell
    assert "12,345" in lines and "1,234.50" in lines  # figures never wrap either


def test_pdf_without_the_configured_font_raises_report_font_missing(settings) -> None:
    settings.SHUREN_PDF_FONT = "/nonexistent/NotoSansCJK-Regular.ttc"

    with pytest.raises(ReportFontMissing, match="SHUREN_PDF_FONT"):
        render_pdf(report())


def test_pdf_without_any_cjk_font_names_the_debian_package(settings, monkeypatch) -> None:
    settings.SHUREN_PDF_FONT = None
    monkeypatch.setattr(pdf_module, "KNOWN_FONT_PATHS", ())

    with pytest.raises(ReportFontMissing, match="fonts-noto-cjk"):
        render_pdf(report())
