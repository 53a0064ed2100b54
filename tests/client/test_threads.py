"""The thread commands (issue 21): the library and ``agent-stream threads list|rename|delete``
against a real server, with the web app's titles, statuses and search."""

from __future__ import annotations

import json
import uuid

import pytest
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import NotFoundError

from client.threads import delete_thread, list_threads, rename_thread
from harness.server import Server, free_port
from tests.client.test_cli import cli
from tests.run_inputs import asked


async def test_the_library_lists_searches_renames_and_deletes(
    server: Server, sdk: LangGraphClient
) -> None:
    marker = uuid.uuid4().hex[:8]
    older = await asked(sdk, f"count to 1 {marker} older")
    newer = await asked(sdk, f"count to 1 {marker} newer")

    page = await list_threads(search=marker.upper(), limit=1, url=server.url)
    assert [t.id for t in page.threads] == [newer] and page.has_more
    assert page.threads[0].title == f"count to 1 {marker} newer"
    assert page.threads[0].status == "done" and not page.threads[0].renamed
    rest = await list_threads(search=marker, limit=1, offset=1, url=server.url)
    assert [t.id for t in rest.threads] == [older] and not rest.has_more

    await rename_thread(older, f"Named {marker}", url=server.url)
    [named] = (await list_threads(search=f"named {marker}", url=server.url)).threads
    assert named.id == older and named.renamed
    await delete_thread(older, url=server.url)
    with pytest.raises(NotFoundError):
        await sdk.threads.get(older)


async def test_the_cli_lists_renames_and_deletes_only_when_told(
    server: Server, sdk: LangGraphClient
) -> None:
    marker = uuid.uuid4().hex[:8]
    thread = await asked(sdk, f"count to 1 {marker}")

    listed = await cli("threads", "list", "--search", marker, "--url", server.url)
    assert listed.returncode == 0, listed.stderr
    assert thread in listed.stdout and f"count to 1 {marker}" in listed.stdout
    assert "done" in listed.stdout

    renamed = await cli("threads", "rename", thread, f"Trip {marker}", "--url", server.url)
    assert renamed.returncode == 0, renamed.stderr
    lines = await cli(
        "threads", "list", "--search", f"trip {marker}", "--json", "--url", server.url
    )
    [item] = [json.loads(line) for line in lines.stdout.splitlines()]
    assert item["id"] == thread and item["title"] == f"Trip {marker}" and item["renamed"]

    unasked = await cli("threads", "delete", thread, "--url", server.url)  # stdin is not a tty
    assert unasked.returncode == 1 and "add --yes" in unasked.stderr
    assert (await sdk.threads.get(thread))["thread_id"] == thread
    deleted = await cli("threads", "delete", thread, "--yes", "--url", server.url)
    assert deleted.returncode == 0, deleted.stderr
    with pytest.raises(NotFoundError):
        await sdk.threads.get(thread)


async def test_cli_errors_are_one_line(server: Server) -> None:
    missing = str(uuid.uuid4())
    cases = [
        (("threads", "rename", missing, "x", "--url", server.url), "HTTP 404"),
        (("threads", "rename", missing, "two\nlines", "--url", server.url), "control characters"),
        (("threads", "list", "--url", f"http://127.0.0.1:{free_port()}"), "Cannot reach"),
    ]
    for args, expected in cases:
        done = await cli(*args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    too_many = await cli("threads", "list", "--limit", "101", "--url", server.url)
    assert too_many.returncode == 2 and "less than or equal to 100" in too_many.stderr
