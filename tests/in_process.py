"""Run the command line in the test's own process, as the console script would: no new interpreter per call.

A ``python -m zones`` subprocess costs about 1.4 CPU-s of start-up and imports before it reads its first
option; an error case's own work is a few milliseconds. The tests of refused options call
:func:`run_in_process` instead, and a few tests per command still start the real process (exit code,
``--help``, a file written), so both paths stay covered.
"""

from __future__ import annotations

import contextlib
import io
import subprocess

from zones.cli.main import main


def run_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """Return what ``python -m zones *args`` returns, from :func:`zones.cli.main.main` in this process.

    Parameters
    ----------
    *args : str
        The words after ``zones``.

    Returns
    -------
    subprocess.CompletedProcess
        The exit code (argparse's ``SystemExit`` code too), standard output and standard error. An uncaught
        exception is raised here, where the process would have printed its traceback.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["zones", *args], code, out.getvalue(), err.getvalue())
