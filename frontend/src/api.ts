/**
 * The server calls the page makes besides streaming (REST, through the SDK client): the thread
 * list (one request per page, to the server's `GET /app/threads`), renaming and deleting threads,
 * a thread's checkpoints, its runs' status and errors, and cancelling runs. None of them
 * waits on the server: a page already keeps two event streams open, and a browser allows six
 * connections per server (over HTTP/1.1, which `langgraph dev` speaks) for all its tabs.
 */
import type { Client } from "@langchain/langgraph-sdk/client";
import type { Checkpoint } from "./chat/branches";
import type { MessageLike } from "./chat/viewModel";

/** `waiting`: paused for a person's decision (docs/approval.md), which is not `stopped`. */
export type ThreadStatus = "new" | "running" | "waiting" | "done" | "stopped" | "failed";

export interface ThreadSummary {
  id: string;
  /** The name given by a rename, else the first question (the server decides). */
  title: string;
  renamed: boolean;
  status: ThreadStatus;
  /** ISO 8601. */
  updatedAt: string;
}

export interface ThreadQuery {
  /** Keeps the threads whose title holds it (the server searches them all). */
  search: string;
  offset: number;
  limit: number;
}

export interface ThreadPage {
  threads: ThreadSummary[];
  hasMore: boolean;
}

export interface RunInfo {
  id: string;
  /** The server's run status: pending, running, success, error, interrupted, timeout. */
  status: string;
}

export interface ServerApi {
  /** One page of the caller's threads, newest updated first, with their titles and statuses. */
  listThreads(query: ThreadQuery): Promise<ThreadPage>;
  /** Names the thread (its `metadata.title`); the server refuses an empty or oversized title. */
  renameThread(threadId: string, title: string): Promise<void>;
  deleteThread(threadId: string): Promise<void>;
  /** The thread's current state, as its newest checkpoint (null for a thread with none). */
  threadState(threadId: string): Promise<Checkpoint | null>;
  /** One page of the thread's checkpoints, newest first, all older than `before` if given. */
  historyPage(threadId: string, page: { before?: string; limit: number }): Promise<Checkpoint[]>;
  /** The checkpoints the thread's recent runs were forked from (edits, regenerates): where
   * versions are. Read from the run list, without any state. */
  forkPoints(threadId: string): Promise<string[]>;
  /** The thread's newest run, or null if it has none. */
  newestRun(threadId: string): Promise<RunInfo | null>;
  /** The id of the thread's newest run once it is another than `previous` (a run just started). */
  runAfter(threadId: string, previous: string | null): Promise<string>;
  /** Resolves once the server reports the run ended (its end event can come first). */
  runEnded(threadId: string, runId: string): Promise<void>;
  /** The run's status now (pending, running, success, error, interrupted, timeout). */
  runStatus(threadId: string, runId: string): Promise<string>;
  /** An ended run's error message, or null if it did not fail. */
  runError(threadId: string, runId: string): Promise<string | null>;
  /** Cancel every pending or running run on the thread; resolves to how many were cancelled. */
  cancelActiveRuns(threadId: string): Promise<number>;
  /** End a paused thread's wait for a decision: its pending calls are cancelled. */
  cancelPendingCalls(threadId: string): Promise<void>;
}

// Fail fast: the error banner has a Retry button, so no long silent backoff.
const CALLER_OPTIONS = { maxRetries: 1 };
/** Runs whose fork points are looked for: versions made before the newest 100 runs are not shown. */
const RUNS_FOR_FORKS = 100;
/** How long a run just accepted may take to be listed, or an ended one to be recorded ended. */
const RUN_AFTER_TRIES = 50;
const RUN_AFTER_WAIT_MS = 100;

/** Where the server's thread list is, and the key it needs (the SDK client has no call for a
 * route of the project's own). */
export interface ThreadRoute {
  apiUrl: string;
  apiKey: string | undefined;
}

/** The SDK client, imported lazily: it shares the streaming chunk instead of growing the first load. */
export function lazyClient(apiUrl: string, apiKey: string | undefined): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return () =>
    (client ??= import("@langchain/langgraph-sdk/client").then(
      ({ Client }) => new Client({ apiUrl, apiKey: apiKey ?? null, callerOptions: CALLER_OPTIONS }),
    ));
}

interface StateLike {
  checkpoint: { checkpoint_id?: string | null };
  parent_checkpoint?: { checkpoint_id?: string | null } | null;
  values: unknown;
  tasks: { interrupts: unknown[] }[];
}

const checkpointOf = (state: StateLike): Checkpoint | null =>
  state.checkpoint.checkpoint_id
    ? {
        id: state.checkpoint.checkpoint_id,
        parentId: state.parent_checkpoint?.checkpoint_id ?? null,
        messages: messagesOf(state.values),
        interrupts: state.tasks.flatMap((task) => task.interrupts),
      }
    : null;

/** Where a run was forked from: the checkpoint its config names (`forkFrom` puts it there). */
export function forkPointOf(kwargs: unknown): string | null {
  const config = (kwargs as { config?: { configurable?: { checkpoint_id?: unknown } } } | null)?.config;
  const id = config?.configurable?.checkpoint_id;
  return typeof id === "string" && id ? id : null;
}

