"""Static maps (zones.report.map_figure) and the report command: formats, page size, content, errors."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from geodata import load_sites
from tests import oracle
from tests.in_process import run_in_process
from zones import ArgumentError, Scenario, analyse
from zones.report.map_figure import latitude_text, longitude_text, map_figure, render_map, write_map
from zones.report.page import PAGE_SIZE_IN

LOW_DPI = 40


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zones", *args], capture_output=True, text=True, check=False)


def page_px(dpi: int) -> tuple[int, int]:
    return int(PAGE_SIZE_IN[0] * dpi), int(PAGE_SIZE_IN[1] * dpi)


@pytest.fixture(scope="module")
def analysis():
    return analyse(Scenario(width_km=300, date="2021-12-17", allies="union-state"))


@pytest.fixture(scope="module")
def small_png(analysis) -> bytes:
    return render_map(analysis, fmt="png", dpi=LOW_DPI)


def test_png_is_a4_landscape_with_dpi_metadata(small_png):
    assert small_png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(small_png))
    assert abs(image.size[0] - 297 / 25.4 * LOW_DPI) <= 1
    assert abs(image.size[1] - 210 / 25.4 * LOW_DPI) <= 1
    assert image.size == page_px(LOW_DPI)
    assert image.info["dpi"] == pytest.approx((LOW_DPI, LOW_DPI), abs=0.01)


def test_png_at_full_resolution(analysis):
    image = Image.open(io.BytesIO(render_map(analysis)))
    assert image.size == (3507, 2480)  # 297 × 210 mm at 300 dpi
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_the_page_is_drawn_once_when_saved(analysis, monkeypatch):
    """geopandas asks for a redraw after each layer; the map is drawn only when saved (it was drawn 7 times)."""
    from matplotlib.figure import Figure

    drawn = []
    draw = Figure.draw

    def counted(self, renderer):
        drawn.append(self)
        return draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    png = render_map(analysis, fmt="png", dpi=LOW_DPI)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(drawn) == 1


def test_png_is_not_blank(small_png):
    pixels = np.asarray(Image.open(io.BytesIO(small_png)).convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 200
    height, width, _ = pixels.shape
    map_area = pixels[int(0.2 * height) : int(0.8 * height), int(0.05 * width) : int(0.6 * width)]
    background = np.array([255, 255, 255])
    assert (np.abs(map_area.astype(int) - background).sum(axis=2) > 30).mean() > 0.5


def test_svg_holds_title_and_legend(analysis):
    svg = render_map(analysis, fmt="svg").decode("utf-8")
    assert svg.lstrip().startswith("<?xml")
    for text in (
        "Article 7 zone: 300 km on each side",
        "Legend",
        "Zone, 300 km from the line",
        "Border line (contact line)",
        "Largest cities in the zone",
        "Share of each country's land in the zone",
        "Most affected countries",
        "Borders and regions: Natural Earth 1:10m v5.1.1 (public domain)",
        "People: estimate: Natural Earth POP_EST (2019)",
        "Poland",  # the table (map labels have a halo, so they are drawn as paths without text)
        "71 %",
        "NATO's members on 17 December 2021 · Russia's side: the Union State (Belarus, Russia) · today's borders, "
        "the border on land only",  # the page's words
    ):
        assert text in svg, text
    assert "read as union-state" not in svg


def projection_note(svg: str) -> str:
    """Return the footer's "centred on …;" words from an SVG map."""
    match = re.search(r"Lambert azimuthal equal-area centred on ([^;<]*);", svg)
    assert match, "no projection note in the footer"
    return match.group(1)


def test_footer_names_the_centre_in_europe_north_and_east(analysis):
    centre = analysis.line.centroid
    assert centre.x > 0
    assert centre.y > 0
    note = projection_note(render_map(analysis, fmt="svg", dpi=LOW_DPI).decode("utf-8"))
    assert note == f"{round(centre.y, 1):.1f}° N {round(centre.x, 1):.1f}° E"


