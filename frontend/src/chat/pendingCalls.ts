/**
 * Which tool calls a paused thread's approval requests are about, and what each decision made
 * of them. A request lists its actions (name, args) without call ids: each action is the first
 * call of the latest turn with that name that has no result and no action yet, in order.
 * Pure, so these rules are unit-tested.
 */
import type { ApprovalRequest, Decision } from "./approval";
import type { MessageLike, ToolStatus } from "./viewModel";

/** The latest turn's calls without a result, in order. */
function openCalls(messages: readonly MessageLike[]): { id: string; name: string }[] {
  const answered = new Set(messages.flatMap((message) => (message.type === "tool" && message.tool_call_id ? [message.tool_call_id] : [])));
  const lastHuman = messages.findLastIndex((message) => message.type === "human");
  return messages
    .slice(lastHuman + 1)
    .flatMap((message) => message.tool_calls ?? [])
    .flatMap((call) => (call.id && !answered.has(call.id) ? [{ id: call.id, name: call.name }] : []));
}

/** The call id of each action of `request`, in order (null where no call matches). */
export function callsOf(messages: readonly MessageLike[], request: ApprovalRequest): (string | null)[] {
  const open = openCalls(messages);
  const taken = new Set<string>();
  return request.actions.map((action) => {
    const call = open.find((candidate) => candidate.name === action.name && !taken.has(candidate.id));
    if (!call) return null;
    taken.add(call.id);
    return call.id;
  });
}

/** The calls the approval cards show: their tool cards are those cards, not a second copy. */
export function pendingCallIds(messages: readonly MessageLike[], requests: readonly ApprovalRequest[]): ReadonlySet<string> {
  return new Set(requests.flatMap((request) => callsOf(messages, request).flatMap((id) => (id ? [id] : []))));
}

/** What each decided call is until its result is stored: a rejected call never runs. */
export function decidedStatuses(
  messages: readonly MessageLike[],
  request: ApprovalRequest,
  decisions: readonly Decision[],
): ReadonlyMap<string, ToolStatus> {
  const statuses = new Map<string, ToolStatus>();
  callsOf(messages, request).forEach((id, index) => {
    const decision = decisions[index];
    if (id && decision) statuses.set(id, decision.type === "reject" ? "declined" : "running");
  });
  return statuses;
}
