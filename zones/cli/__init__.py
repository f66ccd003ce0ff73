"""The command line: ``zones`` (also ``python -m zones``) and its subcommands.

Holds the entry point and the subcommands (:mod:`~zones.cli.main`), the
options every subcommand shares (:mod:`~zones.cli.options`) and the
``report`` and ``chart`` image commands (:mod:`~zones.cli.report`).

Imports: anything in :mod:`zones` and :mod:`geodata`; nothing imports it
but ``zones/__main__.py`` and the console script (``tests/test_namespace.py``
checks it). Bad input exits with code 2 and a message, never a traceback.
"""
