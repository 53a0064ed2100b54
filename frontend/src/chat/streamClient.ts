/**
 * The SDK client the stream hook uses.
 *
 * Workaround, @langchain/react 1.1.0 (SDK 1.11.0; 1.15.0 does the same): when it loads a thread,
 * the hook reads a page of 20 checkpoints of full state to discover subgraphs and subagents,
 * which this graph has none of. On a 200-turn thread that one read is 2 MB. The hook's own
 * client answers it with no checkpoints. Delete when the hook reads history only for graphs
 * with subgraphs, or takes an option to skip it.
 *
 * Its thread streams read their events through threadEvents.ts (why: there). The hook takes a
 * transport of its own only without a client, so it is given here, where the SDK opens them.
 */
import { Client } from "@langchain/langgraph-sdk/client";
import { ThreadEvents } from "./threadEvents";

type ThreadStreamOptions = Parameters<Client["threads"]["stream"]>[1];

export function streamClient(apiUrl: string, apiKey: string | undefined): Client {
  // Fail fast: the error banner has a Retry button, so no long silent backoff.
  const client = new Client({ apiUrl, apiKey: apiKey ?? null, callerOptions: { maxRetries: 1 } });
  client.threads.getHistory = () => Promise.resolve([]);
  const stream = client.threads.stream.bind(client.threads) as (threadId: string, options: ThreadStreamOptions) => ReturnType<Client["threads"]["stream"]>;
  const withOurEvents = (threadId: string, options: ThreadStreamOptions) =>
    stream(threadId, { ...options, transport: new ThreadEvents({ apiUrl, apiKey }) });
  client.threads.stream = withOurEvents as Client["threads"]["stream"];
  return client;
}
