from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.langgraph_server import Server, langgraph_dev


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One ``langgraph dev`` (offline model) shared by the tests that need a live server."""
    with langgraph_dev() as running:
        yield running
