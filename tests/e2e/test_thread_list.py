"""The sidebar reaches every thread (issue 21): pages behind "Load more", a search the server runs
over threads not loaded yet, rename and delete that persist, relative dates, titles from the
first question; and the list with its statuses is one request, not one per thread."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest
from langgraph_sdk.errors import NotFoundError
from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server, langgraph_dev
from tests.e2e.helpers import sdk, send, wait_status, wait_thread_id
from tests.e2e.network import NetworkLog

THREADS = 26
"""More than one page (20)."""
FAST = {"offline_token_delay": 0, "tool_step_delay": 0}
MARKER = uuid.uuid4().hex[:6]


@pytest.fixture(scope="module")
def own_server() -> Iterator[Server]:
    """A server of its own, so the list holds exactly the threads made here."""
    with langgraph_dev() as running:
        yield running


@pytest.fixture(scope="module")
def threads(own_server: Server) -> list[dict[str, Any]]:
    """``THREADS`` answered threads, newest updated first, as the server lists them."""
    client = sdk(own_server.url)

    def ask(number: int) -> None:
        thread: Any = client.threads.create()
        question = {"role": "user", "content": f"count to 1 ({MARKER} thread {number:02d})"}
        client.runs.wait(thread["thread_id"], "agent", input={"messages": [question]}, context=FAST)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(ask, range(THREADS)))
    found: list[dict[str, Any]] = list(
        client.threads.search(limit=100, sort_by="updated_at", sort_order="desc")
    )
    assert len(found) == THREADS
    return found


def items(page: Page) -> Any:
    return page.get_by_test_id("thread-item")


def question_of(thread: dict[str, Any]) -> str:
    return str(thread["metadata"]["question"])


def test_load_more_reaches_the_oldest_in_one_request_per_page(
    page: Page, frontend_url: str, own_server: Server, threads: list[dict[str, Any]]
) -> None:
    log = NetworkLog(own_server.url).attach(page)
    page.goto(app_url(frontend_url, own_server.url))
    expect(items(page)).to_have_count(20)
    titles = items(page).locator(".thread-title").all_inner_texts()
    assert titles == [question_of(thread) for thread in threads[:20]], "from the first question"
    expect(items(page).first).to_have_attribute("data-status", "done")

    lists = [r for r in log.requests if r.path.startswith("/app/threads")]
    per_thread = [r for r in log.requests if re.match(r"^/threads/[^/]+/(runs|state)", r.path)]
    assert len(lists) == 1 and "limit=20" in lists[0].path, log.requests
    assert per_thread == [], "statuses and titles come with the list, not per thread"

    page.get_by_test_id("load-more-threads").click()
    expect(items(page)).to_have_count(THREADS)
    expect(items(page).last).to_contain_text(question_of(threads[-1]))
    expect(page.get_by_test_id("load-more-threads")).to_have_count(0)
    lists = [r for r in log.requests if r.path.startswith("/app/threads")]
    assert len(lists) == 2 and "offset=20" in lists[1].path

    # Relative dates, with the exact time on hover and in the markup.
    first_time = page.get_by_test_id("thread-time").first
    expect(first_time).to_have_text(re.compile(r"^(just now|\d+ minutes? ago)$"))
    stamp = first_time.get_attribute("datetime")
    assert stamp is not None and datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert re.search(r"\d{4}, \d{1,2}:\d{2}", first_time.get_attribute("title") or "")


def test_search_finds_a_thread_not_loaded_yet(
    page: Page, frontend_url: str, own_server: Server, threads: list[dict[str, Any]]
) -> None:
    oldest = question_of(threads[-1])
    page.goto(app_url(frontend_url, own_server.url))
    expect(items(page)).to_have_count(20)
    expect(items(page).filter(has_text=oldest)).to_have_count(0)

    page.get_by_test_id("thread-search").fill(oldest.split("(")[1].upper())  # case-insensitive
    expect(items(page)).to_have_count(1)
    expect(items(page)).to_contain_text(oldest)
    page.get_by_test_id("thread-search").fill("no such (title.*")
    expect(page.get_by_test_id("thread-search-empty")).to_be_visible()
    page.get_by_test_id("thread-search").fill("")
    expect(items(page)).to_have_count(20)


def test_rename_persists_and_esc_cancels(
    page: Page, frontend_url: str, own_server: Server, threads: list[dict[str, Any]]
) -> None:
    target = threads[3]
    page.goto(app_url(frontend_url, own_server.url))
    row = page.locator(".thread-row").filter(has_text=question_of(target))
    row.get_by_test_id("thread-rename").click()
    box = page.get_by_test_id("thread-title-input")
    expect(box).to_be_focused()
    box.fill("Ignored name")
    box.press("Escape")
    expect(box).to_have_count(0)
    expect(items(page).filter(has_text=question_of(target))).to_have_count(1)

    row.get_by_test_id("thread-rename").click()
    box.fill("   ")
    box.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("empty")
    box.fill(f"Trip plans {MARKER}")
    box.press("Enter")
    renamed = items(page).filter(has_text=f"Trip plans {MARKER}")
    expect(renamed).to_have_count(1)
    expect(items(page).first).to_have_text(re.compile(f"Trip plans {MARKER}"))  # updated now

    page.reload()
    expect(items(page).filter(has_text=f"Trip plans {MARKER}")).to_have_count(1)
    stored: Any = sdk(own_server.url).threads.get(target["thread_id"])
    assert stored["metadata"]["title"] == f"Trip plans {MARKER}"


def test_delete_asks_first_and_the_open_thread_gives_way_to_a_new_chat(
    page: Page, frontend_url: str, own_server: Server, threads: list[dict[str, Any]]
) -> None:
    client = sdk(own_server.url)
    page.goto(app_url(frontend_url, own_server.url))
    kept = question_of(threads[5])
    row = page.locator(".thread-row").filter(has_text=kept)
    row.get_by_test_id("thread-delete").click()
    page.get_by_test_id("cancel-delete").click()
    expect(items(page).filter(has_text=kept)).to_have_count(1)
    row.get_by_test_id("thread-delete").click()
    page.get_by_test_id("confirm-delete").click()
    expect(items(page).filter(has_text=kept)).to_have_count(0)
    with pytest.raises(NotFoundError):
        client.threads.get(threads[5]["thread_id"])

    send(page, f"count to 2 ({MARKER} open)")
    wait_status(page, "idle")
    opened = wait_thread_id(page)
    current = page.locator(".thread-row").filter(has=page.locator('[aria-current="page"]'))
    expect(current).to_contain_text(f"({MARKER} open)")
    current.get_by_test_id("thread-delete").click()
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_test_id("message-user")).to_have_count(0)
    page.wait_for_function("() => !new URLSearchParams(location.search).has('thread')")
    # The page leaves the thread before it asks for the delete; it drops the item once deleted.
    expect(items(page).filter(has_text=f"({MARKER} open)")).to_have_count(0)
    with pytest.raises(NotFoundError):
        client.threads.get(opened)


def test_a_new_conversation_shows_at_once_and_is_read_again_when_its_run_ends(
    page: Page, frontend_url: str, own_server: Server, threads: list[dict[str, Any]]
) -> None:
    """The first message puts its thread at the top, running, named by the question, without
    reading the list while the run starts; the read at the run's end shows it done."""
    log = NetworkLog(own_server.url).attach(page)
    slow = {"offline_token_delay": 0.05, "tool_step_delay": 0}
    page.goto(app_url(frontend_url, own_server.url, **slow))
    expect(items(page)).to_have_count(20)
    log.mark("sent")
    question = f"count to 40 ({MARKER} new)"
    send(page, question)
    first = items(page).first
    expect(first).to_contain_text(question)
    expect(first).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("message-assistant")).to_contain_text("1 2 3")
    assert not [r for r in log.requests_since("sent") if r.path.startswith("/app/threads")]

    wait_status(page, "idle")
    expect(first).to_have_attribute("data-status", "done")
    expect(first).to_contain_text(question)
    expect(items(page).filter(has_text=question)).to_have_count(1)
    expect(first).to_have_attribute("aria-current", "page")
