"""What the offline model says of a question's attachments: name, type, and an image's pixel
size or a PDF's page count, read from the bytes. Deterministic, so tests can hold it."""

from __future__ import annotations

from agent.attachments import PDF, Attachment, attachments_in, image_size, pdf_pages, sniff

_KINDS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    PDF: "PDF",
}


def attachment_notes(content: object, zh: bool) -> str:
    """One sentence naming each attachment, or "" when there is none."""
    found = attachments_in(content)
    if not found:
        return ""
    notes = [_note(attachment, index, zh) for index, attachment in enumerate(found, 1)]
    if zh:
        return f"我收到了 {len(found)} 个附件：{'；'.join(notes)}。"
    plural = "attachment" if len(found) == 1 else "attachments"
    return f"I received {len(found)} {plural}: {'; '.join(notes)}."


def _note(attachment: Attachment, index: int, zh: bool) -> str:
    name = attachment.name or (
        f"{'图片' if zh else 'image'} {index}"
        if attachment.kind == "image"
        else f"{'文件' if zh else 'file'} {index}"
    )
    if attachment.url is not None:
        return f"{name}（{'链接' if zh else 'a link'}）" if zh else f"{name} (a link)"
    try:
        data = attachment.decoded()
    except ValueError:
        return name
    mime = sniff(data) or attachment.mime_type or ""
    kind = _KINDS.get(mime, mime)
    if mime == PDF:
        pages = pdf_pages(data)
        return f"{name}（PDF，{pages} 页）" if zh else f"{name} (PDF, {pages} pages)"
    size = image_size(data, mime)
    detail = f"{size[0]}×{size[1]}" if size else ""
    if zh:
        return f"{name}（{kind} 图片{'，' + detail if detail else ''}）"
    return f"{name} ({kind} image{', ' + detail if detail else ''})"
