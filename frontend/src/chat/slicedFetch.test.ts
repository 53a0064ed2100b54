import { afterEach, vi } from "vitest";
import { inSlices, SLICE_BYTES, slicedFetch } from "./slicedFetch";

const bytes = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i + seed) % 251);

/** A response body that delivers `reads`, then ends (or, with `onCancel`, stays open). */
function source(reads: Uint8Array[], onCancel?: (reason: unknown) => void) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(read);
      if (!onCancel) controller.close();
    },
    cancel: onCancel,
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

const joined = (chunks: Uint8Array[]) => {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  chunks.reduce((at, c) => (all.set(c, at), at + c.byteLength), 0);
  return all;
};

const settledWithinMicrotasks = async (promise: Promise<unknown>) => {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let i = 0; i < 50; i++) await Promise.resolve();
  return settled;
};

afterEach(() => {
  vi.unstubAllGlobals();
});

test("a long read is cut into slices that add up to the same bytes; short reads pass as they are", async () => {
  const reads = [bytes(40_000), bytes(10, 7), bytes(SLICE_BYTES, 3)];
  const chunks = await readAll(inSlices(source(reads), SLICE_BYTES));
  expect(chunks.map((c) => c.byteLength)).toEqual([16_384, 16_384, 7_232, 10, 16_384]);
  expect(joined(chunks)).toEqual(joined(reads));
});

test("the rest of a long read waits for the next task", async () => {
  const reader = inSlices(source([bytes(3 * SLICE_BYTES)]), SLICE_BYTES).getReader();
  await reader.read();
  const second = reader.read();
  expect(await settledWithinMicrotasks(second)).toBe(false);
  expect((await second).value?.byteLength).toBe(SLICE_BYTES);
});

test("a new read is not held back", async () => {
  const reader = inSlices(source([bytes(10), bytes(20)]), SLICE_BYTES).getReader();
  await reader.read();
  expect(await settledWithinMicrotasks(reader.read())).toBe(true);
});

test("cancelling the slices cancels the response body", async () => {
  const cancelled = vi.fn();
  const stream = inSlices(source([bytes(3 * SLICE_BYTES)], cancelled), SLICE_BYTES);
  const reader = stream.getReader();
  await reader.read();
  await reader.cancel("stop");
  expect(cancelled).toHaveBeenCalledWith("stop");
});

test("only event streams are sliced; status and headers are kept", async () => {
  const json = new Response("{}", { headers: { "content-type": "application/json" } });
  const events = new Response(source([bytes(2 * SLICE_BYTES)]), {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "x-run": "r1" },
  });
  const fetchMock = vi.fn().mockResolvedValueOnce(json).mockResolvedValueOnce(events);
  vi.stubGlobal("fetch", fetchMock);

  expect(await slicedFetch("/threads", { method: "POST" })).toBe(json);
  const sliced = await slicedFetch("/stream");
  expect(fetchMock).toHaveBeenCalledWith("/threads", { method: "POST" });
  expect(sliced.status).toBe(200);
  expect(sliced.headers.get("x-run")).toBe("r1");
  expect((await readAll(sliced.body!)).map((c) => c.byteLength)).toEqual([SLICE_BYTES, SLICE_BYTES]);
});
