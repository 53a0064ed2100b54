/**
 * Attachments: images and PDFs sent with a question, as LangChain JS data blocks (the shape
 * agent-chat-ui sends), and read back from whatever shape a stored message holds them in.
 *
 * The checks mirror the server's defaults (server/attachment_policy.py) so a person hears at
 * once why a file is refused; the server stays the authority (it may be configured stricter,
 * and its 422 is shown too). The type is read from the first bytes, as the server does.
 */

const MIB = 2 ** 20;
/** One file, decoded (the server's AGENT_MAX_ATTACHMENT_BYTES default). */
export const MAX_ATTACHMENT_BYTES = 5 * MIB;
/** Files in one message (AGENT_MAX_ATTACHMENTS). */
export const MAX_ATTACHMENTS = 8;
/** All of one message's files (AGENT_MAX_RUN_ATTACHMENT_BYTES). */
export const MAX_MESSAGE_ATTACHMENT_BYTES = 20 * MIB;

const PDF = "application/pdf";
const KINDS: Record<string, string> = {
  "image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP", "image/gif": "GIF", [PDF]: "PDF",
};
/** What the file picker offers. */
export const ACCEPTED_TYPES = Object.keys(KINDS).join(",");

/** A file ready to send. */
export interface Attachment {
  id: string;
  name: string;
  mimeType: string;
  /** Base64. */
  data: string;
  size: number;
}

/** An attachment as a message shows it. */
export interface AttachmentView {
  kind: "image" | "file";
  name: string;
  mimeType: string;
  /** A data: URL, for an image whose bytes the message holds. */
  src?: string;
}

export type Checked = { attachment: Attachment } | { refused: string };

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0) =>
  magic.every((byte, index) => bytes[at + index] === byte);

/** The type the bytes are, among those allowed, or null. */
export function sniffType(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "image/gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF;
  return null;
}

function megabytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes < MIB ? 2 : 1)} MB`;
}

/** Base64 of `bytes`, in chunks (a spread of megabytes overflows the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

/**
 * A file checked against the allowed types (by its bytes, and its declared type must agree when
 * it declares one) and the caps, given what the message already holds.
 */
export function checkFile(name: string, declared: string, bytes: Uint8Array, held: readonly Attachment[]): Checked {
  const type = sniffType(bytes);
  if (type === null) return { refused: `${name} is not a PNG, JPEG, WebP or GIF image or a PDF.` };
  if (declared && declared !== type && declared in KINDS) {
    return { refused: `${name} says it is ${KINDS[declared]} but its bytes are ${KINDS[type]}.` };
  }
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    return { refused: `${name} is ${megabytes(bytes.length)}; the limit is ${megabytes(MAX_ATTACHMENT_BYTES)} per file.` };
  }
  if (held.length >= MAX_ATTACHMENTS) return { refused: `${name} was not added: at most ${MAX_ATTACHMENTS} files per message.` };
  const total = held.reduce((sum, attachment) => sum + attachment.size, bytes.length);
  if (total > MAX_MESSAGE_ATTACHMENT_BYTES) {
    return { refused: `${name} was not added: the files would be over ${megabytes(MAX_MESSAGE_ATTACHMENT_BYTES)} together.` };
  }
  const id = `${name}-${bytes.length}-${Math.random().toString(36).slice(2)}`;
  return { attachment: { id, name, mimeType: type, data: toBase64(bytes), size: bytes.length } };
}

/** A question's content: its text alone, or a text block (when there is text) and one LangChain
 * JS data block per attachment. */
export function questionContent(text: string, attachments: readonly Attachment[]): string | Record<string, unknown>[] {
  if (attachments.length === 0) return text;
  const files = attachments.map(({ name, mimeType, data }) =>
    mimeType === PDF
      ? { type: "file", mimeType, data, metadata: { filename: name } }
      : { type: "image", mimeType, data, metadata: { name } },
  );
  return text ? [{ type: "text", text }, ...files] : files;
}

/** A question's non-text blocks, kept when its text is edited. */
export function attachmentBlocks(content: unknown): unknown[] {
  return Array.isArray(content) ? content.filter((block) => readAttachment(block) !== null) : [];
}

const record = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
const text = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

/** One block as an attachment, whichever shape holds it: LangChain JS data blocks (`mimeType`,
 * `data`), LangChain v1 (`base64`, `mime_type`), v0 (`source_type: "base64"`), OpenAI's
 * `image_url` with a data URL or its `file` block. Null for anything else. */
export function readAttachment(block: unknown): AttachmentView | null {
  const found = record(block);
  if (!found || typeof found.type !== "string") return null;
  const metadata = record(found.metadata) ?? {};
  if (found.type === "image_url") {
    const imageUrl = record(found.image_url);
    const url = text(imageUrl?.url) ?? text(found.image_url);
    const match = url ? /^data:([\w.+-]+\/[\w.+-]+)[^,]*;base64,/.exec(url) : null;
    return { kind: "image", name: "image", mimeType: match?.[1] ?? "image", src: match ? url : undefined };
  }
  if (found.type === "file" && record(found.file)) {
    const file = record(found.file) ?? {};
    return { kind: "file", name: text(file.filename) ?? "file", mimeType: PDF };
  }
  if (found.type !== "image" && found.type !== "file") return null;
  const mimeType = text(found.mimeType) ?? text(found.mime_type) ?? (found.type === "file" ? PDF : "image");
  const data = text(found.data) ?? text(found.base64);
  const name = text(metadata.name) ?? text(metadata.filename) ?? text(found.filename) ?? text(found.name) ?? found.type;
  if (found.type === "file") return { kind: "file", name, mimeType };
  const src = data && mimeType.startsWith("image/") ? `data:${mimeType};base64,${data}` : text(found.url);
  return { kind: "image", name, mimeType, src };
}

/** The attachments a message's content holds, in order. */
export function attachmentsOf(content: unknown): AttachmentView[] {
  if (!Array.isArray(content)) return [];
  return content.flatMap((block) => readAttachment(block) ?? []);
}
