import { sentAt, withArrivalTimes } from "./messageTime";
import { buildMessages } from "./viewModel";

const none = { byCallId: new Map(), byToolName: new Map() };
const STAMP = "2026-12-06T09:30:00.000Z";

test("a stored message's time is the server's stamp; anything else is no time", () => {
  expect(sentAt({ sent_at: STAMP })).toBe(STAMP);
  expect(sentAt({ sent_at: "yesterday-ish" })).toBeUndefined();
  expect(sentAt(undefined)).toBeUndefined();
});

test("the view keeps a question's text, attachments and time", () => {
  const [view] = buildMessages([{
    type: "human", id: "h", additional_kwargs: { sent_at: STAMP },
    content: [{ type: "text", text: "what is this?" }, { type: "image", mimeType: "image/png", data: "AAA", metadata: { name: "a.png" } }],
  }], none, "cancelled");
  expect(view).toMatchObject({ text: "what is this?", time: STAMP, attachments: [{ kind: "image", name: "a.png" }] });
});

test("an unstored message shows when it was first seen, and keeps that time", () => {
  const seen = new Map<string, string>();
  const views = buildMessages([{ type: "human", id: "s", content: "old", additional_kwargs: { sent_at: STAMP } },
    { type: "ai", id: "x", content: "stored before stamps" }, { type: "ai", id: "live", content: "streaming" }], none, "running");
  const first = withArrivalTimes(views, new Set(["s", "x"]), seen, () => "T1");
  expect(first.map((view) => view.time)).toEqual([STAMP, undefined, "T1"]);
  const again = withArrivalTimes(views, new Set(["s", "x"]), seen, () => "T2");
  expect(again[2]?.time).toBe("T1");
});
