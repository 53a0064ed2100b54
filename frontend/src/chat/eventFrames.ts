/**
 * Reading a server-sent event stream, for threadEvents.ts: frames out of the text as it comes,
 * a queue the hook reads them from, and a watch for a connection gone silent. Written here
 * because the SDK's own reading is what costs (threadEvents.ts says how much).
 */

const FRAME_END = /\r?\n\r?\n/;
const LINE_END = /\r?\n/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Splits a stream's text into SSE frames and parses each frame's data; keeps a cut-off frame. */
export class FrameReader {
  private pending = "";
  /** Whether the last text held a comment (the server's heartbeat). */
  heartbeat = false;

  read(text: string): Record<string, unknown>[] {
    const frames = (this.pending + text).split(FRAME_END);
    this.pending = frames.pop() ?? "";
    this.heartbeat = false;
    const events: Record<string, unknown>[] = [];
    for (const frame of frames) {
      let data: string | null = null;
      for (const line of frame.split(LINE_END)) {
        if (line.startsWith(":")) this.heartbeat = true;
        else if (line.startsWith("data:")) {
          const value = line.slice(line.startsWith("data: ") ? 6 : 5);
          data = data === null ? value : `${data}\n${value}`;
        }
      }
      const parsed: unknown = data === null || data.trim() === "" ? null : JSON.parse(data);
      if (isRecord(parsed)) events.push(parsed);
    }
    return events;
  }
}

/** Events waiting for the hook, handed over as it asks. */
export class EventQueue<Item> {
  private items: Item[] = [];
  private waiting: ((result: IteratorResult<Item>) => void) | null = null;
  private failWaiting: ((error: Error) => void) | null = null;
  private ended: { error?: Error } | null = null;

  push(event: Item) {
    if (this.ended) return;
    if (this.waiting) {
      this.waiting({ value: event, done: false });
      this.waiting = this.failWaiting = null;
    } else this.items.push(event);
  }

  end(error?: Error) {
    if (this.ended) return;
    this.ended = { error };
    if (!this.waiting) return;
    if (error) this.failWaiting?.(error);
    else this.waiting({ value: undefined, done: true });
    this.waiting = this.failWaiting = null;
  }

  next(): Promise<IteratorResult<Item>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.ended?.error) return Promise.reject(this.ended.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }
}

/** Silence for three heartbeat intervals breaks the connection; dormant until two heartbeats. */
export class IdleWatch {
  private lastBeat: number | null = null;
  private timeoutMs: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly onIdle: () => void) {}

  heartbeat() {
    const now = Date.now();
    if (this.lastBeat !== null) this.timeoutMs = 3 * Math.max(now - this.lastBeat, 1000);
    this.lastBeat = now;
  }

  data() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.timeoutMs === null ? null : setTimeout(this.onIdle, this.timeoutMs);
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
  }
}
