/**
 * The stream hook's transport: the SDK's own (`ProtocolSseTransportAdapter`) for commands and
 * state, and this module's reading of the thread's event streams
 * (`POST /threads/{id}/stream/events`).
 *
 * Why not the SDK's reading (@langchain/langgraph-sdk 1.15.0): it parses SSE through three
 * TransformStreams that pass one chunk per line, four lines per event. During a 5,000-token
 * answer that took ~40% of the page's main-thread CPU (`make bench`, "Browser"). Here each
 * network read is decoded once, split into frames, and each frame's data parsed: the same
 * events in the same order. Reconnects as the SDK does: up to `RECONNECTS` attempts with its
 * backoff, none after a 4xx (but 408 and 429); a stream the server ends is opened again; once
 * the server sends heartbeats, silence for three of their intervals counts as a broken stream.
 *
 * It also does what the hook does not yet (langgraph-api 0.16.7 with @langchain/react 1.1.0):
 * - **`since`.** Every new event stream on a thread replays the thread's whole event tape: every
 *   run any client made on it since the server started, `values` included. The hook opens one on
 *   the first send of a page and whenever its channels change, so a send on a long thread received
 *   every earlier run again, and the SDK never sends `since` (a seq: the server numbers a tape the
 *   same way on every stream). Per thread, the seq of the newest end of a run seen (a root
 *   `lifecycle` `completed`, `failed` or `interrupted`: nothing of that run or an earlier one
 *   comes after it) is sent as `since` on the next stream. A stream that ends or breaks forgets
 *   it: a restarted server numbers its tape from 1 again.
 * - **No `values`.** The hook's root subscription always asks for the full state after every step
 *   (a 200-turn thread: ~360 kB, several times per run). The page shows the `messages` channel
 *   during a run and reads the stored state once at its end (useThreadIndex.ts), so `values` is
 *   left out of the channels asked for.
 * - **Slices.** When the page is busy for a moment, the network buffers 100 kB and more of token
 *   events, which the hook would project in one task (each token copies the message so far).
 *   Events are handed over `SLICE_EVENTS` at a time, a task apart, so input and paint go on.
 * - **Token runs.** Consecutive text deltas of a read reach the hook as one (deltaRuns.ts).
 * Delete each part when the SDK does it.
 */
import { ProtocolSseTransportAdapter } from "@langchain/langgraph-sdk";
import type { AgentServerAdapter } from "@langchain/react";
import { DeltaRuns } from "./deltaRuns";
import { EventQueue, FrameReader, IdleWatch } from "./eventFrames";

type OpenEventStream = NonNullable<AgentServerAdapter["openEventStream"]>;
type SubscribeParams = Parameters<OpenEventStream>[0];
type EventStreamHandle = ReturnType<OpenEventStream>;
type ProtocolEvent = EventStreamHandle["events"] extends AsyncIterable<infer E> ? E : never;

export const RECONNECTS = 5;
export const SLICE_EVENTS = 64;
const RUN_ENDS = new Set(["completed", "failed", "interrupted"]);

/** Per thread stream URL, the seq of the newest run end seen. */
const cursors = new Map<string, number>();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The seq of an event that ends a run on the thread, or null. */
export function runEndSeq(event: Record<string, unknown>): number | null {
  if (event.method !== "lifecycle" || typeof event.seq !== "number" || !isRecord(event.params)) return null;
  const { namespace, data } = event.params;
  const root = Array.isArray(namespace) && namespace.length === 0;
  return root && isRecord(data) && RUN_ENDS.has(data.event as string) ? event.seq : null;
}

/** The subscription's body: `since` when a run end was seen (or the caller gave one), no `values`. */
export function subscriptionBody(params: SubscribeParams, since: number | undefined): string {
  const channels = (params.channels as readonly string[]).filter((channel) => channel !== "values");
  return JSON.stringify({
    channels,
    ...(params.namespaces ? { namespaces: params.namespaces } : {}),
    ...(params.depth != null ? { depth: params.depth } : {}),
    ...(since !== undefined ? { since } : {}),
  });
}

interface Options {
  apiUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

class HttpError extends Error {
  constructor(readonly status: number, detail: string) {
    super(`Event stream request failed: ${status}${detail ? ` — ${detail}` : ""}`);
  }
}

const retryable = (error: unknown) =>
  !(error instanceof HttpError) || error.status >= 500 || error.status === 408 || error.status === 429;

/** The SDK's reconnect backoff: `min(1 s · 2^(attempt-1), 5 s)` plus up to 1 s of jitter. */
const backoffMs = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 5000) + Math.random() * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task boundary: input and paint may happen before the next slice (a message, since nested
 * setTimeouts wait at least 4 ms). */
const nextTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

export class ThreadEvents implements AgentServerAdapter {
  private readonly sdk: ProtocolSseTransportAdapter;
  private readonly streams = new Set<AbortController>();
  /** Shared by the thread's streams, so that a replay on one drops what another joined. */
  private readonly deltas = new DeltaRuns();
  readonly getState: ProtocolSseTransportAdapter["getState"];

  constructor(private readonly options: Options) {
    const defaultHeaders: Record<string, string> = options.apiKey ? { "x-api-key": options.apiKey } : {};
    this.sdk = new ProtocolSseTransportAdapter({ apiUrl: options.apiUrl, defaultHeaders, fetch: options.fetch });
    this.getState = this.sdk.getState.bind(this.sdk);
  }

  get threadId() {
    return this.sdk.threadId;
  }
  get apiUrl() {
    return this.sdk.apiUrl;
  }
  setThreadId(threadId: string) {
    this.sdk.setThreadId(threadId);
  }
  open() {
    return this.sdk.open();
  }
  send(...command: Parameters<AgentServerAdapter["send"]>) {
    return this.sdk.send(...command);
  }
  events() {
    return this.sdk.events();
  }
  async close() {
    for (const stream of this.streams) stream.abort();
    this.streams.clear();
    await this.sdk.close();
  }

  openEventStream(params: SubscribeParams): EventStreamHandle {
    const url = new URL(`/threads/${encodeURIComponent(this.threadId)}/stream/events`, this.options.apiUrl).href;
    const stop = new AbortController();
    this.streams.add(stop);
    const queue = new EventQueue<ProtocolEvent>();
    let settle: { resolve: () => void; reject: (error: unknown) => void } | null = null;
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    ready.catch(() => undefined);
    const close = () => {
      this.streams.delete(stop);
      stop.abort();
      queue.end();
    };

    const connect = async () => {
      let since = params.since ?? cursors.get(url);
      for (let attempt = 0; !stop.signal.aborted; ) {
        try {
          await this.read(url, subscriptionBody(params, since), stop.signal, queue, () => {
            attempt = 0;
            settle?.resolve();
            settle = null;
          });
          if (stop.signal.aborted) return;
          throw new Error("Event stream closed by the server");
        } catch (error) {
          if (stop.signal.aborted) return queue.end();
          cursors.delete(url);
          since = undefined;
          attempt += 1;
          if (!retryable(error) || attempt > RECONNECTS) {
            const failure = error instanceof Error ? error : new Error(String(error));
            settle?.reject(failure);
            return queue.end(failure);
          }
          await sleep(backoffMs(attempt));
        }
      }
    };
    void connect();
    return {
      events: { [Symbol.asyncIterator]: () => ({ next: () => queue.next(), return: async () => (close(), { done: true as const, value: undefined }) }) },
      ready,
      close,
    };
  }

  /** One connection: its events into `queue` until it ends, breaks or is stopped. */
  private async read(url: string, body: string, stop: AbortSignal, queue: EventQueue<ProtocolEvent>, opened: () => void) {
    const connection = new AbortController();
    const abort = () => connection.abort();
    stop.addEventListener("abort", abort);
    try {
      const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
      if (this.options.apiKey) headers["x-api-key"] = this.options.apiKey;
      const response = await (this.options.fetch ?? fetch)(url, { method: "POST", headers, body, signal: connection.signal });
      if (!response.ok) throw new HttpError(response.status, await response.text().catch(() => ""));
      if (!response.body) return;
      opened();
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const frames = new FrameReader();
      const idle = new IdleWatch(abort);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done || stop.aborted) return;
          const events = this.deltas.take(frames.read(decoder.decode(value, { stream: true })));
          if (frames.heartbeat) idle.heartbeat();
          idle.data();
          for (let at = 0; at < events.length && !stop.aborted; at += SLICE_EVENTS) {
            if (at > 0) await nextTask();
            for (const event of events.slice(at, at + SLICE_EVENTS)) {
              const seq = runEndSeq(event);
              if (seq !== null && seq > (cursors.get(url) ?? -1)) cursors.set(url, seq);
              queue.push(event as unknown as ProtocolEvent);
            }
          }
        }
      } finally {
        idle.stop();
        reader.releaseLock();
      }
    } finally {
      stop.removeEventListener("abort", abort);
    }
  }
}
