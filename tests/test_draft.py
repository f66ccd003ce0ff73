"""The draft's own words: quoted exactly in the README, the app and the report."""

from __future__ import annotations

import html
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from zones import Scenario, analyse, draft
from zones.report.map_figure import render_map

ROOT = Path(__file__).resolve().parents[1]

#: Article 7, second sentence, typed from the MFA's page (unofficial translation, 17 Dec 2021),
#: not read from zones.draft.
EXPECTED_ARTICLE_7 = (
    "In order to exclude incidents the Russian Federation and the Parties that are member States of the North "
    "Atlantic Treaty Organization shall not conduct military exercises or other military activities above the "
    "brigade level in a zone of agreed width and configuration on each side of the border line of the Russian "
    "Federation and the states in a military alliance with it, as well as Parties that are member States of the "
    "North Atlantic Treaty Organization."
)


def _squeezed(text: str) -> str:
    """Return ``text`` with every run of whitespace made one space."""
    return re.sub(r"\s+", " ", text)


def test_the_module_holds_the_exact_words():
    assert draft.ARTICLE_7_ZONE == EXPECTED_ARTICLE_7
    assert [heading for heading, _ in draft.ARTICLES] == ["Article 4", "Article 5", "Article 6", "Article 7"]
    assert draft.ARTICLES[-1][1] == (draft.ARTICLE_7_TERRITORIES, EXPECTED_ARTICLE_7)
    assert "27 May 1997" in draft.ARTICLES[0][1][0]


def test_readme_quotes_article_7_exactly_and_names_the_translation():
    readme = _squeezed((ROOT / "README.md").read_text(encoding="utf-8"))
    assert f'"{EXPECTED_ARTICLE_7}"' in readme
    assert "unofficial translation" in readme
    assert "of agreed width on each side" not in readme  # the old misquote


def test_report_quotes_article_7_exactly():
    svg = render_map(analyse(Scenario(width_km=50, date="2021-12-17")), fmt="svg").decode("utf-8")
    text = _squeezed(" ".join(html.unescape(t) for t in re.findall(r"<!-- (.*?) -->", svg, flags=re.DOTALL)))
    assert EXPECTED_ARTICLE_7 in text, text[:500]
    assert "unofficial translation" in text


def test_app_quotes_article_7_exactly_with_the_full_text_a_click_away():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    lead = [_squeezed(str(m.value)) for m in at.markdown if EXPECTED_ARTICLE_7 in _squeezed(str(m.value))]
    assert lead  # the lead paragraph (and Article 7 in the expander)
    assert "unofficial translation" in lead[0]
    (expander,) = [e for e in at.expander if "Articles 4 to 7" in e.label]
    full = " ".join(str(m.value) for m in expander.markdown)
    assert "as of 27 May 1997" in full  # Article 4
    assert "in the South Caucasus and in Central Asia" in full  # Article 7, first sentence
    assert draft.SOURCE_URL in full
