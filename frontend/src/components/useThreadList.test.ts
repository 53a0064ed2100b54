import type { ThreadPage, ThreadSummary } from "../api";
import { appendPage, mergeRefreshed, serverReason, startedThread } from "./useThreadList";

const thread = (id: string): ThreadSummary => ({
  id,
  title: id,
  renamed: false,
  status: "done",
  updatedAt: "2026-03-01T10:00:00Z",
});
const page = (ids: string[], hasMore: boolean): ThreadPage => ({ threads: ids.map(thread), hasMore });
const ids = (list: ThreadPage) => list.threads.map((item) => item.id);

test("a page read later is appended without the threads that moved up meanwhile", () => {
  const merged = appendPage(page(["a", "b"], true), page(["b", "c"], false));
  expect(ids(merged)).toEqual(["a", "b", "c"]);
  expect(merged.hasMore).toBe(false);
});

test("a refresh replaces the first threads shown and keeps the older ones loaded", () => {
  const shown = page(["a", "b", "c", "d"], true);
  const merged = mergeRefreshed(shown, page(["d", "a"], true), 2);
  expect(ids(merged)).toEqual(["d", "a", "c"]);
  expect(merged.hasMore).toBe(true);
  expect(mergeRefreshed(page(["a"], false), page(["n", "a"], false), 20)).toEqual(page(["n", "a"], false));
});

test("a thread the page started shows at the top, running, named by its question, once", () => {
  const shown = page(["a", "b"], true);
  const started = startedThread(shown, "n", "  What is\n the  weather? ");
  expect(ids(started)).toEqual(["n", "a", "b"]);
  expect(started.threads[0]!).toMatchObject({ title: "What is the weather?", status: "running", renamed: false });
  expect(started.hasMore).toBe(true);
  expect(startedThread(started, "n", "again")).toBe(started);
  expect(startedThread(shown, "m", " ").threads[0]?.title).toBe("New conversation");
});

test("a refusal reads as the server's reason", () => {
  const refused = new Error('HTTP 422: {"detail":"metadata.title is empty: send some text"}');
  expect(serverReason(refused)).toBe("metadata.title is empty: send some text");
  expect(serverReason(new Error("HTTP 500: Internal Server Error"))).toBe("HTTP 500: Internal Server Error");
  expect(serverReason("offline")).toBe("offline");
});
