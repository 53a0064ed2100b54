import { describeError, isRequestError } from "./errors";
import { foldProgress, type RawEvent } from "./progress";
import { buildMessages } from "./viewModel";
import { loadApiKey, readConfig, saveApiKey } from "../config";

const started = (id: string, tool: string): RawEvent => ({
  method: "tools", params: { data: { event: "tool-started", tool_call_id: id, tool_name: tool } },
});
const progress = (tool: string, value: number, extra: object = {}): RawEvent => ({
  method: "custom", params: { data: { name: "progress", tool, phase: "p", progress: value, ...extra } },
});

test("progress goes to the latest started call of its tool, or to the call it names", () => {
  const state = foldProgress([
    started("a", "analyze_dataset"), progress("analyze_dataset", 40),
    started("b", "analyze_dataset"), progress("analyze_dataset", 20),
    progress("analyze_dataset", 80, { tool_call_id: "a" }),
  ]);
  expect(state.byCallId.get("a")?.progress).toBe(80);
  expect(state.byCallId.get("b")?.progress).toBe(20);
});

test("progress without a started call is kept by tool name; junk is ignored", () => {
  const state = foldProgress([
    progress("get_weather", 150),
    { method: "custom", params: { data: { name: "other", tool: "x", progress: 1 } } },
    { method: "custom", params: { data: "not an object" } },
  ]);
  expect(state.byToolName.get("get_weather")?.progress).toBe(100);
  expect(state.byCallId.size).toBe(0);
});

const conversation = [
  { type: "human", id: "h", content: "分析用户数据" },
  { type: "ai", id: "a", content: [], tool_calls: [{ id: "c", name: "analyze_dataset", args: { name: "x" } }] },
];

test("a tool call without a result is running while streaming, cancelled after", () => {
  const none = { byCallId: new Map(), byToolName: new Map() };
  expect(buildMessages(conversation, none, "running")[1]!.toolCalls[0]!.status).toBe("running");
  expect(buildMessages(conversation, none, "cancelled")[1]!.toolCalls[0]!.status).toBe("cancelled");
  const done = [...conversation, { type: "tool", id: "t", tool_call_id: "c", content: "ok" }];
  const [, ai] = buildMessages(done, none, "cancelled");
  expect(ai!.toolCalls[0]).toMatchObject({ status: "done", result: "ok" });
  expect(buildMessages(done, none, "cancelled").map((m) => m.role)).toEqual(["user", "assistant"]);
});

test("a result the server stored for a stopped call shows as cancelled, a tool's error as failed", () => {
  const none = { byCallId: new Map(), byToolName: new Map() };
  const stopped = { type: "tool", id: "t", tool_call_id: "c", content: "Cancelled: ...", status: "error", artifact: { cancelled: true } };
  const failed = { ...stopped, artifact: undefined, content: "Error: the tool failed" };
  expect(buildMessages([...conversation, stopped], none, "cancelled")[1]!.toolCalls[0]!.status).toBe("cancelled");
  expect(buildMessages([...conversation, failed], none, "cancelled")[1]!.toolCalls[0]!.status).toBe("error");
});

test("a call waiting for a decision is waiting; one a person rejected is declined, not failed", () => {
  const none = { byCallId: new Map(), byToolName: new Map() };
  expect(buildMessages(conversation, none, "waiting")[1]!.toolCalls[0]!.status).toBe("waiting");
  const declined = {
    type: "tool", id: "t", tool_call_id: "c", status: "error", artifact: { declined: true },
    content: "The user declined this call of analyze_dataset; it did not run.",
  };
  const [, ai] = buildMessages([...conversation, declined], none, "waiting");
  expect(ai!.toolCalls[0]).toMatchObject({ status: "declined", result: declined.content });
  // Only the latest turn waits: an older call without a result was cut off.
  const later = [...conversation, { type: "human", id: "h2", content: "again" }];
  expect(buildMessages(later, none, "waiting")[1]!.toolCalls[0]!.status).toBe("cancelled");
});

test("a finished call's bar reads done, not its last phase; a stopped one keeps where it ended", () => {
  const events = [started("c", "analyze_dataset"), progress("analyze_dataset", 100, { phase: "summarizing", message: "Analysis complete" })];
  const done = [...conversation, { type: "tool", id: "t", tool_call_id: "c", content: "ok" }];
  expect(buildMessages(done, foldProgress(events), "cancelled")[1]!.toolCalls[0]!.progress).toEqual({
    tool: "analyze_dataset", phase: "done", progress: 100,
  });
  const midway = foldProgress([started("c", "analyze_dataset"), progress("analyze_dataset", 60, { phase: "analyzing" })]);
  expect(buildMessages(conversation, midway, "cancelled")[1]!.toolCalls[0]!.progress).toMatchObject({
    phase: "analyzing", progress: 60,
  });
});

test("API URL: ?apiUrl= wins over the build-time variable, which wins over the default", () => {
  expect(readConfig("?apiUrl=http://h:1/", { VITE_LANGGRAPH_API_URL: "http://b:2" } as ImportMetaEnv).apiUrl)
    .toBe("http://h:1");
  expect(readConfig("", { VITE_LANGGRAPH_API_URL: "http://b:2" } as ImportMetaEnv).apiUrl).toBe("http://b:2");
  expect(readConfig("", {} as ImportMetaEnv)).toMatchObject({
    apiUrl: "http://127.0.0.1:2024", assistantId: "agent", runContext: {},
  });
  expect(readConfig('?context={"tool_step_delay":1}', {} as ImportMetaEnv).runContext)
    .toEqual({ tool_step_delay: 1 });
});

test("an API key is kept per server, so another ?apiUrl= never receives it", () => {
  saveApiKey("http://a", "secret");
  expect(loadApiKey("http://a")).toBe("secret");
  expect(loadApiKey("http://b")).toBeUndefined();
  saveApiKey("http://a", undefined);
  expect(loadApiKey("http://a")).toBeUndefined();
});

test("errors are explained in plain words", () => {
  expect(describeError(new TypeError("Failed to fetch"), "http://x")).toMatch(/Cannot reach .*http:\/\/x/);
  expect(describeError(Object.assign(new Error("Conflict"), { status: 409 }), "u")).toMatch(/busy/);
  expect(describeError(new Error("boom"), "u")).toBe("The run failed: boom");
  expect(describeError(new Error("422: 2 action(s) wait for a decision, but 1 were given"), "u")).toBe(
    "The server did not accept this: 2 action(s) wait for a decision, but 1 were given",
  );
});

test("a failed request is told apart from a failed run", () => {
  expect(isRequestError(new TypeError("Failed to fetch"))).toBe(true);
  expect(isRequestError(new Error("Protocol request failed: 401 Unauthorized — bad key"))).toBe(true);
  expect(isRequestError(Object.assign(new Error("Conflict"), { status: 409 }))).toBe(true);
  expect(isRequestError(new Error("ValueError: no such model"))).toBe(false);
  expect(isRequestError(Object.assign(new Error("422: too long"), { name: "ProtocolError" }))).toBe(true);
  expect(describeError(new Error("Protocol request failed: 401 Unauthorized"), "u")).toMatch(/refused .*401.*API key/);
});
