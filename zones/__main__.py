"""Entry point of ``python -m zones``: runs :func:`zones.cli.main.main` (importing it does nothing)."""

import sys

from zones.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
