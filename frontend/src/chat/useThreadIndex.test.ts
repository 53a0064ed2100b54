import { act, renderHook, waitFor } from "@testing-library/react";
import type { ServerApi } from "../api";
import type { Checkpoint } from "./branches";
import { PAGE_SIZE, useThreadIndex } from "./useThreadIndex";
import type { MessageLike } from "./viewModel";

const human = (id: string): MessageLike => ({ id, type: "human", content: id });
const ai = (id: string): MessageLike => ({ id, type: "ai", content: id });

/** `turns` turns of two checkpoints each (input, then answer), ids sorting by time. */
function history(turns: number): Checkpoint[] {
  const oldestFirst: Checkpoint[] = [];
  const messages: MessageLike[] = [];
  for (let turn = 0; turn < turns; turn++) {
    const id = (n: number) => `c${String(turn * 2 + n).padStart(4, "0")}`;
    messages.push(human(`q${turn}`));
    oldestFirst.push({ id: id(0), parentId: oldestFirst.at(-1)?.id ?? null, messages: [...messages] });
    messages.push(ai(`a${turn}`));
    oldestFirst.push({ id: id(1), parentId: id(0), messages: [...messages] });
  }
  return oldestFirst.reverse();
}

function fakeApi(newestFirst: Checkpoint[], forks: string[] = []) {
  const reads: string[] = [];
  const api = {
    threadState: async () => {
      reads.push("state");
      return newestFirst[0] ?? null;
    },
    historyPage: async (_thread: string, { before, limit }: { before?: string; limit: number }) => {
      reads.push(`page before ${before}`);
      return newestFirst.filter((checkpoint) => !before || checkpoint.id < before).slice(0, limit);
    },
    forkPoints: async () => forks,
  } as Partial<ServerApi> as ServerApi;
  return { api, reads };
}

test("a thread opens from its state alone when no run forked it", async () => {
  const { api, reads } = fakeApi(history(100));
  const { result } = renderHook(() => useThreadIndex(api, "t"));
  await waitFor(() => expect(result.current.index?.checkpoints).toHaveLength(1));
  expect(result.current.index?.checkpoints[0]?.messages).toHaveLength(200);
  await act(() => Promise.resolve());
  expect(reads).toEqual(["state"]);
});

test("a fork point is read when asked, a page at a time, back to the message", async () => {
  const { api, reads } = fakeApi(history(100));
  const { result } = renderHook(() => useThreadIndex(api, "t"));
  await waitFor(() => expect(result.current.index).not.toBeNull());
  let from: string | undefined;
  // q97 is first held by c0194 (turn 97's input): the re-run forks from the one before it.
  await act(async () => {
    from = await result.current.forkPoint("q97");
  });
  expect(from).toBe("c0193");
  expect(reads).toEqual(["state", "page before c0199"]);
  expect(result.current.index?.checkpoints).toHaveLength(1 + PAGE_SIZE);
});

test("the pages back to each fork the run list names are read, and no further", async () => {
  const { api, reads } = fakeApi(history(100), ["c0185"]);
  const { result } = renderHook(() => useThreadIndex(api, "t"));
  await waitFor(() => expect(result.current.index?.byId.has("c0185")).toBe(true));
  expect(reads).toEqual(["state", "page before c0199", "page before c0191"]);
});

test("after a run, the state is read and merged; the history is not read again", async () => {
  const all = history(3);
  const { api, reads } = fakeApi(all.slice(2));
  const { result } = renderHook(() => useThreadIndex(api, "t"));
  await waitFor(() => expect(result.current.index).not.toBeNull());
  const later = fakeApi(all);
  api.threadState = later.api.threadState;
  await act(() => result.current.refresh("t"));
  expect(result.current.index?.checkpoints.map((checkpoint) => checkpoint.id)).toEqual(["c0005", "c0003"]);
  expect(reads).toEqual(["state"]);
});
