"""Refresh the README's screenshot, ``docs/app.png``: ``.venv/bin/python -m tools.screenshot``.

Starts the app with ``streamlit run`` on a free loopback port, opens it in
Debian's Chromium with no internet, and saves the page at the README's
scenario (300 km, 17 December 2021, the Union State). Tests never write
this file; they save their screenshots to a temporary folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests import browser

#: The tracked screenshot the README shows.
README_SHOT = browser.REPO / "docs" / "app.png"


def main(argv: list[str] | None = None) -> int:
    """Write the screenshot; return the exit status (1 if a request tried to leave the machine)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=README_SHOT, help="where to save the PNG (default: %(default)s)")
    args = parser.parse_args(argv)
    with browser.streamlit_server(browser.REPO / "app.py") as server, sync_playwright() as playwright:
        chrome = browser.launch_chromium(playwright)
        try:
            blocked = browser.app_screenshot(chrome, server.url, args.out)
        finally:
            chrome.close()
    print(f"wrote {args.out}")
    if blocked:
        print(f"blocked requests: {blocked}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
