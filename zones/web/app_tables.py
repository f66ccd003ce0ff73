"""The app's tables: an analysis' countries, cities and regions with the columns and rounding the page shows.

Plain frames (no Streamlit): ``app.py`` draws them with ``st.dataframe`` and
its column formats. The figure columns sit next to the name, as on a phone
the columns after them are off-screen; the downloads carry the full
precision (:mod:`zones.export`).
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from geodata import load_countries
from zones.engine.analysis import Analysis
from zones.settings import SIDE_NAMES

#: Rows of the cities table (the largest); the CSV has them all.
CITY_ROWS: Final = 100

#: Rows of the regions table (the largest); the CSV has them all.
REGION_ROWS: Final = 200


def affected_table(analysis: Analysis) -> pd.DataFrame:
    """Return the affected countries: name, share, land in the zone (km²), side, land and share of the whole."""
    affected = analysis.affected
    return pd.DataFrame(
        {
            "Country": affected["name"],
            "Share of the country": (100 * affected["share"]).round(1),
            "Land in the zone": affected["area_km2"].round().astype("int64"),
            "Side": [SIDE_NAMES[s] for s in affected["side"]],
            "Country's land": affected["country_area_km2"].round().astype("int64"),
            "Whole country": (100 * affected["share_whole_country"]).round(1),
        }
    )


def cities_table(cities: pd.DataFrame) -> pd.DataFrame:
    """Return the :data:`CITY_ROWS` largest cities: name, distance (km), population and country."""
    names = load_countries()["name"]
    top = cities.head(CITY_ROWS)
    return pd.DataFrame(
        {
            "City": top["name"],
            "Distance": top["distance_km"].round().astype("int64"),
            "Population": top["population"].astype("int64"),
            "Country": [names.get(c, c) for c in top["adm0_a3"]],
        }
    )


def regions_table(regions: pd.DataFrame) -> pd.DataFrame:
    """Return the :data:`REGION_ROWS` largest regions: name, country, land (km²), share (%) and people."""
    names = load_countries()["name"]
    top = regions.head(REGION_ROWS)
    return pd.DataFrame(
        {
            "Region": top["name"],
            "Country": [names.get(c, c) for c in top["adm0_a3"]],
            "Land in the zone": top["area_km2"].round().astype("int64"),
            "Share of the region": (100 * top["share"]).round(1),
            "People (estimate)": top["population"].astype("int64"),
        }
    )


def region_countries(analysis: Analysis) -> dict[str, str]:
    """Return the regions' country box's choices by ``ADM0_A3`` code: ``""`` (all), then each country with regions."""
    affected = analysis.affected
    codes = affected.loc[affected["adm0_a3"].isin(analysis.regions["adm0_a3"]), "adm0_a3"]
    names = load_countries()["name"]
    return {"": "All countries"} | {str(code): str(names.get(code, code)) for code in codes}
