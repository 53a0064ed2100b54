"""A long thread: the page reads what it shows (issue 24). Opening it reads its state, not its
history; a reply reads no history, and Send is enabled again before anything is read after the
run. Bounds are in bytes and requests, not time (timings are the bench's)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.helpers import (
    converges_to_server,
    record_statuses,
    sdk,
    send,
    wait_status,
    wait_status_shown,
)
from tests.e2e.network import NetworkLog

TURNS = 50
ANSWER = "lorem ipsum dolor " * 80  # ~1.4 kB: 50 turns make a ~90 kB state, 100 checkpoints
LOAD_BYTES = 600_000
"""Opening reads the state (~90 kB), the thread list and run lists: a bound that does not grow
with the thread. Reading its checkpoints, as the page used to, is ~4.7 MB."""
REPLY_BYTES = 1_000_000
"""A reply streams its run (the hook's `values` carry the state each step), reads the state once."""
PAGE_LIMIT = 10
EARLIER_RUNS = 4
REPLAY_FREE_BYTES = 100_000


@pytest.fixture
def long_thread(server: Server) -> str:
    """One thread of ``TURNS`` turns, written as supersteps in one request: through the runs API
    each turn would wait 0.5-1 s for the dev server's queue."""
    steps: list[dict[str, Any]] = []
    for turn in range(TURNS):
        question = {"type": "human", "content": f"question {turn}"}
        answer = {"type": "ai", "content": f"answer {turn}: {ANSWER}"}
        steps.append({"updates": [{"values": {"messages": [question]}, "as_node": "__start__"}]})
        steps.append({"updates": [{"values": {"messages": [answer]}, "as_node": "agent"}]})
    thread: Any = sdk(server.url).threads.create(graph_id="agent", supersteps=steps)
    return str(thread["thread_id"])


def open_thread(page: Page, frontend_url: str, server: Server, thread: str) -> None:
    # The run list (where versions are) is the last read of an opening thread.
    with page.expect_response(lambda response: "/runs?limit=100" in response.url):
        page.goto(app_url(frontend_url, server.url, offline_token_delay=0) + f"&thread={thread}")
    wait_status(page, "idle")
    expect(page.get_by_test_id("message-user")).to_have_count(TURNS)


def test_opening_a_long_thread_reads_its_state_not_its_history(
    page: Page, frontend_url: str, server: Server, long_thread: str
) -> None:
    log = NetworkLog(server.url).attach(page)
    log.mark("load")
    open_thread(page, frontend_url, server, long_thread)

    # No versions here (no run forked the thread), so no checkpoint besides the state is read.
    assert log.history_reads("load") == []
    assert log.bytes_since("load") < LOAD_BYTES, f"{log.bytes_since('load')} bytes on load"


def test_a_reply_reads_no_history_and_send_is_enabled_before_any_read(
    page: Page, frontend_url: str, server: Server, long_thread: str
) -> None:
    open_thread(page, frontend_url, server, long_thread)
    log = NetworkLog(server.url).attach(page)
    log.mark("reply")
    record_statuses(page)
    send(page, "hello after fifty turns")
    wait_status_shown(page, "streaming")
    page.get_by_test_id("message-input").fill("the next question")
    composer = page.get_by_test_id("composer")
    # Send is enabled at the run's end, before any read of the stored thread.
    expect(composer).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("send-button")).to_be_enabled()
    assert log.history_reads("reply") == []

    # Then the page converges to the stored thread by reading its state, once.
    converges_to_server(page, sdk(server.url), long_thread)
    assert log.history_reads("reply") == []
    state = f"/threads/{long_thread}/state"
    assert [r.path for r in log.requests_since("reply") if r.path == state] == [state], [
        (r.method, r.path, r.bytes) for r in log.requests_since("reply")
    ]
    assert log.bytes_since("reply") < REPLY_BYTES, f"{log.bytes_since('reply')} bytes for a reply"


def test_editing_an_old_question_reads_bounded_pages(
    page: Page, frontend_url: str, server: Server, long_thread: str
) -> None:
    open_thread(page, frontend_url, server, long_thread)
    log = NetworkLog(server.url).attach(page)
    log.mark("edit")
    questions = page.get_by_test_id("message-user")
    questions.nth(TURNS - 2).hover()
    page.get_by_role("button", name="Edit this question").nth(TURNS - 2).click()
    box = page.get_by_test_id("edit-input")
    box.fill("question again")
    box.press("Enter")
    versions = page.get_by_role("group", name="Versions of this question")
    expect(versions.get_by_test_id("version-label")).to_have_text("2/2")
    wait_status(page, "idle")
    reads = log.history_reads("edit")
    assert reads, "the fork point comes from the checkpoints"
    assert all(read.get("limit", 0) <= PAGE_LIMIT for read in reads), reads

    # After a reload, the run list says where the thread forked: only the pages back to it.
    log.mark("reload")
    page.reload()
    wait_status(page, "idle")
    expect(versions.get_by_test_id("version-label")).to_have_text("2/2")
    reads = log.history_reads("reload")
    assert reads and all(read.get("limit", 0) <= PAGE_LIMIT for read in reads), reads
    versions.get_by_role("button", name="Previous version of this question").click()
    expect(questions.nth(TURNS - 2)).to_have_text(f"question {TURNS - 2}")


def test_a_send_after_a_reload_does_not_replay_the_earlier_runs(
    page: Page, frontend_url: str, server: Server
) -> None:
    # Runs made through the page are kept on the thread's event tape, which a new event stream
    # replays from its start unless it says `since`.
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0))
    for turn in range(EARLIER_RUNS):
        send(page, f"count to 300, turn {turn}")
        wait_status(page, "idle")
    expect(page.get_by_test_id("message-assistant")).to_have_count(EARLIER_RUNS)
    thread = page.url.split("thread=")[1].split("&")[0]
    page.reload()
    wait_status(page, "idle")

    log = NetworkLog(server.url).attach(page)
    log.mark("send")
    record_statuses(page)
    send(page, "hello again")
    wait_status_shown(page, "streaming")
    wait_status(page, "idle")
    converges_to_server(page, sdk(server.url), thread)
    streams = [r for r in log.requests_since("send") if r.path.endswith("/stream/events")]
    assert streams, "the send opened the hook's event stream"
    # The page's first stream after a load (progress, lifecycle, tools: small) may open before
    # it knows a cursor, and, on a busy machine, after the send; what carries messages and
    # state must not replay.
    heavy = [json.loads(r.body) for r in streams]
    heavy = [b for b in heavy if {"messages", "values"} & set(b.get("channels", []))]
    assert heavy and all("since" in body for body in heavy), [r.body for r in streams]
    streamed = sum(r.bytes for r in streams)
    # The new run alone: a short answer, a few steps of a small state. The earlier runs' 1,200
    # tokens and their states would be several times this.
    assert streamed < REPLAY_FREE_BYTES, f"{streamed} bytes streamed for one short answer"
