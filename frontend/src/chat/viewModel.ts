/**
 * Typed view state for the chat, derived from the hook's messages (one way: server events ->
 * this state -> components). Pure functions, so the rendering rules are unit-tested directly.
 */

import { attachmentsOf, type AttachmentView } from "./attachments";
import { sentAt } from "./messageTime";
import type { ProgressState, ToolProgress } from "./progress";

/** `waiting`: the call waits for a person's decision (docs/approval.md); `declined`: they rejected it. */
export type ToolStatus = "running" | "waiting" | "done" | "cancelled" | "declined" | "error";

export interface ToolCallView {
  id: string;
  name: string;
  args: Record<string, unknown>;
  status: ToolStatus;
  result?: string;
  progress?: ToolProgress;
}

export interface MessageView {
  id: string;
  role: "user" | "assistant";
  text: string;
  /** Images and files the message holds (a question's attachments). */
  attachments: AttachmentView[];
  /** When it was sent (ISO 8601), if known. */
  time?: string;
  toolCalls: ToolCallView[];
}

/** The fields of a LangChain message this view reads (BaseMessage instances satisfy it). */
export interface MessageLike {
  id?: string;
  type: string;
  content: unknown;
  tool_calls?: { id?: string; name: string; args: Record<string, unknown> }[];
  tool_call_id?: string;
  status?: string;
  artifact?: unknown;
  /** Where the server stamps when the message was sent (`sent_at`). */
  additional_kwargs?: unknown;
}

/** The server marks a result in its artifact: a call cut off by a stop (`cancelled`,
 * agent/history.py) or one a person rejected (`declined`, agent/approval.py). */
function isMarked(message: MessageLike, mark: "cancelled" | "declined"): boolean {
  const { artifact } = message;
  return typeof artifact === "object" && artifact !== null && mark in artifact &&
    (artifact as Record<string, unknown>)[mark] === true;
}

function resultStatus(result: MessageLike): ToolStatus {
  if (isMarked(result, "cancelled")) return "cancelled";
  if (isMarked(result, "declined")) return "declined";
  return result.status === "error" ? "error" : "done";
}

export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: unknown) =>
      typeof block === "string"
        ? block
        : block && typeof block === "object" && "type" in block && block.type === "text" &&
            "text" in block && typeof block.text === "string"
          ? block.text
          : "",
    )
    .join("");
}

/** A finished call's bar says it finished, not the last phase it went through. */
export function finalProgress(progress: ToolProgress | undefined, status: ToolStatus): ToolProgress | undefined {
  if (!progress || status !== "done") return progress;
  const { message: _message, ...rest } = progress;
  return { ...rest, phase: "done", progress: 100 };
}

export interface CallOverrides {
  /** Calls shown elsewhere (an approval card is their card): left out of their message. */
  hidden?: ReadonlySet<string>;
  /** What a decided call is until its result is stored (a rejected one is declined at once). */
  decided?: ReadonlyMap<string, ToolStatus>;
}

/**
 * `openCalls`: what a call of the latest turn without a result is: `running` while a run
 * streams, `waiting` while the thread waits for a decision, else `cancelled` (it never will
 * have one). Calls of earlier turns without a result are always cancelled. An answer whose
 * calls are all `hidden` and that has no text is left out.
 */
export function buildMessages(
  messages: readonly MessageLike[],
  progress: ProgressState,
  openCalls: "running" | "waiting" | "cancelled",
  overrides: CallOverrides = {},
): MessageView[] {
  const { hidden, decided } = overrides;
  const results = new Map<string, MessageLike>();
  let lastHuman = -1;
  messages.forEach((message, index) => {
    if (message.type === "tool" && message.tool_call_id) results.set(message.tool_call_id, message);
    if (message.type === "human") lastHuman = index;
  });
  const lastCallOfTool = new Map<string, string>();
  for (const message of messages) {
    for (const call of message.tool_calls ?? []) if (call.id) lastCallOfTool.set(call.name, call.id);
  }

  const views: MessageView[] = [];
  messages.forEach((message, index) => {
    if (message.type !== "human" && message.type !== "ai") return;
    const id = message.id ?? `${message.type}-${index}`;
    const calls = (message.tool_calls ?? []).map((call, callIndex) => ({ ...call, id: call.id ?? `${id}-call-${callIndex}` }));
    const shown = calls.filter((call) => !hidden?.has(call.id));
    const text = messageText(message.content);
    if (message.type === "ai" && calls.length > 0 && shown.length === 0 && !text) return;
    const toolCalls = shown.map((call): ToolCallView => {
      const callId = call.id;
      const result = results.get(callId);
      const status: ToolStatus = result
        ? resultStatus(result)
        : index > lastHuman ? decided?.get(callId) ?? openCalls : "cancelled";
      const fallback = lastCallOfTool.get(call.name) === callId
        ? progress.byToolName.get(call.name)
        : undefined;
      return {
        id: callId,
        name: call.name,
        args: call.args ?? {},
        status,
        result: result ? messageText(result.content) : undefined,
        progress: finalProgress(progress.byCallId.get(callId) ?? fallback, status),
      };
    });
    views.push({
      id,
      role: message.type === "human" ? "user" : "assistant",
      text,
      attachments: attachmentsOf(message.content),
      time: sentAt(message.additional_kwargs),
      toolCalls,
    });
  });
  return views;
}
