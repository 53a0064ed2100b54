/* Generated from events.schema.json (contract/events.py) by `make contract`: do not edit. */

export type Events = DirectEvent | ProgressEvent;
export type DirectEvent = TokenEvent | ToolCallEvent | ToolProgressEvent | ToolResultEvent | InterruptEvent | ErrorEvent | CustomEvent | DoneEvent | CancelledEvent | PingEvent;

/**
 * A piece of the answer's text, from the ``agent`` node.
 */
export interface TokenEvent {
  type: "token";
  content: string;
}
/**
 * A tool call the model made, once its arguments are complete.
 */
export interface ToolCallEvent {
  type: "tool_call";
  id: string;
  name: string;
  args: {
    [k: string]: unknown;
  };
}
/**
 * A :class:`Progress` on the direct routes, tagged like their other events.
 */
export interface ToolProgressEvent {
  tool: string;
  phase: string;
  progress: number;
  message?: string;
  tool_call_id?: string;
  type: "progress";
}
/**
 * What a tool returned, or why it did not run.
 */
export interface ToolResultEvent {
  type: "tool_result";
  id: string;
  name: string;
  content: string;
  status: "success" | "error";
}
/**
 * The answer paused for a decision, on a thread of the runs API (docs/approval.md).
 */
export interface InterruptEvent {
  type: "interrupt";
  thread_id: string;
  action_requests: {
    [k: string]: unknown;
  }[];
  review_configs: {
    [k: string]: unknown;
  }[];
}
/**
 * A failure, worded for a person: no stack trace, no key.
 */
export interface ErrorEvent {
  type: "error";
  message: string;
}
/**
 * Anything else a tool wrote on the ``custom`` stream.
 */
export interface CustomEvent {
  type: "custom";
  data: unknown;
}
/**
 * WebSocket only: the answer is complete (SSE ends with ``data: [DONE]`` instead).
 */
export interface DoneEvent {
  type: "done";
}
/**
 * WebSocket only: the answer was cancelled, as the client asked.
 */
export interface CancelledEvent {
  type: "cancelled";
}
/**
 * WebSocket only: keep-alive, and the answer to a client's ping.
 */
export interface PingEvent {
  type: "ping" | "pong";
}
/**
 * A :class:`Progress` as a tool writes it on the ``custom`` stream; ``name`` routes it to
 * ``custom:progress`` in the newer stream protocol.
 */
export interface ProgressEvent {
  tool: string;
  phase: string;
  progress: number;
  message?: string;
  tool_call_id?: string;
  name: "progress";
}
