"""Leaflet 1.9.4 from the PyPI package ``django-js-lib-leaflet``, so maps draw offline.

folium points ``default_js`` and ``default_css`` at public CDNs (jsDelivr,
jQuery, Bootstrap …); with no internet the map stays blank. This module ships
the Leaflet files that the pinned package contains instead:

* :func:`install_static` copies them into ``leaflet/`` of the app's runtime
  files (:func:`zones.web.runtime_files.files_dir`, in the cache folder),
  which the app serves at ``app/files/leaflet/``
  (:func:`zones.web.runtime_files.routes`). The folder is produced from the
  package at startup, never beside the source.
* :func:`use_local_leaflet` points a :class:`folium.Map` at those files (or
  at ``data:`` URIs when the folder could not be written) and drops the other
  CDN assets, which the maps of this project do not use.

No Streamlit import: the app calls :func:`install_static` once, from a cached
function.
"""

from __future__ import annotations

import base64
import filecmp
import functools
import shutil
from importlib import resources
from pathlib import Path
from typing import Final

import folium

from zones.output import atomic_output
from zones.web.runtime_files import URL_PATH

#: Version of the Leaflet files shipped by the pinned ``django-js-lib-leaflet``.
LEAFLET_VERSION: Final = "1.9.4"

#: Files copied from the package, relative to its ``static/js_lib_leaflet`` folder.
LEAFLET_FILES: Final = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)

#: Sub-folder of the runtime files' folder that receives the files.
STATIC_SUBDIR: Final = "leaflet"

#: URL of that folder as seen from the ``st_folium`` component iframe, which
#: Streamlit serves at ``<base>/component/streamlit_folium.st_folium/index.html``;
#: relative, so it also works under a ``server.baseUrlPath``.
COMPONENT_STATIC_URL: Final = f"../../{URL_PATH}/{STATIC_SUBDIR}"


def package_dir() -> Path:
    """Return the folder holding Leaflet's files inside ``django-js-lib-leaflet``.

    Returns
    -------
    pathlib.Path
        ``.../js_lib_leaflet/static/js_lib_leaflet``.
    """
    return Path(str(resources.files("js_lib_leaflet"))) / "static" / "js_lib_leaflet"


def install_static(files_dir: str | Path) -> Path:
    """Copy Leaflet's files into ``files_dir/leaflet/``; return that folder.

    Idempotent: files already present with the same content are left alone,
    others are written under a temporary name and renamed into place, so a
    browser never reads a half-written file.

    Parameters
    ----------
    files_dir : str or pathlib.Path
        The app's runtime files (:func:`zones.web.runtime_files.files_dir`).

    Returns
    -------
    pathlib.Path
        The folder served at ``app/files/leaflet/``.

    Raises
    ------
    OSError
        If the folder cannot be written (a read-only cache); callers may fall
        back to :func:`data_uri_assets`.
    """
    source = package_dir()
    target = Path(files_dir) / STATIC_SUBDIR
    for name in LEAFLET_FILES:
        src, dst = source / name, target / name
        if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(dst) as tmp:
            shutil.copyfile(src, tmp)
    return target


def static_assets(base_url: str = COMPONENT_STATIC_URL) -> tuple[tuple[str, str], tuple[str, str]]:
    """Return ``(js, css)`` folium asset entries served from ``base_url``.

    Parameters
    ----------
    base_url : str
        URL of the folder holding ``leaflet.js`` and ``leaflet.css``.

    Returns
    -------
    tuple
        ``(("leaflet", js_url), ("leaflet_css", css_url))``.
    """
    return ("leaflet", f"{base_url}/leaflet.js"), ("leaflet_css", f"{base_url}/leaflet.css")


@functools.cache
def data_uri_assets() -> tuple[tuple[str, str], tuple[str, str]]:
    """Return ``(js, css)`` folium asset entries as ``data:`` URIs (no server needed).

    About 215 kB; the layer-control icon images are not included, so the
    control shows as a plain box. Used only when :func:`install_static` fails.
    """
    folder = package_dir()
    js = base64.b64encode((folder / "leaflet.js").read_bytes()).decode("ascii")
    css = base64.b64encode((folder / "leaflet.css").read_bytes()).decode("ascii")
    return (
        ("leaflet", f"data:text/javascript;base64,{js}"),
        ("leaflet_css", f"data:text/css;base64,{css}"),
    )


def use_local_leaflet(m: folium.Map, *, inline: bool = False) -> folium.Map:
    """Point ``m`` at local Leaflet files and drop every other CDN asset.

    Sets ``default_js`` and ``default_css`` on the instance only (the class
    attributes, shared by every map on the server, stay untouched).

    Parameters
    ----------
    m : folium.Map
        The map to change, in place.
    inline : bool
        Use ``data:`` URIs instead of the files served by Streamlit.

    Returns
    -------
    folium.Map
        ``m``, for chaining.
    """
    js, css = data_uri_assets() if inline else static_assets()
    m.default_js = [js]
    m.default_css = [css]
    return m
