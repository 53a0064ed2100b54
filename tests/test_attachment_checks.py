"""Attachments a run is given: allowed types by their bytes, links never to this machine or a
private network, caps per file, per run and in count; a refusal queues nothing (issue 21)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client

from harness.server import Server, langgraph_dev
from tests.test_attachments import pdf, png

FAST = {"offline_token_delay": 0, "tool_step_delay": 0}
PNG = base64.b64encode(png(64, 48)).decode()
PDF_DATA = base64.b64encode(pdf(2)).decode()
SCRIPT = base64.b64encode(b"#!/bin/sh\nrm -rf /\n").decode()


def asking(*blocks: dict[str, Any]) -> dict[str, Any]:
    content = [{"type": "text", "text": "what is this?"}, *blocks]
    return {"messages": [{"role": "user", "content": content}]}


def image(data: str, mime: str = "image/png") -> dict[str, Any]:
    return {"type": "image", "mimeType": mime, "data": data, "metadata": {"name": "a.png"}}


def link(url: str) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": url}}


@pytest.fixture(scope="module")
def capped() -> Iterator[Server]:
    env = {"AGENT_MAX_ATTACHMENT_BYTES": "4000", "AGENT_MAX_ATTACHMENTS": "2"}
    with langgraph_dev(env=env) as running:
        yield running


async def _refused(server: Server, run_input: dict[str, Any], detail: str) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{server.url}/threads/{thread_id}/runs/stream",
            json={"assistant_id": "agent", "input": run_input, "context": FAST},
        )
    assert response.status_code == 422, response.text
    assert detail in response.json()["detail"]
    assert await client.runs.list(thread_id) == [], "nothing was queued"
    await client.aclose()


@pytest.mark.parametrize(
    ("block", "detail"),
    [
        (image(SCRIPT), "is not an allowed type"),
        (image(base64.b64encode(b"<svg/>").decode(), "image/svg+xml"), "not an allowed type"),
        (image(PNG, "application/pdf"), "is declared application/pdf but is image/png"),
        (image(PDF_DATA, "application/pdf"), "send it as a file block"),
        (image("not base64 at all!"), "is not base64"),
        (link("http://127.0.0.1:2024/threads"), "an internal address"),
        (link("http://localhost/a.png"), "an internal address"),
        (link("http://169.254.169.254/latest/meta-data"), "an internal address"),
        (link("http://10.0.0.7/a.png"), "an internal address"),
        (link("file:///etc/passwd"), "must be an http(s) link"),
    ],
)
async def test_an_attachment_that_is_not_what_it_says_is_refused(
    server: Server, block: dict[str, Any], detail: str
) -> None:
    await _refused(server, asking(block), detail)


async def test_attachments_are_capped_per_file_and_in_count(capped: Server) -> None:
    big = base64.b64encode(png(400, 400) + b"\x00" * 4000).decode()
    await _refused(capped, asking(image(big)), "is over 4000 bytes")
    await _refused(capped, asking(*[image(PNG)] * 3), "more than 2 attachments")


async def test_allowed_attachments_run(server: Server) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    pdf_block = {"type": "file", "mimeType": "application/pdf", "data": PDF_DATA}
    answer = await client.runs.wait(
        thread_id,
        "agent",
        input=asking(image(PNG), pdf_block, link("https://example.com/a.png")),
        context=FAST,
    )
    assert isinstance(answer, dict) and answer["messages"][-1]["type"] == "ai"
    await client.aclose()


async def test_a_picture_alone_is_a_question_and_is_acknowledged(server: Server) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    only: dict[str, Any] = {"messages": [{"role": "user", "content": [image(PNG)]}]}
    answer = await client.runs.wait(thread_id, "agent", input=only, context=FAST)
    assert isinstance(answer, dict)
    assert answer["messages"][-1]["content"] == "I received 1 attachment: a.png (PNG image, 64×48)."
    await client.aclose()
