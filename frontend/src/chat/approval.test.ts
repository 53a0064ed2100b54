import { approvalRequests, describeDecision, parseArgs, rejectDecision } from "./approval";

const request = {
  action_requests: [
    { name: "get_weather", args: { city: "北京" }, description: "Current weather for a city." },
    { name: "get_weather", args: { city: "上海" }, description: "" },
  ],
  review_configs: [
    { action_name: "get_weather", allowed_decisions: ["approve", "edit", "reject"] },
    { action_name: "get_weather", allowed_decisions: ["approve", "reject"] },
  ],
};

test("a thread state's interrupts become requests, one action per call, with its allowed decisions", () => {
  const [parsed, ...rest] = approvalRequests([{ id: "i1", value: request }]);
  expect(rest).toEqual([]);
  expect(parsed!.id).toBe("i1");
  expect(parsed!.actions.map((action) => [action.name, action.args, action.allowed])).toEqual([
    ["get_weather", { city: "北京" }, ["approve", "edit", "reject"]],
    ["get_weather", { city: "上海" }, ["approve", "reject"]],
  ]);
});

test("interrupts this page cannot answer are left out", () => {
  expect(approvalRequests(undefined)).toEqual([]);
  expect(approvalRequests([{ id: "x", value: "continue?" }, { value: { action_requests: [] } }, null])).toEqual([]);
  expect(approvalRequests([{ value: { action_requests: [{ args: {} }] } }])).toEqual([]);
  // No review configs: every decision is allowed.
  const [bare] = approvalRequests([{ value: { action_requests: [{ name: "t", args: {} }] } }]);
  expect(bare!.actions[0]!.allowed).toEqual(["approve", "edit", "reject"]);
});

test("edited arguments must be a JSON object; the reason is why not", () => {
  expect(parseArgs('{"city": "上海"}')).toEqual({ args: { city: "上海" } });
  expect(parseArgs('{"city": ')).toHaveProperty("error", expect.stringMatching(/^Not valid JSON/));
  expect(parseArgs('["上海"]')).toHaveProperty("error", expect.stringMatching(/JSON object/));
  expect(parseArgs("null")).toHaveProperty("error");
});

test("a reject carries its reason only when there is one", () => {
  expect(rejectDecision("  ")).toEqual({ type: "reject" });
  expect(rejectDecision(" not now ")).toEqual({ type: "reject", message: "not now" });
  expect(describeDecision(rejectDecision("not now"))).toBe("Rejected: not now");
  expect(describeDecision({ type: "edit", edited_action: { name: "t", args: { a: 1 } } })).toBe('Edited: {"a":1}');
});
