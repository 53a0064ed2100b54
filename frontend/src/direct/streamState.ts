/**
 * View state of the direct SSE view: each question adds a human message, and the events of its
 * answer fold into LangChain-shaped messages (an AI message, its tool calls, their results), the
 * same the main view gets from its stream. What a message and its calls look like is decided in
 * one place for both views: viewModel.ts's `buildMessages`. Pure, so the folding rules are
 * unit-tested directly.
 */
import { NO_PROGRESS, parseToolProgress, type ProgressState } from "../chat/progress";
import { buildMessages, type MessageLike, type MessageView } from "../chat/viewModel";
import type {
  ErrorEvent,
  InterruptEvent,
  TokenEvent,
  ToolCallEvent,
  ToolProgressEvent,
  ToolResultEvent,
} from "../generated/events";

/** The events of /api/chat/stream this view shows (src/generated/events.ts, from contract/events.py). */
export type StreamEvent = TokenEvent | ToolCallEvent | ToolProgressEvent | ToolResultEvent | InterruptEvent | ErrorEvent;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** One `data:` line, checked: "done" for the closing `[DONE]`, null for anything this view does
 * not show or that is malformed. */
export function parseEvent(data: string): StreamEvent | "done" | null {
  if (data === "[DONE]") return "done";
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(event)) return null;
  const { id, name } = event;
  switch (event.type) {
    case "token":
      return typeof event.content === "string" ? { type: "token", content: event.content } : null;
    case "tool_call":
      return typeof id === "string" && typeof name === "string"
        ? { type: "tool_call", id, name, args: isRecord(event.args) ? event.args : {} }
        : null;
    case "progress": {
      const progress = parseToolProgress(event);
      return progress && { type: "progress", ...progress };
    }
    case "tool_result":
      return typeof id === "string"
        ? {
            type: "tool_result",
            id,
            name: typeof name === "string" ? name : "",
            content: typeof event.content === "string" ? event.content : "",
            status: event.status === "error" ? "error" : "success",
          }
        : null;
    case "interrupt": {
      const { thread_id: threadId, action_requests: actions, review_configs: configs } = event;
      return typeof threadId === "string" && Array.isArray(actions) && actions.every(isRecord)
        ? {
            type: "interrupt",
            thread_id: threadId,
            action_requests: actions,
            review_configs: Array.isArray(configs) ? configs.filter(isRecord) : [],
          }
        : null;
    }
    case "error":
      return { type: "error", message: typeof event.message === "string" ? event.message : "The agent failed." };
    default:
      return null;
  }
}

export interface DirectState {
  messages: readonly MessageLike[];
  progress: ProgressState;
  /** `paused`: the answer ended waiting for a decision, handed to a thread of the Runs API. */
  phase: "idle" | "streaming" | "paused" | "stopped";
  error: string | null;
  /** The pause that ended the latest answer, if it paused. */
  interrupt: InterruptEvent | null;
}

export type Action =
  | { type: "send"; id: string; text: string }
  | { type: "events"; events: StreamEvent[] }
  | { type: "done" }
  | { type: "stop" }
  | { type: "fail"; message: string }
  | { type: "clearError" };

export const initialState: DirectState = { messages: [], progress: NO_PROGRESS, phase: "idle", error: null, interrupt: null };

/** What the view shows: calls still without a result run while the answer streams, wait when
 * it paused for a decision on them, and are cancelled once it ended. */
export function directViews(state: DirectState): MessageView[] {
  const open = state.phase === "streaming" ? "running" : state.phase === "paused" ? "waiting" : "cancelled";
  return buildMessages(state.messages, state.progress, open);
}

type Ai = MessageLike & { id: string; tool_calls: NonNullable<MessageLike["tool_calls"]> };

const turnStart = (messages: readonly MessageLike[]) => messages.findLastIndex((message) => message.type === "human") + 1;

/** The answer's latest AI message, updated, or a new one when the turn has none yet or when
 * `fresh` says so: text after a tool result is a message of its own, as in the main view. */
function withAi(messages: readonly MessageLike[], update: (ai: Ai) => Ai, fresh: boolean): MessageLike[] {
  const last = messages[messages.length - 1];
  if (last?.type === "ai" && !fresh) return [...messages.slice(0, -1), update(last as Ai)];
  const start = turnStart(messages);
  const question = messages[start - 1];
  const count = messages.slice(start).filter((message) => message.type === "ai").length;
  const id = `${question?.id ?? "q"}-answer${count > 0 ? `-${count + 1}` : ""}`;
  return [...messages, update({ id, type: "ai", content: "", tool_calls: [] })];
}

/** The call a progress event belongs to: the one it names, else the latest call of its tool in
 * this turn. */
function progressCall(messages: readonly MessageLike[], event: ToolProgressEvent): string | undefined {
  return event.tool_call_id ?? messages.slice(turnStart(messages)).flatMap((message) => message.tool_calls ?? [])
    .findLast((call) => call.name === event.tool)?.id;
}

function applyEvent(state: DirectState, event: StreamEvent): DirectState {
  const { messages } = state;
  switch (event.type) {
    case "token": {
      const last = messages[messages.length - 1];
      const fresh = last?.type !== "ai" || (last.tool_calls?.length ?? 0) > 0;
      return { ...state, messages: withAi(messages, (ai) => ({ ...ai, content: `${String(ai.content)}${event.content}` }), fresh) };
    }
    case "tool_call": {
      const call = { id: event.id, name: event.name, args: event.args };
      return { ...state, messages: withAi(messages, (ai) => ({ ...ai, tool_calls: [...ai.tool_calls, call] }), false) };
    }
    case "progress": {
      const callId = progressCall(messages, event);
      if (!callId) return state;
      const { type: _type, ...progress } = event;
      const byCallId = new Map(state.progress.byCallId).set(callId, progress);
      return { ...state, progress: { ...state.progress, byCallId } };
    }
    case "tool_result": {
      const result = { type: "tool", id: `${event.id}-result`, tool_call_id: event.id, content: event.content, status: event.status };
      return { ...state, messages: [...messages, result] };
    }
    case "interrupt":
      return { ...state, interrupt: event };
    case "error":
      return { ...state, error: event.message };
  }
}

export function reduce(state: DirectState, action: Action): DirectState {
  switch (action.type) {
    case "send":
      return {
        ...state,
        messages: [...state.messages, { type: "human", id: action.id, content: action.text }],
        phase: "streaming",
        error: null,
        interrupt: null,
      };
    case "events":
      return action.events.reduce(applyEvent, state);
    case "done":
      return { ...state, phase: state.interrupt ? "paused" : "idle" };
    case "stop":
      return { ...state, phase: "stopped" };
    case "fail":
      // An error event that came first says more than the broken connection after it.
      return { ...state, phase: "idle", error: state.error ?? action.message };
    case "clearError":
      return { ...state, error: null };
  }
}
