"""The draft's own words: Articles 4 to 7 of Russia's draft agreement with NATO.

The text is the Russian Foreign Ministry's unofficial English translation of
the draft "Agreement on measures to ensure the security of the Russian
Federation and member States of the North Atlantic Treaty Organization",
published on 17 December 2021 (:data:`SOURCE_URL`). Quoted exactly, spelling
and articles ("the Eastern Europe") included; the project's readings of the
text (per-side widths, clipping, the areas of Article 4 and Article 7(1)) are
documented where they are made, never folded into a quotation.
"""

from __future__ import annotations

from typing import Final

#: The MFA's page with the draft (English, unofficial translation).
SOURCE_URL: Final = "https://mid.ru/ru/foreign_policy/rso/nato/1790803/?lang=en"

#: How the source is named next to a quotation.
SOURCE_LABEL: Final = "Russian Foreign Ministry, unofficial translation, 17 December 2021"

#: Article 7, second sentence: the zone this project draws.
ARTICLE_7_ZONE: Final = (
    "In order to exclude incidents the Russian Federation and the Parties that are member States of the "
    "North Atlantic Treaty Organization shall not conduct military exercises or other military activities "
    "above the brigade level in a zone of agreed width and configuration on each side of the border line of "
    "the Russian Federation and the states in a military alliance with it, as well as Parties that are "
    "member States of the North Atlantic Treaty Organization."
)

#: Article 7, first sentence: the area of "Article 7(1)".
ARTICLE_7_TERRITORIES: Final = (
    "The Parties that are member States of the North Atlantic Treaty Organization shall not conduct any "
    "military activity on the territory of Ukraine as well as other States in the Eastern Europe, in the "
    "South Caucasus and in Central Asia."
)

#: Articles 4 to 7 in full, in order, as (heading, paragraphs).
ARTICLES: Final = (
    (
        "Article 4",
        (
            "The Russian Federation and all the Parties that were member States of the North Atlantic Treaty "
            "Organization as of 27 May 1997, respectively, shall not deploy military forces and weaponry on the "
            "territory of any of the other States in Europe in addition to the forces stationed on that territory "
            "as of 27 May 1997. With the consent of all the Parties such deployments can take place in exceptional "
            "cases to eliminate a threat to security of one or more Parties.",
        ),
    ),
    (
        "Article 5",
        (
            "The Parties shall not deploy land-based intermediate- and short-range missiles in areas allowing them "
            "to reach the territory of the other Parties.",
        ),
    ),
    (
        "Article 6",
        (
            "All member States of the North Atlantic Treaty Organization commit themselves to refrain from any "
            "further enlargement of NATO, including the accession of Ukraine as well as other States.",
        ),
    ),
    ("Article 7", (ARTICLE_7_TERRITORIES, ARTICLE_7_ZONE)),
)


def articles_markdown() -> str:
    """Return Articles 4 to 7 as Markdown: a bold heading and a quoted block per article.

    Returns
    -------
    str
        Markdown text ending with the source and its link.
    """
    blocks = [f"**{heading}**\n\n" + "\n\n".join(f"> {p}" for p in paragraphs) for heading, paragraphs in ARTICLES]
    return "\n\n".join([*blocks, f"Source: [{SOURCE_LABEL}]({SOURCE_URL})."])
