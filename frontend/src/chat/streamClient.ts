/**
 * The SDK client the stream hook uses.
 *
 * Workaround, @langchain/react 1.1.0 (SDK 1.11.0; 1.15.0 does the same): when it loads a thread,
 * the hook reads a page of 20 checkpoints of full state to discover subgraphs and subagents,
 * which this graph has none of. On a 200-turn thread that one read is 2 MB. The hook's own
 * client answers it with no checkpoints. Delete when the hook reads history only for graphs
 * with subgraphs, or takes an option to skip it.
 */
import { Client } from "@langchain/langgraph-sdk/client";

export function streamClient(apiUrl: string, apiKey: string | undefined): Client {
  // Fail fast: the error banner has a Retry button, so no long silent backoff.
  const client = new Client({ apiUrl, apiKey: apiKey ?? null, callerOptions: { maxRetries: 1 } });
  client.threads.getHistory = () => Promise.resolve([]);
  return client;
}
