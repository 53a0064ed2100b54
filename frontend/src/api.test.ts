import type { Client } from "@langchain/langgraph-sdk/client";
import { forkPointOf, serverApi } from "./api";

const noClient = async () => ({}) as Client;

afterEach(() => vi.unstubAllGlobals());

test("a page of threads is one request to the server's list, with the key and the search", async () => {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
    Response.json({
      threads: [
        { id: "t1", title: "北京天气如何？", renamed: false, status: "waiting", created_at: "c", updated_at: "2026-03-01T10:00:00Z" },
      ],
      has_more: true,
    }),
  );
  vi.stubGlobal("fetch", fetch);
  const api = serverApi(noClient, { apiUrl: "http://server:2024/", apiKey: "k1" });

  expect(await api.listThreads({ search: "北京 %", offset: 20, limit: 20 })).toEqual({
    threads: [{ id: "t1", title: "北京天气如何？", renamed: false, status: "waiting", updatedAt: "2026-03-01T10:00:00Z" }],
    hasMore: true,
  });
  expect(fetch).toHaveBeenCalledTimes(1);
  const [url, init] = fetch.mock.calls[0]!;
  const asked = new URL(url);
  expect(asked.pathname).toBe("/app/threads");
  expect(Object.fromEntries(asked.searchParams)).toEqual({ limit: "20", offset: "20", q: "北京 %" });
  expect(init?.headers).toEqual({ "x-api-key": "k1" });
});

test("a refused page says the server's reason", async () => {
  vi.stubGlobal("fetch", async () => Response.json({ detail: "limit must be a whole number" }, { status: 422 }));
  const api = serverApi(noClient, { apiUrl: "http://server", apiKey: undefined });
  await expect(api.listThreads({ search: "", offset: 0, limit: 500 })).rejects.toThrow("limit must be a whole number");
});

test("a rename is the thread's metadata.title, a delete the SDK's", async () => {
  const calls: unknown[] = [];
  const client = {
    threads: {
      update: async (...args: unknown[]) => void calls.push(["update", ...args]),
      delete: async (...args: unknown[]) => void calls.push(["delete", ...args]),
    },
  } as unknown as Client;
  const api = serverApi(async () => client, { apiUrl: "http://server", apiKey: undefined });
  await api.renameThread("t1", "Trip");
  await api.deleteThread("t1");
  expect(calls).toEqual([["update", "t1", { metadata: { title: "Trip" } }], ["delete", "t1"]]);
});

test("a run's fork point is the checkpoint its config names", () => {
  expect(forkPointOf({ config: { configurable: { checkpoint_id: "c3", thread_id: "t" } } })).toBe("c3");
  expect(forkPointOf({ config: { configurable: { thread_id: "t" } } })).toBeNull();
  expect(forkPointOf(null)).toBeNull();
});
