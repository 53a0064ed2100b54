import type { Client } from "@langchain/langgraph-sdk/client";
import { forkPointOf, serverApi, threadStatus } from "./api";

const human = (content: string) => ({ type: "human", id: content, content });

/** Just the client calls the thread list makes, answering like langgraph-api 0.16.7. */
function fakeClient() {
  const calls: string[] = [];
  const client = {
    threads: {
      search: async () => [
        // Stopped during its first run: the thread record's values were never filled in.
        { thread_id: "stopped", updated_at: "t1", values: {}, status: "interrupted", interrupts: {} },
        { thread_id: "done", updated_at: "t1", values: { messages: [human("hello there")] }, interrupts: {} },
        { thread_id: "empty", updated_at: "t1", values: {}, interrupts: null },
        // Paused for a decision: its run ended, and the record lists the pending interrupt.
        {
          thread_id: "paused", updated_at: "t1", values: { messages: [human("北京天气如何？")] },
          interrupts: { task: [{ id: "i1", value: { action_requests: [] } }] },
        },
      ],
      getState: async (id: string) => {
        calls.push(`state ${id}`);
        return { values: { messages: id === "stopped" ? [human("分析用户数据")] : [] } };
      },
    },
    runs: {
      list: async (id: string) => {
        calls.push(`runs ${id}`);
        const runs = {
          stopped: [{ run_id: "r1", status: "interrupted" }],
          done: [{ run_id: "r2", status: "success" }],
          paused: [{ run_id: "r3", status: "success" }],
        };
        return runs[id as keyof typeof runs] ?? [];
      },
    },
  };
  return { client: client as unknown as Client, calls };
}

test("a stopped thread keeps its first question as its title and says it was stopped", async () => {
  const { client, calls } = fakeClient();
  const api = serverApi(async () => client);
  expect(await api.listThreads()).toEqual([
    { id: "stopped", title: "分析用户数据", status: "stopped" },
    { id: "done", title: "hello there", status: "done" },
    { id: "empty", title: "New conversation", status: "new" },
    { id: "paused", title: "北京天气如何？", status: "waiting" },
  ]);
  // The stored state is read only where the thread record has no question.
  expect(calls.filter((call) => call.startsWith("state"))).toEqual(["state stopped", "state empty"]);

  // Unchanged threads (same updated_at) are not asked about again.
  calls.length = 0;
  await api.listThreads();
  expect(calls).toEqual([]);
});

test("a thread's status comes from its newest run", () => {
  expect(threadStatus(null)).toBe("new");
  expect(threadStatus({ id: "r", status: "pending" })).toBe("running");
  expect(threadStatus({ id: "r", status: "running" })).toBe("running");
  expect(threadStatus({ id: "r", status: "interrupted" })).toBe("stopped");
  expect(threadStatus({ id: "r", status: "error" })).toBe("failed");
  expect(threadStatus({ id: "r", status: "success" })).toBe("done");
});

test("a thread paused for a decision is waiting, not stopped or done, until a run resumes it", () => {
  expect(threadStatus({ id: "r", status: "success" }, true)).toBe("waiting");
  expect(threadStatus({ id: "r", status: "interrupted" }, true)).toBe("waiting");
  expect(threadStatus({ id: "r", status: "running" }, true)).toBe("running");
});

test("a run's fork point is the checkpoint its config names", () => {
  expect(forkPointOf({ config: { configurable: { checkpoint_id: "c3", thread_id: "t" } } })).toBe("c3");
  expect(forkPointOf({ config: { configurable: { thread_id: "t" } } })).toBeNull();
  expect(forkPointOf(null)).toBeNull();
});
