/**
 * The few server calls the page makes besides streaming: the thread list, the last run's
 * status, and cancelling runs the hook did not start itself (e.g. after a reload).
 */
import type { Client } from "@langchain/langgraph-sdk/client";
import { messageText, type MessageLike } from "./chat/viewModel";

export interface ThreadSummary {
  id: string;
  title: string;
  status: string;
}

export interface ServerApi {
  listThreads(): Promise<ThreadSummary[]>;
  /** Status of the thread's newest run, or null if it has none. */
  lastRunStatus(threadId: string): Promise<string | null>;
  /** Cancel every pending or running run on the thread; resolves to how many were cancelled. */
  cancelActiveRuns(threadId: string): Promise<number>;
  /** Wait for the run to end; its error message if it failed, else null. */
  runError(threadId: string, runId: string): Promise<string | null>;
}

// Fail fast: the error banner has a Retry button, so no long silent backoff.
const CALLER_OPTIONS = { maxRetries: 1 };

/** The SDK client, imported lazily: it shares the streaming chunk instead of growing the first load. */
export function lazyClient(apiUrl: string, apiKey: string | undefined): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return () =>
    (client ??= import("@langchain/langgraph-sdk/client").then(
      ({ Client }) => new Client({ apiUrl, apiKey: apiKey ?? null, callerOptions: CALLER_OPTIONS }),
    ));
}

function titleOf(values: unknown): string {
  const messages = (values as { messages?: MessageLike[] } | null)?.messages ?? [];
  const first = messages.find((message) => message.type === "human");
  const text = first ? messageText(first.content).trim() : "";
  return text ? text.slice(0, 60) : "New conversation";
}

export function serverApi(getClient: () => Promise<Client>): ServerApi {
  return {
    async listThreads() {
      const client = await getClient();
      const threads = await client.threads.search({
        limit: 30,
        sortBy: "updated_at",
        sortOrder: "desc",
      });
      return threads.map((thread) => ({
        id: thread.thread_id,
        title: titleOf(thread.values),
        status: thread.status,
      }));
    },
    async lastRunStatus(threadId) {
      const client = await getClient();
      const [run] = await client.runs.list(threadId, { limit: 1 });
      return run?.status ?? null;
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
    async runError(threadId, runId) {
      const client = await getClient();
      const result = (await client.runs.join(threadId, runId)) as {
        __error__?: { error?: string; message?: string };
      } | null;
      const failure = result?.__error__;
      return failure ? [failure.error, failure.message].filter(Boolean).join(": ") : null;
    },
  };
}
