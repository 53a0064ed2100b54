"""``GET /app/threads`` (issue 21): the sidebar's page of threads in one request: titles from the
first question unless renamed, every status told apart, paging, literal search, bounded params."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from harness.server import Server
from server.thread_list import ListQuery, parse_query, thread_status
from server.thread_titles import first_question, one_line, title_of
from server.validation import InputError, check_title
from tests.approval_helpers import APPROVE_WEATHER, paused
from tests.run_inputs import FAST, asked, user
from tests.security.common import SLOW


async def listed(url: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    async with httpx.AsyncClient(base_url=url, headers=headers or {}, timeout=60) as http:
        response = await http.get("/app/threads", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def by_id(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in page["threads"]}


async def until(check: Any, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        await asyncio.sleep(0.1)


async def test_every_status_is_told_apart(server: Server, sdk: LangGraphClient) -> None:
    marker = uuid.uuid4().hex[:8]
    new = str((await sdk.threads.create())["thread_id"])
    done = await asked(sdk, f"count to 2 {marker} done")
    failed = await asked(sdk, f"count to 2 {marker} failed", model="no-such-provider:model")
    waiting, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)
    stopped = str((await sdk.threads.create())["thread_id"])
    run = await sdk.runs.create(
        stopped, "agent", input=user(f"分析用户数据 {marker}"), context=SLOW
    )
    await until(lambda: _run_status(sdk, stopped, run["run_id"], "running"))
    await sdk.runs.cancel(stopped, run["run_id"], wait=True)
    running = str((await sdk.threads.create())["thread_id"])
    busy = await sdk.runs.create(
        running, "agent", input=user(f"分析用户数据 {marker}"), context=SLOW
    )
    try:
        await until(lambda: _run_status(sdk, running, busy["run_id"], "running"))
        items = by_id(await listed(server.url, limit=100))
    finally:
        await sdk.runs.cancel(running, busy["run_id"])
    statuses = {name: items[thread]["status"] for name, thread in [
        ("new", new), ("done", done), ("failed", failed), ("waiting", waiting),
        ("stopped", stopped), ("running", running),
    ]}  # fmt: skip
    assert statuses == {name: name for name in statuses}
    assert items[new]["title"] == "New conversation"
    assert items[done]["title"] == f"count to 2 {marker} done"
    assert items[stopped]["title"] == f"分析用户数据 {marker}", "a stop mid-run keeps the title"
    assert items[waiting]["title"] == "北京天气如何？"
    assert not items[done]["renamed"]


async def _run_status(client: LangGraphClient, thread: str, run: str, status: str) -> bool:
    return (await client.runs.get(thread, run))["status"] == status


async def test_pages_reach_every_thread_newest_updated_first(
    server: Server, sdk: LangGraphClient
) -> None:
    marker = uuid.uuid4().hex[:8]
    made = [await asked(sdk, f"count to 1 {marker} #{n}") for n in range(5)]
    seen: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = await listed(server.url, limit=3, offset=offset, q=marker)
        seen += page["threads"]
        offset += 3
        if not page["has_more"]:
            break
    assert [item["id"] for item in seen] == made[::-1]
    assert [item["updated_at"] for item in seen] == sorted(
        (item["updated_at"] for item in seen), reverse=True
    )
    first = await listed(server.url, limit=1)
    assert first["has_more"] and len(first["threads"]) == 1


async def test_search_finds_titles_literally_and_a_rename_wins(
    server: Server, sdk: LangGraphClient
) -> None:
    marker = uuid.uuid4().hex[:8]
    plain = await asked(sdk, f"count to 1 {marker} Plain")
    odd = await asked(sdk, f"count to 1 {marker} 100%_off (a|b)* '; DROP TABLE threads; --")
    assert [i["id"] for i in (await listed(server.url, q=f"{marker} plain"))["threads"]] == [plain]
    for needle in ("%_off", "(a|b)*", "'; drop table"):
        assert odd in by_id(await listed(server.url, q=needle, limit=100)), needle
    for pattern in (f"{marker}.*", f"{marker} 100._off", f"{marker}%", f"{marker}_"):
        found = by_id(await listed(server.url, q=pattern, limit=100))
        assert odd not in found and plain not in found, pattern

    await sdk.threads.update(plain, metadata={"title": f"Renamed {marker}"})
    item = by_id(await listed(server.url, q=f"renamed {marker}"))[plain]
    assert item["title"] == f"Renamed {marker}" and item["renamed"]
    assert (await listed(server.url, q=f"{marker} plain"))["threads"] == []
    await sdk.runs.wait(plain, "agent", input=user("count to 1"), context=FAST)
    assert by_id(await listed(server.url, q=f"renamed {marker}"))[plain]["renamed"]


async def test_a_thread_without_a_recorded_question_is_titled_from_its_messages(
    server: Server, sdk: LangGraphClient
) -> None:
    marker = uuid.uuid4().hex[:8]
    thread = str((await sdk.threads.create(graph_id="agent"))["thread_id"])
    long_question = f"  {marker}\nwritten   before titles were recorded " + "x" * 100
    await sdk.threads.update_state(thread, user(long_question), as_node="agent")
    [item] = (await listed(server.url, q=marker))["threads"]
    assert item["id"] == thread and item["title"] == one_line(long_question)
    assert len(item["title"]) == 80 and "\n" not in item["title"]


async def test_a_run_that_creates_its_thread_titles_it(server: Server) -> None:
    marker = uuid.uuid4().hex[:8]
    thread = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        created = await http.post(
            f"/threads/{thread}/runs/wait",
            json={"assistant_id": "agent", "input": user(f"count to 1 {marker}"),
                  "context": FAST, "if_not_exists": "create"},
        )  # fmt: skip
    assert created.status_code == 200, created.text
    [item] = (await listed(server.url, q=marker))["threads"]
    assert item["id"] == thread and item["title"] == f"count to 1 {marker}"


BAD_PARAMS = [
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"limit": "-1"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"offset": "1e3"}, "offset"),
    ({"offset": "99999999999999999999"}, "offset"),
    ({"q": "x" * 201}, "q is 201"),
]


@pytest.mark.parametrize(("params", "detail"), BAD_PARAMS)
async def test_params_out_of_range_are_refused(
    server: Server, params: dict[str, str], detail: str
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        response = await http.get("/app/threads", params=params)
    assert response.status_code == 422, response.text
    assert detail in response.json()["detail"]


@pytest.mark.unit
def test_query_defaults_and_bounds() -> None:
    assert parse_query({}) == ListQuery("", 20, 0)
    assert parse_query({"q": "  hi ", "limit": "100", "offset": "5"}) == ListQuery("hi", 100, 5)
    with pytest.raises(InputError, match="limit must be a whole number from 1 to 100"):
        parse_query({"limit": "٣"})  # a digit, but not an ASCII one


@pytest.mark.unit
def test_status_rules_match_the_web_app() -> None:
    assert thread_status(None, False) == "new"
    assert thread_status("pending", False) == thread_status("running", True) == "running"
    assert thread_status("interrupted", False) == "stopped"
    assert thread_status("error", False) == thread_status("timeout", False) == "failed"
    assert thread_status("success", False) == "done"
    assert thread_status("success", True) == thread_status("interrupted", True) == "waiting"


@pytest.mark.unit
def test_titles() -> None:
    assert title_of({"title": "Mine", "question": "q"}) == ("Mine", True)
    assert title_of({"title": None, "question": " a\n b "}) == ("a b", False)
    assert title_of({}) == (None, False)
    blocks = [{"type": "text", "text": "hi "}, {"type": "image", "url": "u"}]
    answered = [{"role": "assistant", "content": "x"}, {"type": "human", "content": blocks}]
    assert first_question(answered) == "hi"
    assert first_question("just text") == "just text"
    assert first_question([{"role": "user", "content": "   "}]) is None


@pytest.mark.unit
@pytest.mark.parametrize(
    ("title", "detail"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 201, "201 characters"),
        ("two\nlines", "control characters"),
        ("bell\x07", "control characters"),
        ("tab\there", "control characters"),
        ("sep\u2028", "control characters"),
        (42, "must be a string"),
    ],
)
def test_bad_titles_are_refused(title: object, detail: str) -> None:
    with pytest.raises(InputError, match=detail):
        check_title(title, 200)
    check_title("Trip to 北京 ✈", 200)
    check_title(None, 200)
