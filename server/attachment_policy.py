"""What a run may be given as attachments: allowed types, checked by their bytes, and caps.

A client declares a type (``image/png``) and sends bytes; the bytes decide (magic numbers,
:func:`agent.attachments.sniff`): a script named ``cat.png`` is refused, as is a PNG declared
as a PDF. Links are passed to the provider as they are, never fetched here, and refused when
they name this machine or a private network: a model made to fetch internal addresses is a
probe all the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from agent.attachments import IMAGE_TYPES, PDF, Attachment, attachments_in, sniff
from agent.context import env_number
from server.validation import InputError
from server.webhooks import is_internal_host

ALLOWED = IMAGE_TYPES | {PDF}
_MIB = 2**20


@dataclass(frozen=True)
class AttachmentLimits:
    max_bytes: int = 5 * _MIB
    """One attachment, decoded."""
    max_count: int = 8
    """Attachments in one run's input."""
    max_run_bytes: int = 20 * _MIB
    """All of one run's attachments, decoded."""

    @classmethod
    def from_env(cls) -> AttachmentLimits:
        return cls(
            max_bytes=env_number("AGENT_MAX_ATTACHMENT_BYTES", cls.max_bytes, 1),
            max_count=env_number("AGENT_MAX_ATTACHMENTS", cls.max_count, 0),
            max_run_bytes=env_number("AGENT_MAX_RUN_ATTACHMENT_BYTES", cls.max_run_bytes, 1),
        )


def check_attachments(contents: Iterable[tuple[str, object]], limits: AttachmentLimits) -> None:
    """``contents``: each message's content with where it is (``input.messages[0].content``)."""
    count = total = 0
    for where, content in contents:
        for attachment in attachments_in(content):
            count += 1
            if count > limits.max_count:
                raise InputError(f"more than {limits.max_count} attachments in one run")
            total += _checked(attachment, where, limits)
            if total > limits.max_run_bytes:
                raise InputError(
                    f"the attachments are over {limits.max_run_bytes} bytes together; "
                    "send fewer at once"
                )


def _checked(attachment: Attachment, where: str, limits: AttachmentLimits) -> int:
    """The attachment's size in bytes, once its type and address are allowed."""
    label = f"{where}: the attachment{f' {attachment.name!r}' if attachment.name else ''}"
    if attachment.url is not None:
        _check_link(attachment.url, label)
        return 0
    if attachment.data is None:
        raise InputError(f"{label} has neither data nor a URL")
    if len(attachment.data) > limits.max_bytes * 4 // 3 + 4:  # before decoding it
        raise InputError(f"{label} is over {limits.max_bytes} bytes")
    try:
        data = attachment.decoded()
    except ValueError as exc:
        raise InputError(f"{label}: {exc}") from None
    if len(data) > limits.max_bytes:
        raise InputError(f"{label} is over {limits.max_bytes} bytes")
    actual = sniff(data)
    if actual is None:
        kinds = ", ".join(sorted(ALLOWED))
        raise InputError(f"{label} is not an allowed type; send one of {kinds}")
    if attachment.mime_type and attachment.mime_type.lower() != actual:
        raise InputError(f"{label} is declared {attachment.mime_type} but is {actual}")
    if (attachment.kind == "image") != (actual in IMAGE_TYPES):
        block = "a file block" if actual == PDF else "an image block"
        raise InputError(f"{label} is {actual}: send it as {block}")
    return len(data)


def _check_link(url: str, label: str) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise InputError(f"{label} must be an http(s) link or base64 data")
    if is_internal_host(host):
        raise InputError(f"{label} links to {host!r}, an internal address; send the file instead")
