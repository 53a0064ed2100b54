/**
 * A fake agent server behind the hook's custom-transport seam (AgentServerAdapter): the real
 * useStream runs unchanged, and a test scripts the protocol events a run would produce.
 */
import type { AgentServerAdapter } from "@langchain/react";
import type { ServerApi } from "../api";

type Message = Awaited<ReturnType<AgentServerAdapter["send"]>>;
type Command = Parameters<AgentServerAdapter["send"]>[0];
type EventStreamHandle = ReturnType<NonNullable<AgentServerAdapter["openEventStream"]>>;
type SubscribeParams = Parameters<NonNullable<AgentServerAdapter["openEventStream"]>>[0];
type ProtocolMessage = Record<string, unknown>;

class Queue<T> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void)[] = [];
  private closed = false;
  push(item: T) {
    const waiter = this.waiting.shift();
    if (waiter) waiter({ value: item, done: false });
    else this.items.push(item);
  }
  close() {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
  }
  iterable(): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const item = this.items.shift();
          if (item !== undefined) return Promise.resolve({ value: item, done: false });
          if (this.closed) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => this.waiting.push(resolve));
        },
        return: () => {
          this.close();
          return Promise.resolve({ value: undefined, done: true });
        },
      }),
    };
  }
}

interface Stream {
  channels: readonly string[];
  queue: Queue<ProtocolMessage>;
}

/** `input.requested` goes out on the `input` channel; `custom:<name>` also on `custom`. */
function listens(stream: Stream, channel: string): boolean {
  const base = channel.startsWith("custom:") ? "custom" : channel.split(".")[0]!;
  return stream.channels.includes(channel) || stream.channels.includes(base);
}

export class FakeServer implements AgentServerAdapter {
  threadId = "thread-1";
  runStarts: Command[] = [];
  /** `input.respond` commands: decisions, keyed by the interrupt they answer. */
  responds: Command[] = [];
  cancelled: string[] = [];
  /** Runs started, by run.start or input.respond; the newest is `run-<runs>`. */
  runs = 0;
  /** Set to make the next run.start or input.respond fail like the server would (e.g. 409 busy). */
  rejectNextRun: Error | null = null;
  values: { messages: Record<string, unknown>[] } = { messages: [] };
  /** The thread's pending interrupts, as its newest checkpoint reports them. */
  interrupts: unknown[] = [];
  private streams = new Set<Stream>();
  /** Every event so far: a stream opened late gets them first, as the protocol's server does. */
  private tape: { channel: string; event: ProtocolMessage }[] = [];
  private seq = 0;
  /** The latest run's status and error, as `runs.get` and `runs.join` would report them. */
  runStatus = "pending";
  runError: string | null = null;

  setThreadId(threadId: string) {
    this.threadId = threadId;
  }
  async open() {}
  async close() {
    for (const stream of this.streams) stream.queue.close();
  }
  events(): AsyncIterable<never> {
    return new Queue<never>().iterable();
  }
  /** What `GET /threads/{id}/state` answers: the values, no node left to run, the interrupts. */
  async getState<StateType>() {
    return { values: this.values as StateType, next: [], tasks: [{ interrupts: this.interrupts }] };
  }
  async send(command: Command): Promise<Message> {
    const starts = command.method === "run.start" ? this.runStarts : command.method === "input.respond" ? this.responds : null;
    if (!starts) return { type: "success", id: command.id, result: {} };
    starts.push(command);
    this.runStatus = "pending";
    const refusal = this.rejectNextRun;
    this.rejectNextRun = null;
    if (refusal) throw refusal;
    this.runs += 1;
    // langgraph-api 0.16.7 answers input.respond with no run id.
    return { type: "success", id: command.id, result: command.method === "run.start" ? { run_id: this.runId() } : {} };
  }
  openEventStream(params: SubscribeParams): EventStreamHandle {
    const stream: Stream = { channels: params.channels, queue: new Queue() };
    this.streams.add(stream);
    for (const { channel, event } of this.tape) if (listens(stream, channel)) stream.queue.push(event);
    return {
      events: stream.queue.iterable() as EventStreamHandle["events"],
      ready: Promise.resolve(),
      close: () => {
        stream.queue.close();
        this.streams.delete(stream);
      },
    };
  }