const messagesOf = (values: unknown): MessageLike[] => {
  const messages = (values as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? (messages as MessageLike[]) : [];
};

export function serverApi(getClient: () => Promise<Client>, route: ThreadRoute): ServerApi {
  const newestRun = async (threadId: string): Promise<RunInfo | null> => {
    const client = await getClient();
    const [run] = await client.runs.list(threadId, { limit: 1 });
    return run ? { id: run.run_id, status: run.status } : null;
  };

  return {
    listThreads: (query) => threadPage(route, query),
    async renameThread(threadId, title) {
      const client = await getClient();
      await client.threads.update(threadId, { metadata: { title } });
    },
    async deleteThread(threadId) {
      const client = await getClient();
      await client.threads.delete(threadId);
    },
    async threadState(threadId) {
      const client = await getClient();
      // SDK 1.11.0 and 1.15.0 share one parsed body between concurrent state reads of all clients, and
      // the stream hook, which reads the state as the thread opens, rewrites its messages in
      // place. A signal makes this read its own. Delete when the SDK stops sharing mutable bodies.
      const own = { signal: new AbortController().signal };
      return checkpointOf(await client.threads.getState(threadId, undefined, own));
    },
    async historyPage(threadId, { before, limit }) {
      const client = await getClient();
      const states = await client.threads.getHistory(threadId, {
        limit,
        ...(before ? { before: { configurable: { checkpoint_id: before } } } : {}),
      });
      return states.flatMap((state) => checkpointOf(state) ?? []);
    },
    async forkPoints(threadId) {
      const client = await getClient();
      // Not `select`: SDK 1.11.0 sends it as one JSON array, which langgraph-api 0.16.7 refuses (422).
      const runs = await client.runs.list(threadId, { limit: RUNS_FOR_FORKS });
      return [...new Set(runs.flatMap((run) => forkPointOf((run as { kwargs?: unknown }).kwargs) ?? []))];
    },
    newestRun,
    async runAfter(threadId, previous) {
      for (let tries = 0; tries < RUN_AFTER_TRIES; tries++) {
        const newest = await newestRun(threadId);
        if (newest && newest.id !== previous) return newest.id;
        await new Promise((resolve) => setTimeout(resolve, RUN_AFTER_WAIT_MS));
      }
      throw new Error("The server accepted the decision but started no run.");
    },
    async runEnded(threadId, runId) {
      const client = await getClient();
      for (let tries = 0; tries < RUN_AFTER_TRIES; tries++) {
        const { status } = await client.runs.get(threadId, runId);
        if (status !== "pending" && status !== "running") return;
        await new Promise((resolve) => setTimeout(resolve, RUN_AFTER_WAIT_MS));
      }
    },
    async runStatus(threadId, runId) {
      const client = await getClient();
      return (await client.runs.get(threadId, runId)).status;
    },
    async runError(threadId, runId) {
      // Only for a run that has ended: `join` then answers at once (waiting, it would hold one
      // of the browser's six connections to the server for the whole run).
      const client = await getClient();
      const result = (await client.runs.join(threadId, runId)) as {
        __error__?: { error?: string; message?: string };
      } | null;
      const failure = result?.__error__;
      return failure ? [failure.error, failure.message].filter(Boolean).join(": ") : null;
    },
    async cancelActiveRuns(threadId) {
      const client = await getClient();
      const active = await Promise.all([
        client.runs.list(threadId, { status: "running" }),
        client.runs.list(threadId, { status: "pending" }),
      ]);
      const runs = active.flat();
      // A run may finish between the listing and the cancel: that is not an error.
      await Promise.allSettled(runs.map((run) => client.runs.cancel(threadId, run.run_id)));
      return runs.length;
    },
    async cancelPendingCalls(threadId) {
      // As if the tools node had run and added nothing: the pause's interrupt is gone, and the
      // server's history repair answers the calls "cancelled" before the model sees them again
      // (agent/history.py), as for a new message on the paused thread.
      const client = await getClient();
      await client.threads.updateState(threadId, { values: { messages: [] }, asNode: "tools" });
    },
  };
}

interface ListedThread {
  id: string;
  title: string;
  renamed: boolean;
  status: ThreadStatus;
  updated_at: string;
}

async function threadPage(route: ThreadRoute, query: ThreadQuery): Promise<ThreadPage> {
  const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
  if (query.search) params.set("q", query.search);
  const headers: Record<string, string> = route.apiKey ? { "x-api-key": route.apiKey } : {};
  const response = await fetch(`${route.apiUrl.replace(/\/$/, "")}/app/threads?${params}`, { headers });
  const body = (await response.json().catch(() => null)) as
    | { threads: ListedThread[]; has_more: boolean; detail?: string }
    | null;
  if (!response.ok || !body) throw new Error(body?.detail ?? `HTTP ${response.status}`);
  return {
    threads: body.threads.map((thread) => ({
      id: thread.id,
      title: thread.title,
      renamed: thread.renamed,
      status: thread.status,
      updatedAt: thread.updated_at,
    })),
    hasMore: body.has_more,
  };
}
