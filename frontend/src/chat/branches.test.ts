import { branchesOf, indexHistory, mergeCheckpoints, messagesAt, type Checkpoint } from "./branches";
import { composeMessages } from "./timeline";
import type { MessageLike } from "./viewModel";

const human = (id: string): MessageLike => ({ id, type: "human", content: id });
const ai = (id: string): MessageLike => ({ id, type: "ai", content: id });
const ids = (messages: readonly MessageLike[]) => messages.map((message) => message.id);

/** A thread as LangGraph stores it: one checkpoint per step, then an edit and a regenerate. */
function thread(): Checkpoint[] {
  const oldestFirst: Checkpoint[] = [
    { id: "c0", parentId: null, messages: [] }, // input of turn 1
    { id: "c1", parentId: "c0", messages: [human("q1")] },
    { id: "c2", parentId: "c1", messages: [human("q1"), ai("a1")] },
    { id: "c3", parentId: "c2", messages: [human("q1"), ai("a1")] }, // input of turn 2
    { id: "c4", parentId: "c3", messages: [human("q1"), ai("a1"), human("q2")] },
    { id: "c5", parentId: "c4", messages: [human("q1"), ai("a1"), human("q2"), ai("a2")] },
    // q2 edited: re-run from c3, the checkpoint before q2
    { id: "c6", parentId: "c3", messages: [human("q1"), ai("a1")] },
    { id: "c7", parentId: "c6", messages: [human("q1"), ai("a1"), human("q2e")] },
    { id: "c8", parentId: "c7", messages: [human("q1"), ai("a1"), human("q2e"), ai("a2e")] },
    // its answer regenerated: re-run from c7, the checkpoint before a2e
    { id: "c9", parentId: "c7", messages: [human("q1"), ai("a1"), human("q2e"), ai("a2r")] },
  ];
  return oldestFirst.reverse();
}

test("a re-run forks from the checkpoint before the message", () => {
  const index = indexHistory(thread());
  expect(index.before.get("q1")).toBe("c0");
  expect(index.before.get("q2")).toBe("c3");
  expect(index.before.get("a2e")).toBe("c7");
  expect(index.before.get("q2e")).toBe("c6");
});

test("the thread shows its newest version, with the other versions of each place", () => {
  const index = indexHistory(thread());
  const shown = messagesAt(index, null);
  expect(ids(shown)).toEqual(["q1", "a1", "q2e", "a2r"]);
  const branches = branchesOf(index, shown);
  expect(branches.get("q2e")).toEqual({ index: 1, heads: ["c5", "c9"] });
  expect(branches.get("a2r")).toEqual({ index: 1, heads: ["c8", "c9"] });
  expect(branches.has("q1")).toBe(false);
  expect(branches.has("a1")).toBe(false);
});

test("switching to an older version shows its newest checkpoint", () => {
  const index = indexHistory(thread());
  const first = messagesAt(index, "c5");
  expect(ids(first)).toEqual(["q1", "a1", "q2", "a2"]);
  expect(branchesOf(index, first).get("q2")).toEqual({ index: 0, heads: ["c5", "c9"] });
  expect(branchesOf(index, first).has("a2")).toBe(false);
  expect(ids(messagesAt(index, "c8"))).toEqual(["q1", "a1", "q2e", "a2e"]);
});

test("without the checkpoint before a message (older than the history read), no re-run is offered", () => {
  const partial = thread().filter((checkpoint) => checkpoint.id !== "c3");
  expect(indexHistory(partial).before.has("q2")).toBe(false);
  expect(indexHistory([]).checkpoints).toEqual([]);
  expect(messagesAt(indexHistory([]), null)).toEqual([]);
});

test("the view is the stored thread plus what the run adds, without replayed versions", () => {
  const index = indexHistory(thread());
  const stored = messagesAt(index, "c7"); // a regenerate from c7 is running
  // The hook has replayed other versions and streams the new answer.
  const live = [human("q1"), ai("a1"), human("q2"), ai("a2"), human("q2e"), ai("a2e"), ai("a2-new")];
  expect(ids(composeMessages(stored, index.known, live))).toEqual(["q1", "a1", "q2e", "a2-new"]);
  // An unsaved partial answer is let go of once the next run starts.
  expect(ids(composeMessages(stored, index.known, live, new Set(["a2-new"])))).toEqual(["q1", "a1", "q2e"]);
  // A new thread: nothing stored yet, everything comes from the run.
  expect(ids(composeMessages([], new Set(), [human("x"), ai("y")]))).toEqual(["x", "y"]);
});

test("checkpoints read at different times merge newest first, each once", () => {
  const all = thread();
  const merged = mergeCheckpoints(all.slice(0, 2), [...all.slice(1, 4), all[0]!]);
  expect(merged.map((checkpoint) => checkpoint.id)).toEqual(["c9", "c8", "c7", "c6"]);
});

test("from the state and the pages back to a fork, the versions at the fork are known", () => {
  // The state (c9) and the newest pages down to c7: the regenerated answer's two versions.
  const index = indexHistory(thread().slice(0, 3));
  const info = branchesOf(index, messagesAt(index, null));
  expect(info.get("a2r")).toEqual({ index: 1, heads: ["c8", "c9"] });
  // The edited question's fork (c3) is older than what was read: no version offered there yet.
  expect(info.has("q2e")).toBe(false);
});
