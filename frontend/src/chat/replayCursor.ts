/**
 * Workaround, langgraph-api 0.16.7 with @langchain/langgraph-sdk 1.11.0 (1.15.0 the same): every
 * new event stream on a thread (`POST /threads/{id}/stream/events`) replays the thread's whole
 * event tape, every run the page (or any client of the v2 protocol) made on it since the server
 * started, `values` (the full state, per step) included. The stream hook opens one on the first
 * send of a page and whenever its channels change, so a send on a long thread received every
 * earlier run again. The body's `since` (a seq: the server numbers a tape the same way on every
 * stream) makes the server skip what came before it, but the SDK never sends it.
 *
 * This fetch remembers, per stream URL, the seq of the newest end of a run it has seen (a root
 * `lifecycle` event `completed`, `failed` or `interrupted`: nothing of that run or an earlier
 * one comes after it on the tape) and sends it as `since` on a new stream without one. A stream
 * the server ends or breaks forgets it (a restarted server numbers its tape from 1 again).
 * Delete when the SDK resumes its subscriptions with `since`.
 *
 * Workaround, @langchain/react 1.1.0 (SDK 1.11.0 and 1.15.0): the hook's root subscription
 * always asks for `values`, the full state after every step (a 200-turn thread: ~360 kB,
 * several times per run), with no option to leave it out. The page shows the `messages` channel during a run and reads
 * the stored state once at its end (useThreadIndex.ts), so `values` is taken out of the channels
 * asked for. Delete when the hook's channels can be chosen.
 */

const RUN_ENDS = new Set(["completed", "failed", "interrupted"]);
const STREAM_PATH = /\/threads\/[^/]+\/stream\/events$/;

/** Per stream URL, the seq of the newest run end seen. */
const cursors = new Map<string, number>();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The seq of a frame that ends a run, or null. `frame` is one SSE event's text. */
export function runEndSeq(frame: string): number | null {
  if (!frame.startsWith("event: lifecycle")) return null;
  const data = /^data: (.*)$/m.exec(frame)?.[1];
  if (!data) return null;
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(event) || typeof event.seq !== "number" || !isRecord(event.params)) return null;
  const { namespace, data: lifecycle } = event.params;
  const root = Array.isArray(namespace) && namespace.length === 0;
  return root && isRecord(lifecycle) && RUN_ENDS.has(lifecycle.event as string) ? event.seq : null;
}

/** The subscription's body: `since` added when missing, `values` taken out of its channels. */
export function rewriteBody(body: BodyInit | null | undefined, since: number | undefined): BodyInit | null | undefined {
  if (typeof body !== "string") return body;
  const parsed: unknown = JSON.parse(body);
  if (!isRecord(parsed)) return body;
  const next = { ...parsed };
  if (since !== undefined && next.since === undefined) next.since = since;
  if (Array.isArray(next.channels)) next.channels = next.channels.filter((channel) => channel !== "values");
  return JSON.stringify(next);
}

/** The same bytes, read for run ends on the way; the end of the stream forgets the cursor. */
function watched(body: ReadableStream<Uint8Array>, key: string, signal: AbortSignal | null | undefined) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  const scan = (text: string) => {
    const frames = (pending + text).split(/\r?\n\r?\n/);
    pending = frames.pop() ?? "";
    for (const frame of frames) {
      const seq = runEndSeq(frame);
      if (seq !== null && seq > (cursors.get(key) ?? -1)) cursors.set(key, seq);
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            cursors.delete(key);
            controller.close();
            return;
          }
          scan(decoder.decode(value, { stream: true }));
          controller.enqueue(value);
        } catch (error) {
          if (!signal?.aborted) cursors.delete(key);
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** `inner`, with `since` and without `values` on the thread event streams it opens (see above). */
export function withReplayCursor(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (init?.method !== "POST" || !STREAM_PATH.test(new URL(url).pathname)) return inner(input, init);
    const response = await inner(input, { ...init, body: rewriteBody(init.body, cursors.get(url)) });
    if (!response.ok || !response.body) return response;
    return new Response(watched(response.body, url, init.signal), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
