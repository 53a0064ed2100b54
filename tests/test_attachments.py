"""Attachments read from every shape clients send, typed by their bytes (issue 21)."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from agent.attachments import (
    PDF,
    Attachment,
    as_standard_block,
    attachments_in,
    image_size,
    pdf_pages,
    sniff,
)

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent / "fixtures" / "attachments"


def png(width: int, height: int) -> bytes:
    """A real PNG (grey, 8-bit), made with zlib as any encoder would."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf(pages: int) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        *["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages,
    ]
    body = "".join(f"{n} 0 obj\n{text}\nendobj\n" for n, text in enumerate(objects, 1))
    return f"%PDF-1.4\n{body}trailer << /Root 1 0 R >>\n%%EOF\n".encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


IMAGE = png(64, 48)


@pytest.mark.parametrize(
    "block",
    [
        {
            "type": "image",
            "mimeType": "image/png",
            "data": b64(IMAGE),
            "metadata": {"name": "a.png"},
        },
        {"type": "image", "source_type": "base64", "mime_type": "image/png", "data": b64(IMAGE)},
        {"type": "image", "base64": b64(IMAGE), "mime_type": "image/png"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64(IMAGE)}"}},
    ],
    ids=["langchain-js", "langchain-v0", "langchain-v1", "openai"],
)
def test_every_image_shape_reads_the_same(block: dict[str, object]) -> None:
    content = [{"type": "text", "text": "what is this?"}, block]
    [found] = attachments_in(content)
    assert found.kind == "image"
    assert found.mime_type == "image/png"
    assert found.decoded() == IMAGE
    assert sniff(found.decoded()) == "image/png"
    assert image_size(found.decoded(), "image/png") == (64, 48)


@pytest.mark.parametrize(
    "block",
    [
        {"type": "file", "mimeType": PDF, "data": b64(pdf(3)), "metadata": {"filename": "r.pdf"}},
        {"type": "file", "source_type": "base64", "mime_type": PDF, "data": b64(pdf(3))},
        {"type": "file", "base64": b64(pdf(3)), "mime_type": PDF, "filename": "r.pdf"},
        {
            "type": "file",
            "file": {"file_data": f"data:{PDF};base64,{b64(pdf(3))}", "filename": "r.pdf"},
        },
    ],
    ids=["langchain-js", "langchain-v0", "langchain-v1", "openai"],
)
def test_every_pdf_shape_reads_the_same(block: dict[str, object]) -> None:
    [found] = attachments_in([block])
    assert (found.kind, found.mime_type) == ("file", PDF)
    assert sniff(found.decoded()) == PDF
    assert pdf_pages(found.decoded()) == 3


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("python.png", "image/png"),
        ("python.jpg", "image/jpeg"),
        ("python.gif", "image/gif"),
        ("python.webp", "image/webp"),
    ],
)
def test_real_files_are_typed_and_measured_by_their_bytes(name: str, mime: str) -> None:
    data = (FIXTURES / name).read_bytes()
    assert sniff(data) == mime
    assert image_size(data, mime) == (16, 16)


def test_bytes_that_are_no_allowed_type_are_not_typed() -> None:
    assert sniff(b"MZ\x90\x00 an executable") is None
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert sniff(b"") is None


def test_urls_are_kept_as_links_and_bad_base64_is_an_error() -> None:
    [linked] = attachments_in([{"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}])
    assert (linked.url, linked.data) == ("https://x.test/a.png", None)
    with pytest.raises(ValueError, match="not base64"):
        Attachment("image", "image/png", data="not base64!").decoded()
    assert attachments_in("just text") == []
    assert attachments_in([{"type": "text", "text": "hi"}]) == []


def test_the_standard_block_is_langchains_v1_shape() -> None:
    [found] = attachments_in([{"type": "image", "mimeType": "image/png", "data": b64(IMAGE)}])
    assert as_standard_block(found, "image/png") == {
        "type": "image",
        "mime_type": "image/png",
        "base64": b64(IMAGE),
    }


def test_the_offline_model_says_what_it_was_given() -> None:
    from langchain_core.messages import HumanMessage

    from agent.intents import plan_reply

    blocks: list[str | dict[Any, Any]] = [
        {
            "type": "image",
            "mimeType": "image/png",
            "data": b64(IMAGE),
            "metadata": {"name": "a.png"},
        },
        {"type": "file", "mimeType": PDF, "data": b64(pdf(3)), "metadata": {"filename": "r.pdf"}},
    ]
    english = plan_reply([HumanMessage(content=[{"type": "text", "text": "hi"}, *blocks])], [])
    assert english.text.startswith(
        "I received 2 attachments: a.png (PNG image, 64×48); r.pdf (PDF, 3 pages)."
    )
    chinese = plan_reply(
        [HumanMessage(content=[{"type": "text", "text": "看看这个"}, *blocks])], []
    )
    assert chinese.text.startswith(
        "我收到了 2 个附件：a.png（PNG 图片，64×48）；r.pdf（PDF，3 页）。"
    )
    alone = plan_reply([HumanMessage(content=blocks[:1])], [])
    assert alone.text == "I received 1 attachment: a.png (PNG image, 64×48)."


@pytest.mark.parametrize("name", ["python.png", "python.jpg", "python.gif", "python.webp"])
def test_the_head_of_a_file_is_enough_to_type_it(name: str) -> None:
    data = b64((FIXTURES / name).read_bytes())
    assert sniff(Attachment("image", None, data=data).head()) == sniff(base64.b64decode(data))
    assert sniff(Attachment("file", None, data=b64(pdf(1))).head()) == PDF
