"""The dev server's workarounds are re-checked whenever a pinned version moves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server import dev_runtime

pytestmark = pytest.mark.unit

CONSTRAINTS = Path(__file__).resolve().parents[2] / "constraints.txt"


def test_the_patches_are_pinned_to_the_versions_installed_and_locked() -> None:
    """Fails when constraints.txt moves a pinned package: check each patch against
    docs/upstream.md for the new version, then update ``dev_runtime.PINS``."""
    locked = dict(re.findall(r"^([\w.-]+)==(\S+)$", CONSTRAINTS.read_text(), re.MULTILINE))
    assert {name: locked.get(name) for name in dev_runtime.PINS} == dev_runtime.PINS
    assert dev_runtime.mismatched_pins() == {}


def test_nothing_is_patched_outside_the_in_memory_runtime(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LANGGRAPH_RUNTIME_EDITION", raising=False)
    dev_runtime.apply()
    monkeypatch.setenv("LANGGRAPH_RUNTIME_EDITION", "postgres")
    dev_runtime.apply()
    assert dev_runtime.APPLIED == []


def test_a_moved_pin_patches_nothing_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("LANGGRAPH_RUNTIME_EDITION", "inmem")
    monkeypatch.setitem(dev_runtime.PINS, "langgraph-api", "0.0.1")
    dev_runtime.apply()
    assert dev_runtime.APPLIED == []
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "langgraph-api 0.16.7 (written for 0.0.1)" in warnings[0].message


def test_the_off_switch_patches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGGRAPH_RUNTIME_EDITION", "inmem")
    monkeypatch.setenv(dev_runtime.SWITCH, "off")
    dev_runtime.apply()
    assert dev_runtime.APPLIED == []
