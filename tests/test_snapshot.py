"""Every export of the 81 fixed scenarios of :mod:`tools.snapshot` keeps its fingerprint.

The fingerprints (SHA-256 of each export's bytes) live in ``tests/__snapshots__/test_snapshot.ambr``,
a syrupy snapshot committed with the code. A refactor that changes no number passes as it is; a change
that moves a number fails here, naming the scenario and the export. When the change is meant, say by how
much the outputs moved (``python -m tools.snapshot --dump`` before and after, then ``--measure``), and
rewrite the snapshot with ``python -m pytest tests/test_snapshot.py --snapshot-update``: only then does
the test write into the checkout.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import pytest
from syrupy.assertion import SnapshotAssertion

from tools.snapshot import exports, scenarios

SCENARIOS: Final = dict(scenarios())


def test_the_scenarios_are_the_81_of_tools_snapshot() -> None:
    assert len(SCENARIOS) == 81  # the names are unique: none was lost as the dict was built


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_export_keeps_its_fingerprint(name: str, snapshot: SnapshotAssertion) -> None:
    options: dict[str, Any] = SCENARIOS[name]
    fingerprints = {output: hashlib.sha256(data).hexdigest() for output, data in exports(options).items()}
    assert fingerprints == snapshot
