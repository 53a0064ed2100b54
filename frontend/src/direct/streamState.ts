/**
 * View state of the direct SSE view: each question adds a user message, and the events of its
 * answer fold into one assistant message. Pure, so the folding rules are unit-tested directly.
 */
import { parseToolProgress } from "../chat/progress";
import { finalProgress, type MessageView, type ToolCallView } from "../chat/viewModel";
import type {
  ErrorEvent,
  InterruptEvent,
  TokenEvent,
  ToolCallEvent,
  ToolProgressEvent,
  ToolResultEvent,
} from "../generated/events";

/** The events of /api/chat/stream this view shows (src/generated/events.ts, from agent/events.py). */
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
  messages: MessageView[];
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

export const initialState: DirectState = { messages: [], phase: "idle", error: null, interrupt: null };

/** The messages after the latest question: its answer so far. */
const turnStart = (messages: MessageView[]) => messages.findLastIndex((message) => message.role === "user") + 1;

/**
 * Apply `update` to the answer message being written, starting one if the turn has none yet or
 * if `fresh` says so. Text after a tool call starts a new message, as in the main view, where
 * the model's text after a tool result is a message of its own: a card sits before the text
 * that uses its result.
 */
function withAnswer(
  messages: MessageView[],
  update: (answer: MessageView) => MessageView,
  fresh = false,
): MessageView[] {
  const start = turnStart(messages);
  const last = messages[messages.length - 1];
  if (last?.role === "assistant" && !fresh) return [...messages.slice(0, -1), update(last)];
  const question = messages[start - 1];
  const count = messages.length - start;
  const id = `${question?.id ?? "q"}-answer${count > 0 ? `-${count + 1}` : ""}`;
  return [...messages, update({ id, role: "assistant", text: "", toolCalls: [] })];
}

/** Apply `update` to the call with this id in the current turn. */
function updateCall(
  state: DirectState,
  id: string | undefined,
  update: (call: ToolCallView) => ToolCallView,
): DirectState {
  const start = turnStart(state.messages);
  const at = state.messages.findLastIndex(
    (message, index) => index >= start && message.toolCalls.some((call) => call.id === id),
  );
  if (at < 0) return state;
  const message = state.messages[at]!;
  const messages = state.messages.slice();
  messages[at] = { ...message, toolCalls: message.toolCalls.map((call) => (call.id === id ? update(call) : call)) };
  return { ...state, messages };
}

/** The run is over: calls still running will get no result here (`waiting` when the answer
 * paused for a decision on them). */
function endRun(messages: MessageView[], status: "cancelled" | "waiting" = "cancelled"): MessageView[] {
  const start = turnStart(messages);
  if (!messages.slice(start).some((message) => message.toolCalls.some((call) => call.status === "running"))) {
    return messages;
  }
  return messages.map((message, index) =>
    index < start || !message.toolCalls.some((call) => call.status === "running")
      ? message
      : {
          ...message,
          toolCalls: message.toolCalls.map((call) =>
            call.status === "running" ? { ...call, status } : call,
          ),
        },
  );
}

function applyEvent(state: DirectState, event: StreamEvent): DirectState {
  switch (event.type) {
    case "token": {
      const last = state.messages[state.messages.length - 1];
      const afterCall = last?.role === "assistant" && last.toolCalls.length > 0;
      return {
        ...state,
        messages: withAnswer(state.messages, (answer) => ({ ...answer, text: answer.text + event.content }), afterCall),
      };
    }
    case "tool_call": {
      const call: ToolCallView = { id: event.id, name: event.name, args: event.args, status: "running" };
      return {
        ...state,
        messages: withAnswer(state.messages, (answer) => ({ ...answer, toolCalls: [...answer.toolCalls, call] })),
      };
    }
    case "progress": {
      // The call it names, else the latest call of its tool.
      const callId = event.tool_call_id ??
        state.messages.slice(turnStart(state.messages)).flatMap((message) => message.toolCalls)
          .findLast((call) => call.name === event.tool)?.id;
      const { type: _type, ...progress } = event;
      return updateCall(state, callId, (call) => ({ ...call, progress }));
    }
    case "tool_result": {
      const status = event.status === "error" ? "error" : "done";
      return updateCall(state, event.id, (call) => ({ ...call, status, result: event.content, progress: finalProgress(call.progress, status) }));
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
        messages: [...endRun(state.messages), { id: action.id, role: "user", text: action.text, toolCalls: [] }],
        phase: "streaming",
        error: null,
        interrupt: null,
      };
    case "events":
      return action.events.reduce(applyEvent, state);
    case "done":
      return state.interrupt
        ? { ...state, phase: "paused", messages: endRun(state.messages, "waiting") }
        : { ...state, phase: "idle", messages: endRun(state.messages) };
    case "stop":
      return { ...state, phase: "stopped", messages: endRun(state.messages) };
    case "fail":
      // An error event that came first says more than the broken connection after it.
      return { ...state, phase: "idle", error: state.error ?? action.message, messages: endRun(state.messages) };
    case "clearError":
      return { ...state, error: null };
  }
}
