import type { MessageView } from "../chat/viewModel";
import { directViews, initialState, parseEvent, reduce, type Action, type DirectState } from "./streamState";

const run = (...events: object[]): DirectState =>
  events.reduce<DirectState>(
    (state, event) => {
      const parsed = parseEvent(JSON.stringify(event));
      return parsed && parsed !== "done" ? reduce(state, { type: "events", events: [parsed] }) : state;
    },
    reduce(initialState, { type: "send", id: "q1", text: "hi" }),
  );
const views = (state: DirectState): MessageView[] => directViews(state);
const answer = (state: DirectState) => views(state)[views(state).length - 1]!;

test("one user message and one assistant message per question", () => {
  const state = run({ type: "token", content: "a" }, { type: "token", content: "b" });
  expect(views(state).map((m) => [m.role, m.text])).toEqual([["user", "hi"], ["assistant", "ab"]]);
  const next = reduce(reduce(state, { type: "done" }), { type: "send", id: "q2", text: "again" });
  expect(views(next).map((m) => m.id)).toEqual(["q1", "q1-answer", "q2"]);
  expect(next.messages[1]).toBe(state.messages[1]); // unchanged messages keep their identity
});

test("a tool card sits where its call happened: text after it is the next message", () => {
  const state = run(
    { type: "token", content: "Let me check." },
    { type: "tool_call", id: "c1", name: "get_weather", args: { city: "北京" } },
    { type: "tool_result", id: "c1", name: "get_weather", content: "晴", status: "success" },
    { type: "token", content: "北京" },
    { type: "token", content: "晴。" },
  );
  expect(views(state).map((m) => [m.role, m.text, m.toolCalls.map((call) => call.status)])).toEqual([
    ["user", "hi", []],
    ["assistant", "Let me check.", ["done"]],
    ["assistant", "北京晴。", []],
  ]);
  expect(new Set(views(state).map((m) => m.id)).size).toBe(3);
});

test("progress goes to the call it names, else to the latest call of its tool", () => {
  const state = run(
    { type: "tool_call", id: "a", name: "analyze_dataset", args: {} },
    { type: "tool_call", id: "b", name: "analyze_dataset", args: {} },
    { type: "progress", tool: "analyze_dataset", tool_call_id: null, phase: "loading", progress: 20, message: null },
    { type: "progress", tool: "analyze_dataset", tool_call_id: "a", phase: "summarizing", progress: 140, message: "x" },
    { type: "progress", tool: "other_tool", tool_call_id: null, phase: "p", progress: 5 },
  );
  const [a, b] = answer(state).toolCalls;
  expect(views(state)).toHaveLength(2);
  expect(a?.progress).toEqual({ tool: "analyze_dataset", tool_call_id: "a", phase: "summarizing", progress: 100, message: "x" });
  expect(b?.progress).toEqual({ tool: "analyze_dataset", phase: "loading", progress: 20 });
});

test("a failed tool is an error card; calls left running when the run ends are cancelled", () => {
  const state = run(
    { type: "tool_call", id: "a", name: "get_weather", args: {} },
    { type: "tool_call", id: "b", name: "get_weather", args: {} },
    { type: "tool_result", id: "a", name: "get_weather", content: "no such city", status: "error" },
  );
  const ended = (action: Action) => answer(reduce(state, action)).toolCalls.map((call) => call.status);
  expect(ended({ type: "done" })).toEqual(["error", "cancelled"]);
  expect(ended({ type: "fail", message: "lost" })).toEqual(["error", "cancelled"]);
  expect(reduce(state, { type: "stop" }).phase).toBe("stopped");
});

test("the first error is kept; [DONE] and junk are told apart", () => {
  const failed = run({ type: "error", message: "The agent failed: boom" });
  expect(reduce(failed, { type: "fail", message: "connection lost" }).error).toBe("The agent failed: boom");
  expect(parseEvent("[DONE]")).toBe("done");
  expect(parseEvent("not json")).toBeNull();
  expect(parseEvent('{"type": "custom", "data": 1}')).toBeNull();
  expect(parseEvent('{"type": "tool_call", "name": "x"}')).toBeNull();
});