def test_footer_west_of_greenwich_reads_west_not_minus_east():
    """Russia vs the USA with sea borders: the line is the Bering Strait, at about 169° W."""
    bering = analyse(Scenario(width_km=100, russia_side=["RUS"], nato_side=["USA"], sea_borders=True))
    west, south, east, north = bering.line.bounds
    assert -170 < west < east < -168  # the strait's sea border, wholly west of Greenwich
    assert 65 < south < north < 66.5
    note = projection_note(render_map(bering, fmt="svg", dpi=LOW_DPI).decode("utf-8"))
    lat, lon = bering.line.centroid.y, bering.line.centroid.x
    assert note == f"{lat:.1f}° N {-lon:.1f}° W"
    assert "-" not in note


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (55.0, 25.0, "55.0° N 25.0° E"),
        (-45.63, -12.34, "45.6° S 12.3° W"),
        (65.73, -169.0, "65.7° N 169.0° W"),
        (-0.04, 0.04, "0.0° N 0.0° E"),
        (0.0, -179.99, "0.0° N 180.0°"),
    ],
)
def test_latitude_and_longitude_in_words(lat, lon, expected):
    assert f"{latitude_text(lat)} {longitude_text(lon)}" == expected


def test_pdf_header(analysis):
    assert render_map(analysis, fmt="pdf", dpi=LOW_DPI)[:5] == b"%PDF-"


def test_asymmetric_clipped_legend_shows_each_side():
    a = analyse(Scenario(width_km=300, russia_width_km=100, nato_width_km=400, clip=True, date="2021-12-17"))
    svg = render_map(a, fmt="svg").decode("utf-8")
    assert "Article 7 zone: 100 km on Russia's side, 400 km on NATO's side" in svg
    assert "Zone on Russia's side (100 km)" in svg
    assert "Zone on NATO's side (400 km)" in svg
    assert "clipped to the two sides' own land" in svg


def test_tiny_zone_renders():
    a = analyse(Scenario(width_km=50, date="1997-05-27"))
    image = Image.open(io.BytesIO(render_map(a, dpi=LOW_DPI)))
    assert image.size == page_px(LOW_DPI)


def test_zero_width_renders():
    a = analyse(Scenario(width_km=0, date="2021-12-17"))
    assert render_map(a, fmt="pdf", dpi=LOW_DPI)[:5] == b"%PDF-"


@pytest.mark.parametrize(("option", "value"), [("fmt", "jpg"), ("fmt", 3), ("dpi", 0), ("dpi", 1000), ("dpi", 72.5)])
def test_bad_options_raise(analysis, option, value):
    with pytest.raises(ArgumentError, match=f"'{option}' should be"):
        render_map(analysis, **{option: value})


def test_write_map_by_suffix(analysis, tmp_path):
    path = write_map(analysis, tmp_path / "map.PDF", dpi=LOW_DPI)
    assert path.read_bytes()[:5] == b"%PDF-"
    with pytest.raises(ArgumentError, match=r"'path' should be a file name ending in \.png or \.svg or \.pdf"):
        write_map(analysis, tmp_path / "map.jpg")
    assert [p.name for p in tmp_path.iterdir()] == ["map.PDF"]


def test_cli_report_one_file_per_width(tmp_path):
    out = tmp_path / "map.png"
    result = run("report", "--width-km", "100", "200", "--date", "2021-12-17", "--dpi", "30", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "wrote 2 maps" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map_100km.png", "map_200km.png"]
    for name in ("map_100km.png", "map_200km.png"):
        with Image.open(tmp_path / name) as image:
            assert image.size == page_px(30)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--width-km", "100", "abc"], "--width-km"),
        (["--width-km", "3000"], "--width-km"),
        (["--date", "1900-01-01"], "--date"),
        (["--allies", "warsaw-pact"], "--allies"),
        (["--dpi", "5"], "--dpi"),
        (["--russia-side", "UKR", "--nato-side", "FRA"], "--nato-side"),  # no shared border
    ],
)
def test_cli_report_bad_options_exit_2_and_write_nothing(tmp_path, args, option):
    result = run_in_process("report", *args, "--out", str(tmp_path / "map.png"))
    assert result.returncode == 2, result.stderr
    assert f"(option {option})" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["map.jpg", "missing/map.png", ""])
