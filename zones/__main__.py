"""Entry point of ``python -m zones``."""

import sys

from zones.cli import main

sys.exit(main())
