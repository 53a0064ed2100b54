import {
  attachmentBlocks,
  attachmentsOf,
  checkFile,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  questionContent,
  sniffType,
  toBase64,
  type Attachment,
} from "./attachments";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj\n");
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 1, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);

const ok = (checked: ReturnType<typeof checkFile>): Attachment => {
  if ("refused" in checked) throw new Error(checked.refused);
  return checked.attachment;
};
const refusal = (checked: ReturnType<typeof checkFile>): string => ("refused" in checked ? checked.refused : "");

test("types come from the bytes", () => {
  expect(sniffType(PNG)).toBe("image/png");
  expect(sniffType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
  expect(sniffType(new TextEncoder().encode("GIF89a"))).toBe("image/gif");
  expect(sniffType(WEBP)).toBe("image/webp");
  expect(sniffType(PDF)).toBe("application/pdf");
  expect(sniffType(new TextEncoder().encode("#!/bin/sh"))).toBeNull();
});

test("a file is refused for its bytes, a declared type they contradict, its size and the count", () => {
  expect(refusal(checkFile("cat.png", "image/png", new TextEncoder().encode("#!/bin/sh"), []))).toMatch(/not a PNG, JPEG/);
  expect(refusal(checkFile("a.pdf", "application/pdf", PNG, []))).toMatch(/says it is PDF but its bytes are PNG/);
  const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
  big.set(PNG);
  expect(refusal(checkFile("big.png", "image/png", big, []))).toMatch(/5\.0 MB per file/);
  const held = Array.from({ length: MAX_ATTACHMENTS }, (_, i) => ok(checkFile(`${i}.png`, "", PNG, [])));
  expect(refusal(checkFile("one-more.png", "", PNG, held))).toMatch(/at most 8 files/);
  const added = ok(checkFile("chart.png", "", PNG, []));
  expect(added).toMatchObject({ name: "chart.png", mimeType: "image/png", size: PNG.length, data: toBase64(PNG) });
});

test("base64 of large files does not overflow the stack", () => {
  const bytes = new Uint8Array(300_000).fill(65);
  expect(atob(toBase64(bytes)).length).toBe(300_000);
});

test("a question is LangChain JS data blocks after its text; a picture alone has no text block", () => {
  const image = ok(checkFile("chart.png", "image/png", PNG, []));
  const pdf = ok(checkFile("report.pdf", "", PDF, []));
  expect(questionContent("hi", [])).toBe("hi");
  expect(questionContent("what?", [image, pdf])).toEqual([
    { type: "text", text: "what?" },
    { type: "image", mimeType: "image/png", data: image.data, metadata: { name: "chart.png" } },
    { type: "file", mimeType: "application/pdf", data: pdf.data, metadata: { filename: "report.pdf" } },
  ]);
  expect(questionContent("", [image])).toEqual([
    { type: "image", mimeType: "image/png", data: image.data, metadata: { name: "chart.png" } },
  ]);
});

test("attachments are read back from every shape a stored message holds them in", () => {
  const content = [
    { type: "text", text: "these" },
    { type: "image", mimeType: "image/png", data: "AAA", metadata: { name: "a.png" } },
    { type: "file", mimeType: "application/pdf", data: "BBB", metadata: { filename: "r.pdf" } },
    { type: "image", base64: "CCC", mime_type: "image/gif" },
    { type: "image_url", image_url: { url: "data:image/webp;base64,DDD" } },
    { type: "file", file: { filename: "o.pdf", file_data: "data:application/pdf;base64,EEE" } },
  ];
  expect(attachmentsOf(content)).toEqual([
    { kind: "image", name: "a.png", mimeType: "image/png", src: "data:image/png;base64,AAA" },
    { kind: "file", name: "r.pdf", mimeType: "application/pdf" },
    { kind: "image", name: "image", mimeType: "image/gif", src: "data:image/gif;base64,CCC" },
    { kind: "image", name: "image", mimeType: "image/webp", src: "data:image/webp;base64,DDD" },
    { kind: "file", name: "o.pdf", mimeType: "application/pdf" },
  ]);
  expect(attachmentsOf("plain text")).toEqual([]);
  expect(attachmentBlocks(content)).toHaveLength(5);
});