def test_cli_report_bad_out_exits_2(tmp_path, name):
    result = run_in_process("report", "--out", str(tmp_path / name))
    assert result.returncode == 2, result.stderr
    assert "(option --out)" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_outlines_the_drafts_other_areas_with_legend_entries(analysis):
    svg = render_map(analysis, fmt="svg", layers="article-4,article-7.1").decode("utf-8")
    assert "Article 4 area (14 states)" in svg
    assert "Article 7(1) area (10 states)" in svg
    plain = render_map(analysis, fmt="svg").decode("utf-8")
    assert "Article 4 area" not in plain
    for colour in ("#7b1fa2", "#00796b"):  # the dashed outlines are drawn in the map
        assert svg.count(colour) > 2
        assert colour not in plain


def test_report_layers_on_the_command_line(tmp_path):
    out = tmp_path / "map.svg"
    result = run(
        "report", "--date", "2021-12-17", "--layers", "article-4,article-7.1", "--dpi", "40", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "Article 7(1) area (10 states)" in out.read_text(encoding="utf-8")
    bad = run_in_process("report", "--layers", "article-4,article-5", "--out", str(tmp_path / "bad.png"))
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "zones report: error: 'layers' should be a comma-separated list of 'article-4', 'article-7.1', 'sites', "
        "got 'article-5' (option --layers)"
    )
    assert not (tmp_path / "bad.png").exists()


def test_report_marks_the_training_areas_the_zone_covers(analysis):
    """Filled triangles are the areas within 300 km of the line by the oracle's distance (none hidden by the view)."""
    sites = load_sites()
    exact_km = oracle.distance_to_line_m(sites["lon"].to_numpy(), sites["lat"].to_numpy(), analysis.line) / 1000.0
    figure = map_figure(analysis, dpi=LOW_DPI, layers=("sites",))
    markers = [line for line in figure.axes[0].get_lines() if line.get_marker() == "^"]
    filled = sum(len(line.get_xdata()) for line in markers if line.get_markerfacecolor() != "white")
    assert filled == int((exact_km <= 300).sum()) > 0
    assert sum(len(line.get_xdata()) for line in markers) <= len(sites)
    plain = map_figure(analysis, dpi=LOW_DPI)
    assert not [line for line in plain.axes[0].get_lines() if line.get_marker() == "^"]
    svg = render_map(analysis, fmt="svg", dpi=LOW_DPI, layers="sites").decode("utf-8")
    assert "Training area, in the zone" in svg
    assert "Training area, outside" in svg


