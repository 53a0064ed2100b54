"""Browser tickets: short-lived, bound to a key and a route, never logged."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import httpx
import pytest

from harness.server import ROOT, Server
from server.api_keys import load_api_keys
from tests.security.common import ALICE, BOB, SECRET


async def test_tickets_cannot_be_forged_replayed_or_logged(
    secure: Server, http: httpx.AsyncClient
) -> None:
    issued = await http.post(
        "/api/chat/ticket", json={"path": "/api/chat/stream"}, headers={"x-api-key": ALICE}
    )
    ticket = issued.json()["ticket"]
    # Knowing every key is not enough to mint one: the secret is not derived from them.
    minted = load_api_keys(f"{ALICE}:alice,{BOB}:bob").ticket_for(BOB, "/api/chat/stream")

    def stream(ticket: str) -> Any:
        return http.get("/api/chat/stream", params={"query": "count to 2", "ticket": ticket})

    assert (await stream(ticket)).status_code == 200
    assert (await stream(minted)).status_code == 401
    assert (await stream("ticket-é-" + ticket)).status_code == 401
    socket_only = await http.post(
        "/api/chat/ticket", json={"path": "/ws/chat"}, headers={"x-api-key": ALICE}
    )
    assert (await stream(socket_only.json()["ticket"])).status_code == 401
    nowhere = await http.post("/api/chat/ticket", json={}, headers={"x-api-key": ALICE})
    assert nowhere.status_code == 422
    assert ticket not in secure.log_text() and "ticket=" not in secure.log_text()


@pytest.mark.unit
def test_a_ticket_dies_with_its_key() -> None:
    before = load_api_keys(f"{ALICE}:alice", secret=SECRET)
    ticket = before.ticket_for(ALICE, "/ws/chat")
    assert load_api_keys(f"{ALICE}:alice", secret=SECRET).user_for_ticket(ticket, "/ws/chat")

    remapped = load_api_keys(f"{ALICE}:bob", secret=SECRET)
    rotated = load_api_keys(f"{BOB}:alice", secret=SECRET)
    other_secret = load_api_keys(f"{ALICE}:alice", secret="t" * 40)
    for keys in (remapped, rotated, other_secret):
        assert keys.user_for_ticket(ticket, "/ws/chat") is None


@pytest.mark.unit
def test_several_replicas_need_a_ticket_secret() -> None:
    env = {
        **os.environ,
        "AGENT_API_KEYS": f"{ALICE}:alice",
        "MIGRATIONS_PATH": "/storage/migrations",  # what a Postgres-backed server sets
    }
    env.pop("AGENT_TICKET_SECRET", None)

    def load(module: str) -> subprocess.CompletedProcess[str]:
        code = f"import {module}"
        return subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert load("server.auth").returncode == 0  # importing reads no settings
    loaded = load("server.app")  # the server's start-up does
    assert loaded.returncode != 0
    assert "AGENT_TICKET_SECRET is required" in loaded.stderr
    assert ALICE not in loaded.stderr
