"""Files attached from the client library and ``agent-stream --attach`` (issue 21)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langgraph_sdk.client import LangGraphClient

from client import Done, Token, astream
from client.attachments import AttachmentError
from harness.server import Server
from tests.client.conftest import FAST, saved_messages
from tests.client.test_cli import cli
from tests.test_attachments import pdf, png


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {"chart.png": png(64, 48), "report.pdf": pdf(3), "notes.txt": b"plain text"}
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in made}


async def test_the_library_sends_files_with_the_question(
    server: Server, sdk: LangGraphClient, files: dict[str, Path]
) -> None:
    text, thread_id = "", ""
    attached = [files["chart.png"], files["report.pdf"]]
    async for event in astream("看看这些", url=server.url, context=FAST, attachments=attached):
        if isinstance(event, Token):
            text += event.content
        elif isinstance(event, Done):
            thread_id = event.thread_id
    expected = "我收到了 2 个附件：chart.png（PNG 图片，64×48）；report.pdf（PDF，3 页）。"
    assert text.startswith(expected)
    [question, _] = await saved_messages(sdk, thread_id)
    kinds = [block["type"] for block in question["content"]]
    assert kinds == ["text", "image", "file"], "stored with the thread, for a reload"


async def test_the_cli_attaches_files(server: Server, files: dict[str, Path]) -> None:
    done = await cli("--url", server.url, "--attach", str(files["chart.png"]), "what is it?")
    assert done.returncode == 0, done.stderr
    assert "I received 1 attachment: chart.png (PNG image, 64×48)." in done.stdout


async def test_a_file_that_cannot_be_sent_is_one_line(
    server: Server, files: dict[str, Path], tmp_path: Path
) -> None:
    for path, expected in (
        (files["notes.txt"], "cannot attach notes.txt: attach one of"),
        (tmp_path / "missing.png", "cannot read"),
    ):
        done = await cli("--url", server.url, "--attach", str(path), "what is it?")
        assert done.returncode == 1
        assert done.stderr.strip().count("\n") == 0 and expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""
    with pytest.raises(AttachmentError, match=r"notes\.txt"):
        astream("what?", url=server.url, attachments=[files["notes.txt"]])
