"""A thread's title is a stored input (issue 21): bounded and one line on every write that can
set it, keys on and off; the thread list, rename and delete reach only the caller's threads."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from harness.server import Server
from tests.security.common import ALICE, BOB, FAST, HELLO, status_of

BAD_TITLES: list[tuple[object, str]] = [
    ("x" * 201, "the limit is 200"),
    ("two\nlines", "control characters"),
    ("null\x00byte", "control characters"),
    ("escape\x1b[31m", "control characters"),
    ("   ", "empty"),
    ({"nested": "object"}, "must be a string"),
]


def _writes(thread: str, title: object) -> list[tuple[str, str, dict[str, Any]]]:
    metadata = {"title": title}
    return [
        ("POST", "/threads", {"metadata": metadata}),
        ("PATCH", f"/threads/{thread}", {"metadata": metadata}),
        ("POST", f"/threads/{uuid.uuid4()}/runs/wait",
         {"assistant_id": "agent", "input": HELLO, "metadata": metadata,
          "if_not_exists": "create"}),
    ]  # fmt: skip


@pytest.mark.parametrize(("title", "detail"), BAD_TITLES)
async def test_a_bad_title_is_refused_on_every_write_and_nothing_changes(
    server: Server, secure: Server, title: object, detail: str
) -> None:
    for url, key in [(server.url, {}), (secure.url, {"x-api-key": ALICE})]:
        async with httpx.AsyncClient(base_url=url, headers=key, timeout=30) as http:
            created = await http.post("/threads", json={"metadata": {"title": "Kept"}})
            thread = created.json()["thread_id"]
            before = (await http.post("/threads/count", json={})).json()
            for method, path, body in _writes(thread, title):
                answer = await http.request(method, path, json=body)
                assert answer.status_code == 422, (url, method, path, answer.text)
                assert detail in answer.json()["detail"], answer.text
            assert (await http.post("/threads/count", json={})).json() == before
            assert (await http.get(f"/threads/{thread}")).json()["metadata"]["title"] == "Kept"


async def test_another_user_cannot_list_rename_or_delete_a_thread(
    secure: Server, alice: LangGraphClient, bob: LangGraphClient
) -> None:
    marker = uuid.uuid4().hex[:8]
    thread = str((await alice.threads.create())["thread_id"])
    await alice.runs.wait(
        thread, "agent", input={"messages": [{"role": "user", "content": f"count to 1 {marker}"}]},
        context=FAST,
    )  # fmt: skip
    async with httpx.AsyncClient(base_url=secure.url, timeout=30) as http:
        mine = await http.get("/app/threads", params={"q": marker}, headers={"x-api-key": ALICE})
        theirs = await http.get("/app/threads", params={"q": marker}, headers={"x-api-key": BOB})
        everyone = await http.get("/app/threads", params={"limit": 100})
    assert [item["id"] for item in mine.json()["threads"]] == [thread]
    assert theirs.status_code == 200 and theirs.json()["threads"] == []
    assert everyone.status_code == 401

    assert await status_of(bob.threads.update(thread, metadata={"title": "Bob's now"})) == 404
    assert await status_of(bob.threads.delete(thread)) == 404
    kept = await alice.threads.get(thread)
    assert "title" not in kept["metadata"] and kept["metadata"]["question"].endswith(marker)

    await alice.threads.update(thread, metadata={"title": f"Alice's {marker}"})
    [item] = (await _listed(secure, ALICE, marker))["threads"]
    assert item["title"] == f"Alice's {marker}" and item["renamed"]
    assert await status_of(alice.threads.delete(thread)) == 200
    assert (await _listed(secure, ALICE, marker))["threads"] == []


async def _listed(secure: Server, key: str, q: str) -> Any:
    async with httpx.AsyncClient(base_url=secure.url, timeout=30) as http:
        response = await http.get("/app/threads", params={"q": q}, headers={"x-api-key": key})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_web_page_can_read_why_its_title_was_refused(secure: Server) -> None:
    origin = "http://127.0.0.1:5173"
    async with httpx.AsyncClient(base_url=secure.url, timeout=30) as http:
        headers = {"x-api-key": ALICE, "origin": origin}
        thread = (await http.post("/threads", json={}, headers=headers)).json()["thread_id"]
        refused = await http.patch(
            f"/threads/{thread}", json={"metadata": {"title": "a\nb"}}, headers=headers
        )
    assert refused.status_code == 422
    assert refused.headers["access-control-allow-origin"] == origin
