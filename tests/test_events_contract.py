"""The wire events are defined once (``contract/events.py``); the copies others read are generated
from that definition and must not drift from it. (The direct-route tests check every event the
server sends against the definition: ``tests/direct/conftest.py``.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.events import json_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "frontend" / "src" / "generated" / "events.schema.json"


@pytest.mark.unit
def test_the_checked_in_schema_is_the_definition() -> None:
    assert json.loads(SCHEMA.read_text()) == json_schema(), "run `make contract`"