  runId(): string {
    return `run-${this.runs}`;
  }

  /** Deliver one protocol event to every stream subscribed to its channel. */
  emit(method: string, data: unknown, namespace: string[] = [], eventId?: string) {
    this.seq += 1;
    const event = {
      type: "event", seq: this.seq, event_id: eventId ?? String(this.seq), method,
      params: { namespace, timestamp: Date.now(), data },
    };
    const channel = method === "custom" && data && typeof data === "object" && "name" in data
      ? `custom:${String(data.name)}` : method;
    this.tape.push({ channel, event });
    for (const stream of this.streams) if (listens(stream, channel)) stream.queue.push(event);
  }

  /** The human message of the latest run.start, as the client sent it (with its id). */
  sentHuman(): Record<string, unknown> {
    const params = this.runStarts[this.runStarts.length - 1]?.params as
      | { input?: { messages?: Record<string, unknown>[] } }
      | undefined;
    const message = params?.input?.messages?.[0];
    if (!message) throw new Error("no run was started");
    return message;
  }

  /** The newest run's lifecycle event, named after the run as langgraph-api 0.16.7 names it. */
  lifecycle(event: "running" | "completed" | "interrupted" | "failed", error?: string) {
    const data = { event, graph_name: "agent", ...(error ? { error } : {}) };
    this.emit("lifecycle", data, [], `synth:${this.runId()}:lc||${event}`);
    this.runStatus = { running: "running", completed: "success", interrupted: "interrupted", failed: "error" }[event];
    this.runError = error ?? null;
  }
  /** The newest run pauses for a decision (`input.requested`, then `interrupted`). */
  pause(interruptId: string, payload: unknown) {
    this.emit("input.requested", { interrupt_id: interruptId, payload }, [], `synth:${this.runId()}:input||${interruptId}`);
    this.lifecycle("interrupted");
    this.runStatus = "success";
  }
  setValues(messages: Record<string, unknown>[]) {
    this.values = { messages };
    this.emit("values", this.values);
  }
  startMessage(id: string) {
    this.emit("messages", { event: "message-start", role: "ai", id });
    this.emit("messages", { event: "content-block-start", index: 0, content: { type: "text", text: "" } });
  }
  token(text: string) {
    this.emit("messages", { event: "content-block-delta", index: 0, delta: { type: "text-delta", text } });
  }
  finishMessage(text: string) {
    this.emit("messages", { event: "content-block-finish", index: 0, content: { type: "text", text } });
    this.emit("messages", { event: "message-finish" });
  }
  progress(tool: string, phase: string, progress: number) {
    this.emit("custom", { name: "progress", tool, phase, progress });
  }
}

/** The REST side of the fake: the thread's state is its current values, as one checkpoint, and
 * its history holds that checkpoint only. */
export function fakeApi(server?: FakeServer): ServerApi & { cancelCalls: string[] } {
  const cancelCalls: string[] = [];
  return {
    cancelCalls,
    listThreads: async () => ({ threads: [], hasMore: false }),
    renameThread: async () => undefined,
    deleteThread: async () => undefined,
    threadState: async () =>
      server
        ? { id: "checkpoint-1", parentId: null, messages: server.values.messages as never, interrupts: server.interrupts }
        : null,
    historyPage: async () => [],
    forkPoints: async () => [],
    newestRun: async () => (server && server.runs > 0 ? { id: server.runId(), status: server.runStatus } : null),
    runAfter: async (_threadId, previous) => {
      if (!server || server.runId() === previous) throw new Error("no new run");
      return server.runId();
    },
    runEnded: async () => undefined,
    runStatus: async () => server?.runStatus ?? "pending",
    runError: async () => server?.runError ?? null,
    cancelActiveRuns: async (threadId) => {
      cancelCalls.push(threadId);
      return 0;
    },
    cancelPendingCalls: async (threadId) => {
      cancelCalls.push(`pending:${threadId}`);
      if (server) server.interrupts = [];
    },
  };
}
