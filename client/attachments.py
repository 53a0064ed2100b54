"""Files attached to a question, as LangChain's standard content blocks.

The type comes from the file's name here; the server reads the bytes and refuses a file that
is not what its name says (docs/security.md), so nothing is sniffed twice.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".pdf": "application/pdf",
}


class AttachmentError(ValueError):
    """A file that cannot be attached; the text says which and why."""


def attachment_block(path: str | Path) -> dict[str, Any]:
    """One file as an ``image`` or ``file`` block (base64, ``mime_type``, its name)."""
    file = Path(path)
    mime = TYPES.get(file.suffix.lower())
    if mime is None:
        kinds = ", ".join(sorted(TYPES))
        raise AttachmentError(f"cannot attach {file.name}: attach one of {kinds}")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise AttachmentError(f"cannot read {file}: {exc.strerror or exc}") from None
    encoded = base64.b64encode(data).decode("ascii")
    if mime == "application/pdf":
        return {"type": "file", "base64": encoded, "mime_type": mime, "filename": file.name}
    return {"type": "image", "base64": encoded, "mime_type": mime, "extras": {"name": file.name}}


def question_content(text: str, files: Sequence[str | Path]) -> str | list[dict[str, Any]]:
    """The question's content: its text alone, or a text block then one block per file."""
    if not files:
        return text
    return [{"type": "text", "text": text}, *(attachment_block(path) for path in files)]
