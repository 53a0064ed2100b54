"""Images and PDFs in a message, whatever shape the client sent them in.

Clients send the same attachment in five shapes: LangChain JS data blocks (agent-chat-ui:
``{"type": "image", "mimeType", "data", "metadata": {"name"}}``), LangChain Python's v0 base64
blocks (``source_type``), LangChain v1 blocks (``base64`` + ``mime_type``), OpenAI's
``image_url`` with a data URL, and OpenAI's ``file`` block for PDFs. :func:`attachments_in`
reads them all into one :class:`Attachment`; :func:`as_standard_block` writes LangChain v1's
shape, which every chat model integration converts to its provider's format. What the bytes
really are is read from their first bytes (:func:`sniff`), never from what the client declared.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})
PDF = "application/pdf"
_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?:;[^,;]*)*;base64,(?P<data>.*)$", re.S)


@dataclass(frozen=True)
class Attachment:
    kind: str
    """``image`` or ``file``."""
    mime_type: str | None
    """As the client declared it."""
    data: str | None = None
    """Base64, as sent (decode with :meth:`decoded`)."""
    url: str | None = None
    """A link the provider may fetch; this server never does."""
    name: str | None = None

    def decoded(self) -> bytes:
        """The bytes; raises ``ValueError`` when ``data`` is not base64."""
        return _decoded(self.data or "")

    def head(self) -> bytes:
        """The first bytes, enough for :func:`sniff`, without decoding the rest."""
        return _decoded((self.data or "")[:_HEAD_CHARS])


_HEAD_CHARS = 24
"""Base64 characters for 18 bytes: every magic number :func:`sniff` reads."""


def _decoded(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the attachment's data is not base64") from exc


def attachments_in(content: object) -> list[Attachment]:
    """Every attachment in a message's content (a string has none)."""
    if not isinstance(content, list):
        return []
    return [found for block in content if (found := _read(block)) is not None]


def _read(block: object) -> Attachment | None:
    if not isinstance(block, dict):
        return None
    kind = block.get("type")
    if kind == "image_url":
        image_url = block.get("image_url")
        url = image_url.get("url") if isinstance(image_url, dict) else image_url
        return _from_url("image", url, None)
    if kind == "file" and isinstance(block.get("file"), dict):  # OpenAI's file block
        file = block["file"]
        return _from_url("file", file.get("file_data") or file.get("url"), file.get("filename"))
    if kind not in ("image", "file"):
        return None
    named = {
        **(block["extras"] if isinstance(block.get("extras"), dict) else {}),
        **(block["metadata"] if isinstance(block.get("metadata"), dict) else {}),
    }
    name = _str(named.get("name") or named.get("filename") or block.get("filename"))
    mime = block.get("mime_type") or block.get("mimeType")
    if block.get("source_type") == "url" or (block.get("url") and not block.get("data")):
        return Attachment(kind, mime, url=str(block.get("url")), name=name)
    data = block.get("base64") or block.get("data")
    if isinstance(data, str):
        return Attachment(kind, mime, data=data, name=name)
    return Attachment(kind, mime, name=name)


def _from_url(kind: str, url: object, name: object) -> Attachment | None:
    if not isinstance(url, str):
        return None
    if match := _DATA_URL.match(url):
        return Attachment(kind, match["mime"], data=match["data"], name=_str(name))
    return Attachment(kind, None, url=url, name=_str(name))


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def as_standard_block(attachment: Attachment, mime_type: str) -> dict[str, Any]:
    """LangChain v1's block for it (what ``ChatOpenAI`` and the other integrations convert)."""
    block: dict[str, Any] = {"type": attachment.kind, "mime_type": mime_type}
    if attachment.data is not None:
        block["base64"] = attachment.data
    else:
        block["url"] = attachment.url
    if attachment.name and attachment.kind == "file":
        block["filename"] = attachment.name  # OpenAI's file block carries it
    elif attachment.name:
        block["extras"] = {"name": attachment.name}
    return block


def standard_attachments(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """``messages`` with every attachment in LangChain v1's shape, which the chat model
    integrations convert for their provider (LangChain JS's camelCase blocks, for one, would
    reach OpenAI as they are and be refused). Messages without attachments are kept as is."""
    return [_standardized(message) for message in messages]


def _standardized(message: BaseMessage) -> BaseMessage:
    if not isinstance(message.content, list) or not attachments_in(message.content):
        return message
    content: list[str | dict[str, Any]] = []
    for block in message.content:
        found = _read(block)
        if found is None:
            content.append(block)
            continue
        mime = found.mime_type
        if found.data is not None:  # the run checks read the whole file; its head suffices here
            try:
                mime = sniff(found.head()) or mime
            except ValueError:
                pass
        content.append(as_standard_block(found, mime or ""))
    return message.model_copy(update={"content": content})


def sniff(data: bytes) -> str | None:
    """The type the bytes are, by their magic numbers, among the allowed ones."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def image_size(data: bytes, mime_type: str) -> tuple[int, int] | None:
    """Width and height from the header, without decoding the image."""
    try:
        if mime_type == "image/png":
            width, height = struct.unpack(">II", data[16:24])
            return width, height
        if mime_type == "image/gif":
            width, height = struct.unpack("<HH", data[6:10])
            return width, height
        if mime_type == "image/webp":
            return _webp_size(data)
        if mime_type == "image/jpeg":
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The first start-of-frame segment's size (SOF0-SOF15, not DHT, JPG or DAC)."""
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF, counted from its page objects (no PDF library needed)."""
    return len(_PAGE.findall(data))