def test_report_sites_on_the_command_line(tmp_path):
    out = tmp_path / "sites.png"
    result = run("report", "--width-km", "150", "--layers", "sites", "--dpi", "40", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.size == page_px(40)
    bad = run_in_process("report", "--layers", "sites,training", "--out", str(tmp_path / "bad.png"))
    assert bad.returncode == 2
    assert "got 'training' (option --layers)" in bad.stderr
    assert not (tmp_path / "bad.png").exists()


@pytest.mark.parametrize("layers", [(), ("article-4", "article-7.1", "sites")], ids=["no layers", "every layer"])
@pytest.mark.parametrize("dpi", [72, 110])  # a screen's and a small print's; at 40 dpi a 6-point glyph is 3 px
def test_the_table_makes_room_for_the_optional_layers_legend_rows(analysis, dpi, layers):
    """Every optional layer adds legend rows; the table, its note and the people note end above the quote.

    Measured on the drawn page at each dpi: at 110 dpi the people note, wrapped by matplotlib at the
    page's edge, once ran off the page and onto the quote.
    """
    figure = map_figure(analysis, dpi=dpi, layers=layers)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    texts = [text for ax in figure.axes for text in ax.texts] + list(figure.texts)
    (people,) = [t for t in texts if t.get_text().startswith("* People:")]
    (quote,) = [t for t in texts if t.get_text().startswith("Article 7 (")]
    (count,) = [t for t in texts if re.match(r"\d+ (countries|regions) affected", t.get_text())]
    people_box, quote_box = people.get_window_extent(renderer), quote.get_window_extent(renderer)
    assert people_box.y0 > quote_box.y1
    assert count.get_window_extent(renderer).y0 > people_box.y1
    (panel,) = [ax for ax in figure.axes if any(t.get_text().startswith("Most affected") for t in ax.texts)]
    right = panel.get_window_extent(renderer).x1 + 0.02 * figure.bbox.width  # the table's edge, and a margin
    assert people_box.x1 <= right
    assert quote_box.x1 <= right


@pytest.mark.parametrize("dpi", [20, 30, 40, 50])
def test_every_text_stays_on_a_thumbnails_page(analysis, dpi):
    """At 20–50 dpi Agg rounds glyphs up to whole pixels: the quote, the people note and the subtitle once ran
    past the page's right edge (by up to 17 px of 234 at 20 dpi). Every text's drawn box lies on the page."""
    figure = map_figure(analysis, dpi=dpi)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    width_px, height_px = figure.bbox.width, figure.bbox.height
    for text in [text for ax in figure.axes for text in ax.texts] + list(figure.texts):
        box = text.get_window_extent(renderer)
        where = (dpi, text.get_text()[:40])
        assert box.x0 >= 0, where
        assert box.x1 <= width_px, (*where, box.x1 - width_px)
        assert box.y0 >= 0, where
        assert box.y1 <= height_px, where


def table_cells(figure) -> list[list]:
    """Return the table's body rows as lists of text artists (same baseline, between the two rules), top first."""
    (panel,) = [ax for ax in figure.axes if any(t.get_text().startswith("Most affected") for t in ax.texts)]
    heads = [t for t in panel.texts if t.get_text() in ("Country", "Region")]
    (head,) = heads
    notes = [t for t in panel.texts if "affected" in t.get_text() and t.get_text()[0].isdigit()]
    (note,) = notes
    rows: dict[float, list] = {}
    for text in panel.texts:
        y = text.get_position()[1]
        if note.get_position()[1] < y < head.get_position()[1]:
            rows.setdefault(round(y, 6), []).append(text)
    return [sorted(rows[y], key=lambda t: t.get_position()[0]) for y in sorted(rows, reverse=True)]


@pytest.fixture(scope="module")
def narrow():
    """A 50 km zone: every affected country fits in the table."""
    return analyse(Scenario(width_km=50, date="2021-12-17", allies="union-state"))


def test_table_people_are_the_wordings_figures_and_add_up_to_the_analysis(narrow):
    from zones import wording

    figure = map_figure(narrow, dpi=LOW_DPI)
    rows = table_cells(figure)
    assert len(rows) == len(narrow.affected)  # all shown, so the cells can be summed
    people = [int(row[-1].get_text().replace(",", "")) for row in rows]
    for row, count, population in zip(rows, people, narrow.affected["population"], strict=True):
        assert f"about {row[-1].get_text()} people" == wording.format_people(population)
        assert count == pytest.approx(population, rel=0.005)  # three significant figures
    total = int(narrow.totals["population"].sum())
    assert sum(people) == pytest.approx(total, rel=0.005)
    assert not any(" M" in row[-1].get_text() or " k" in row[-1].get_text() for row in rows)


@pytest.fixture(scope="module")
def wide():
    """A 1,200 km zone: Norway (shares of mainland Norway) and ten rows of long names and figures."""
    return analyse(Scenario(width_km=1200, date="2021-12-17"))


def test_table_cells_fit_the_panel_without_overlapping(wide):
    figure = map_figure(wide, dpi=150)
    renderer = figure.canvas.get_renderer()
    (panel,) = [ax for ax in figure.axes if any(t.get_text().startswith("Most affected") for t in ax.texts)]
    box = panel.get_window_extent(renderer)
    rows = table_cells(figure)
    assert len(rows) >= 8
    for row in rows:
        extents = [text.get_window_extent(renderer) for text in row]
        assert extents[0].x0 >= box.x0 - 1
        assert extents[-1].x1 <= box.x1 + 1
        for left, right in itertools.pairwise(extents):
            assert left.x1 < right.x0, [t.get_text() for t in row]


def test_table_marks_a_share_of_mainland_norway(wide):
    analysis = wide
    norway = analysis.affected.set_index("adm0_a3").loc["NOR"]
    assert norway["denominator"] == "mainland Norway"
    figure = map_figure(analysis, dpi=LOW_DPI)
    (row,) = [row for row in table_cells(figure) if row[0].get_text() == "Norway"]
    assert row[3].get_text().endswith("†")
    unmarked = [row for row in table_cells(figure) if row[0].get_text() != "Norway"]
    assert not any(r[3].get_text().endswith("†") for r in unmarked)
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert any(t.endswith("† Share of mainland Norway.") for t in texts)
