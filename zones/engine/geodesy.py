"""The package's one ellipsoid: a WGS84 :class:`pyproj.Geod` and the mean Earth radius.

Every geodesic distance, azimuth, area and length in ``zones`` and in the
``geodata`` build scripts goes through :data:`GEOD`; the spherical radius is
used only for rough reach checks and bounds, never for a reported number.

The module imports nothing from ``zones`` or ``geodata``, so both packages
can use it without an import cycle (the ``geodata`` build scripts already
import ``zones.engine.measure``; the ``geodata`` loaders import nothing from ``zones``).
"""

from __future__ import annotations

from typing import Final

import pyproj

#: The WGS84 ellipsoid's geodesic solver (Karney's algorithms, exact to nanometres).
GEOD: Final = pyproj.Geod(ellps="WGS84")
#: Mean Earth radius R1 = (2a + b) / 3 of WGS84, in metres (IUGG).
EARTH_RADIUS_M: Final = 6_371_008.8
#: The same radius in km.
EARTH_RADIUS_KM: Final = EARTH_RADIUS_M / 1000.0
