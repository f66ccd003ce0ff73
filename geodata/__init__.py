"""Border data, its provenance and loader, and alliance membership by date.

The data files in this folder are described in ``geodata/README.md`` and are
rebuilt from pinned registry packages by ``python -m geodata.build``.
"""

from geodata.alliances import ALLIANCES, RUSSIA_SIDE_READINGS, alliance_flags, alliance_members, alliance_table
from geodata.loader import load_borders, load_countries, load_places, load_regions, load_sea_borders
from geodata.sites import load_sites

__all__ = [
    "ALLIANCES",
    "RUSSIA_SIDE_READINGS",
    "alliance_flags",
    "alliance_members",
    "alliance_table",
    "load_borders",
    "load_countries",
    "load_places",
    "load_regions",
    "load_sea_borders",
    "load_sites",
]
