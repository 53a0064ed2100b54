import { FrameReader } from "./eventFrames";
import { runEndSeq, SLICE_EVENTS, subscriptionBody, ThreadEvents } from "./threadEvents";

const event = (method: string, seq: number, data: unknown, namespace: string[] = []) => ({
  type: "event",
  seq,
  event_id: `e${seq}`,
  method,
  params: { namespace, data },
});

/** The server's framing (langgraph-api's `json_to_sse`): CRLF lines, an `id`, a blank line. */
const frame = (e: ReturnType<typeof event>) =>
  `event: ${e.method}\r\ndata: ${JSON.stringify(e)}\r\nid: ${e.seq}\r\n\r\n`;

interface Opened {
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A fake server: each stream answers the next of `answers` (text, cut where the network might
 * cut it), then ends, breaks, or stays open until aborted. */
function fakeServer(answers: { text?: string; status?: number; then: "end" | "break" | "open" }[]) {
  const opened: Opened[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    opened.push({ url: String(input), body: JSON.parse(String(init?.body)), headers: init?.headers as Record<string, string> });
    const answer = answers.shift() ?? { then: "open" as const };
    if (answer.status) return new Response("no such thread", { status: answer.status });
    const encoder = new TextEncoder();
    const text = answer.text ?? "";
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(text.slice(0, 37)));
        controller.enqueue(encoder.encode(text.slice(37)));
        if (answer.then === "end") controller.close();
        if (answer.then === "break") controller.error(new TypeError("network error"));
        init?.signal?.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  return { fetch: fetch as typeof globalThis.fetch, opened };
}

async function take(events: AsyncIterable<unknown>, n: number): Promise<unknown[]> {
  const out: unknown[] = [];
  const iterator = events[Symbol.asyncIterator]();
  while (out.length < n) {
    const { done, value } = await iterator.next();
    if (done) break;
    out.push(value);
  }
  return out;
}

function adapter(server: ReturnType<typeof fakeServer>, thread: string, apiKey?: string) {
  const transport = new ThreadEvents({ apiUrl: "http://api.test", apiKey, fetch: server.fetch });
  transport.setThreadId(thread);
  return transport;
}

test("frames cut anywhere by the network parse into the same events, heartbeats apart", () => {
  const events = [event("messages", 1, { event: "content-block-delta" }), event("lifecycle", 2, { event: "running" })];
  const text = `: heartbeat\r\n\r\n${events.map(frame).join("")}`;
  for (const cut of [1, 5, 37, 80, text.length - 3]) {
    const reader = new FrameReader();
    expect([...reader.read(text.slice(0, cut)), ...reader.read(text.slice(cut))]).toEqual(events);
  }
  const beats = new FrameReader();
  beats.read(": heartbeat\r\n\r\n");
  expect(beats.heartbeat).toBe(true);
  expect(new FrameReader().read("data: {\"a\":\ndata: 1}\n\n")).toEqual([{ a: 1 }]);
});

test("a run's end is a root lifecycle event that completes, fails or is interrupted", () => {
  expect(runEndSeq(event("lifecycle", 7, { event: "completed" }))).toBe(7);
  expect(runEndSeq(event("lifecycle", 8, { event: "interrupted" }))).toBe(8);
  expect(runEndSeq(event("lifecycle", 3, { event: "running" }))).toBeNull();
  expect(runEndSeq(event("lifecycle", 9, { event: "completed" }, ["tools:1"]))).toBeNull();
  expect(runEndSeq(event("values", 4, { messages: [] }))).toBeNull();
});

test("the full state (`values`) is never asked for: the stored state is read at a run's end", () => {
  const params = { channels: ["values", "lifecycle", "messages"], namespaces: [[]] } as never;
  expect(JSON.parse(subscriptionBody(params, undefined))).toEqual({ channels: ["lifecycle", "messages"], namespaces: [[]] });
  expect(JSON.parse(subscriptionBody(params, 4))).toMatchObject({ since: 4 });
});

test("a new stream on the thread starts after the newest run end already seen", async () => {
  const tape = [
    event("lifecycle", 1, { event: "running" }),
    event("lifecycle", 3, { event: "completed" }),
    event("lifecycle", 4, { event: "running" }),
  ];
  const server = fakeServer([{ text: tape.map(frame).join(""), then: "open" }]);
  const transport = adapter(server, "t1", "k-1");
  const first = transport.openEventStream({ channels: ["lifecycle"] } as never);
  await first.ready;
  expect(await take(first.events, 3)).toEqual(tape);
  transport.openEventStream({ channels: ["lifecycle", "values"] } as never);
  await vi.waitFor(() => expect(server.opened).toHaveLength(2));
  expect(server.opened.map((o) => o.body)).toEqual([
    { channels: ["lifecycle"] },
    // Run 4 had not ended: it comes again, whole.
    { channels: ["lifecycle"], since: 3 },
  ]);
  const [opened] = server.opened;
  expect(opened?.url).toBe("http://api.test/threads/t1/stream/events");
  expect(opened?.headers["x-api-key"]).toBe("k-1");
  await transport.close();
});

test("a stream the server ends is opened again, from the start (a restarted server numbers from 1)", async () => {
  vi.useFakeTimers();
  try {
    const server = fakeServer([
      { text: frame(event("lifecycle", 5, { event: "completed" })), then: "end" },
      { text: frame(event("lifecycle", 1, { event: "running" })), then: "open" },
    ]);
    const transport = adapter(server, "t2");
    const stream = transport.openEventStream({ channels: ["lifecycle"] } as never);
    const events = take(stream.events, 2);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(await events).toHaveLength(2);
    expect(server.opened.map((o) => o.body)).toEqual([{ channels: ["lifecycle"] }, { channels: ["lifecycle"] }]);
    await transport.close();
  } finally {
    vi.useRealTimers();
  }
});

test("a 4xx is not retried: the stream fails with the server's words", async () => {
  const server = fakeServer([{ status: 404, then: "end" }]);
  const stream = adapter(server, "t3").openEventStream({ channels: ["lifecycle"] } as never);
  await expect(stream.ready).rejects.toThrow(/404 — no such thread/);
  await expect(take(stream.events, 1)).rejects.toThrow(/404/);
  expect(server.opened).toHaveLength(1);
});

test("a long read is handed over in slices, a task apart", async () => {
  const many = Array.from({ length: 3 * SLICE_EVENTS }, (_, i) => event("messages", i + 1, { event: "content-block-delta" }));
  const server = fakeServer([{ text: many.map(frame).join(""), then: "open" }]);
  const transport = adapter(server, "t4");
  const stream = transport.openEventStream({ channels: ["messages"] } as never);
  const iterator = stream.events[Symbol.asyncIterator]();
  await iterator.next();
  // What one task hands over: the rest of the first slice, then nothing until the next task.
  let handed = 1;
  for (let i = 0; i < 10 * SLICE_EVENTS; i++) {
    const next = await Promise.race([iterator.next().then(() => true), Promise.resolve().then(() => false)]);
    if (!next) break;
    handed += 1;
  }
  expect(handed).toBe(SLICE_EVENTS);
  expect(await take(stream.events, 2 * SLICE_EVENTS)).toHaveLength(2 * SLICE_EVENTS);
  await transport.close();
});

test("closing a stream stops its connection and ends its events", async () => {
  const server = fakeServer([{ text: "", then: "open" }]);
  const stream = adapter(server, "t5").openEventStream({ channels: ["lifecycle"] } as never);
  await stream.ready;
  const rest = take(stream.events, 1);
  stream.close();
  expect(await rest).toEqual([]);
});
