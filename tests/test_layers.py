"""The layers stay apart: the graph loads without the server, the client without either."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from harness.server import ROOT


def loaded_packages(module: str) -> set[str]:
    """The top-level packages in ``sys.modules`` after importing ``module`` in a fresh
    interpreter (a subprocess, since this one has imported everything already)."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in json.loads(out.splitlines()[-1])}


@pytest.mark.unit
def test_loading_the_graph_imports_nothing_of_the_server() -> None:
    loaded = loaded_packages("agent.graph")

    assert "agent" in loaded
    assert "server" not in loaded
    assert "client" not in loaded


@pytest.mark.unit
def test_the_client_imports_only_the_wire_contract() -> None:
    loaded = loaded_packages("client")

    assert "contract" in loaded
    assert "server" not in loaded
    assert "agent" not in loaded


@pytest.mark.unit
def test_the_contract_imports_neither_graph_nor_server() -> None:
    loaded = loaded_packages("contract.events")

    assert not {"agent", "server", "client"} & loaded
