"""The wire events are defined once (``contract/events.py``); the copies others read are generated
from that definition and must not drift from it. (The direct-route tests check every event the
server sends against the definition: ``tests/direct/conftest.py``.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.events import json_schema, progress_event, progress_owner, read_progress

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "frontend" / "src" / "generated" / "events.schema.json"


@pytest.mark.unit
def test_the_checked_in_schema_is_the_definition() -> None:
    assert json.loads(SCHEMA.read_text()) == json_schema(), "run `make contract`"


@pytest.mark.unit
def test_a_progress_event_is_built_clamped_and_read_back_by_the_contract() -> None:
    event = progress_event("get_weather", "querying", 140, "Looking up Paris", "call_1")

    assert event == {
        "name": "progress",
        "tool": "get_weather",
        "phase": "querying",
        "progress": 100,
        "message": "Looking up Paris",
        "tool_call_id": "call_1",
    }
    assert progress_event("t", "p", -5) == {
        "name": "progress",
        "tool": "t",
        "phase": "p",
        "progress": 0,
    }
    assert read_progress(event) == {k: v for k, v in event.items() if k != "name"}
    assert read_progress({"name": "progress", "tool": "t"}) is None  # no phase, no progress
    assert read_progress({"name": "other", "tool": "t", "phase": "p", "progress": 1}) is None
    assert read_progress(["progress"]) is None


@pytest.mark.unit
def test_progress_without_a_call_id_goes_to_its_tools_latest_call() -> None:
    calls = [("a1", "analyze_dataset"), ("w1", "get_weather"), ("a2", "analyze_dataset")]

    assert progress_owner({"tool": "analyze_dataset", "phase": "p", "progress": 1}, calls) == "a2"
    named = {"tool": "analyze_dataset", "phase": "p", "progress": 1, "tool_call_id": "a1"}
    assert progress_owner(named, calls) == "a1"
    assert progress_owner({"tool": "generate_report", "phase": "p", "progress": 1}, calls) is None
