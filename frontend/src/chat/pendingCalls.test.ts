import type { ApprovalRequest } from "./approval";
import { callsOf, decidedStatuses, pendingCallIds } from "./pendingCalls";
import { NO_PROGRESS } from "./progress";
import { buildMessages } from "./viewModel";

const action = (name: string, city: string) => ({ name, args: { city }, description: "", allowed: ["approve", "edit", "reject"] as const });
const request: ApprovalRequest = { id: "i", actions: [action("get_weather", "北京"), action("get_weather", "上海")] };
const paused = [
  { type: "human", id: "h", content: "北京和上海的天气如何？" },
  {
    type: "ai", id: "a", content: "",
    tool_calls: [
      { id: "c1", name: "get_weather", args: { city: "北京" } },
      { id: "c2", name: "get_weather", args: { city: "上海" } },
    ],
  },
];

test("each action is the next open call of the latest turn with its name", () => {
  expect(callsOf(paused, request)).toEqual(["c1", "c2"]);
  const oneAnswered = [...paused, { type: "tool", id: "t", tool_call_id: "c1", content: "ok" }];
  expect(callsOf(oneAnswered, request)).toEqual(["c2", null]);
  // Calls of an earlier turn are not what a new pause asks about.
  expect(callsOf([...paused, { type: "human", id: "h2", content: "again" }], request)).toEqual([null, null]);
});

test("a pending call is shown once: its approval card is its card, and an empty step is left out", () => {
  const hidden = pendingCallIds(paused, [request]);
  expect([...hidden]).toEqual(["c1", "c2"]);
  const views = buildMessages(paused, NO_PROGRESS, "waiting", { hidden });
  expect(views.map((view) => view.role)).toEqual(["user"]);
  const withText = [paused[0]!, { ...paused[1]!, content: "Let me check." }];
  expect(buildMessages(withText, NO_PROGRESS, "waiting", { hidden })[1]).toMatchObject({ text: "Let me check.", toolCalls: [] });
});

test("after the decisions, a rejected call is declined at once and an approved one runs", () => {
  const decided = decidedStatuses(paused, request, [{ type: "approve" }, { type: "reject", message: "no" }]);
  expect([...decided]).toEqual([["c1", "running"], ["c2", "declined"]]);
  const views = buildMessages(paused, NO_PROGRESS, "running", { decided });
  expect(views[1]!.toolCalls.map((call) => call.status)).toEqual(["running", "declined"]);
  // The stored result wins once it is there.
  const done = [...paused, { type: "tool", id: "t", tool_call_id: "c1", content: "北京：晴，25°C" }];
  expect(buildMessages(done, NO_PROGRESS, "running", { decided })[1]!.toolCalls[0]!.status).toBe("done");
});
