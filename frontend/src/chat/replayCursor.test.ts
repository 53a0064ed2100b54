import { runEndSeq, withReplayCursor } from "./replayCursor";

const frame = (method: string, seq: number, data: unknown, namespace: string[] = []) =>
  `event: ${method}\r\ndata: ${JSON.stringify({ type: "event", seq, method, params: { namespace, data } })}\r\nid: ${seq}\r\n\r\n`;

const URL_ = "http://api.test/threads/t1/stream/events";

/** A fake server: each stream answers `frames`, then stays open unless `end` says otherwise. */
function fakeFetch(frames: string[], end = false) {
  const bodies: unknown[] = [];
  const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Split mid-frame, as the network does.
        const text = frames.join("");
        controller.enqueue(encoder.encode(text.slice(0, 30)));
        controller.enqueue(encoder.encode(text.slice(30)));
        if (end) controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  return { fetch: fetch as typeof globalThis.fetch, bodies };
}

async function readSome(response: Response, bytes: number): Promise<string> {
  const reader = response.body!.getReader();
  let text = "";
  while (text.length < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text;
}

test("a run's end is a root lifecycle event that completes, fails or is interrupted", () => {
  expect(runEndSeq(frame("lifecycle", 7, { event: "completed" }).trim())).toBe(7);
  expect(runEndSeq(frame("lifecycle", 8, { event: "interrupted" }).trim())).toBe(8);
  expect(runEndSeq(frame("lifecycle", 3, { event: "running" }).trim())).toBeNull();
  expect(runEndSeq(frame("lifecycle", 9, { event: "completed" }, ["tools:1"]).trim())).toBeNull();
  expect(runEndSeq(frame("values", 4, { messages: [] }).trim())).toBeNull();
});

test("a new stream on the thread starts after the newest run end already seen", async () => {
  const frames = [
    frame("lifecycle", 1, { event: "running" }),
    frame("values", 2, { messages: [] }),
    frame("lifecycle", 3, { event: "completed" }),
    frame("lifecycle", 4, { event: "running" }),
  ];
  const server = fakeFetch(frames);
  const fetch = withReplayCursor(server.fetch);
  const init = { method: "POST", body: JSON.stringify({ channels: ["lifecycle"] }) };
  const first = await fetch(URL_, init);
  expect(await readSome(first, frames.join("").length)).toBe(frames.join(""));
  await fetch(URL_, { method: "POST", body: JSON.stringify({ channels: ["lifecycle", "values"] }) });
  expect(server.bodies).toEqual([
    { channels: ["lifecycle"] },
    // Run 4 had not ended: it comes again, whole.
    { channels: ["lifecycle"], since: 3 },
  ]);
});

test("a stream the server ends forgets the cursor (a restarted server numbers from 1 again)", async () => {
  const server = fakeFetch([frame("lifecycle", 5, { event: "completed" })], true);
  const fetch = withReplayCursor(server.fetch);
  const url = "http://api.test/threads/t2/stream/events";
  const init = { method: "POST", body: JSON.stringify({ channels: ["lifecycle"] }) };
  await (await fetch(url, init)).text();
  await fetch(url, init);
  expect(server.bodies).toEqual([{ channels: ["lifecycle"] }, { channels: ["lifecycle"] }]);
});

test("other requests pass through untouched", async () => {
  const server = fakeFetch([]);
  const fetch = withReplayCursor(server.fetch);
  const body = JSON.stringify({ id: 1, method: "run.start" });
  await fetch("http://api.test/threads/t1/commands", { method: "POST", body });
  expect(server.bodies).toEqual([{ id: 1, method: "run.start" }]);
});

test("the full state (`values`) is never asked for: the stored state is read at a run's end", async () => {
  const server = fakeFetch([]);
  const fetch = withReplayCursor(server.fetch);
  const body = JSON.stringify({ channels: ["values", "lifecycle", "messages"], namespaces: [[]] });
  await fetch("http://api.test/threads/t9/stream/events", { method: "POST", body });
  expect(server.bodies).toEqual([{ channels: ["lifecycle", "messages"], namespaces: [[]] }]);
});
