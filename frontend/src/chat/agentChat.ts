/**
 * What the Runs API view's hook takes and gives (useAgentChat.ts): Chat.tsx renders an
 * `AgentChat` and calls its actions.
 */
import type { AgentServerAdapter } from "@langchain/react";
import type { ServerApi } from "../api";
import type { ChatStatus } from "../components/StatusLine";
import type { ApprovalRequest, Decision } from "./approval";
import type { Attachment } from "./attachments";
import type { MessageView } from "./viewModel";

export type Connection =
  | { apiUrl: string; apiKey?: string }
  | { transport: AgentServerAdapter; apiUrl: string };

export interface AgentChatOptions {
  connection: Connection;
  assistantId: string;
  runContext: Record<string, unknown>;
  /** The thread to open; null for a new conversation (the first message creates one). */
  threadId: string | null;
  api: ServerApi;
  /** The first message made a thread; `question` is that message's text. */
  onThreadId: (threadId: string, question: string) => void;
  /** A run ended (or was stopped): the thread list may have changed. */
  onRunFinished: () => void;
}

/** What the composer held when a message was sent. */
export interface Draft {
  text: string;
  attachments: readonly Attachment[];
}

export interface Version {
  index: number;
  count: number;
}

export interface AgentChat {
  messages: MessageView[];
  status: ChatStatus;
  streaming: boolean;
  /** The error to show, in words, or null. */
  error: string | null;
  /** The answer a stop cut short, marked as such. */
  stoppedMessageId: string | null;
  /** Messages with other versions (edited questions, regenerated answers). */
  versions: ReadonlyMap<string, Version>;
  /** The answer Regenerate re-runs, when there is one. */
  regenerableId: string | null;
  /** Questions that can be edited and re-run. */
  editable: ReadonlySet<string>;
  /** The thread waits for a decision on a tool call (not stopped: nothing was cut off). */
  paused: boolean;
  /** What it waits for, one request per interrupt, when its newest version is shown. */
  approvals: readonly ApprovalRequest[];
  /** A message the server refused, handed back to the composer; null otherwise. */
  returned: Draft | null;
  send: (text: string, attachments?: readonly Attachment[]) => void;
  /** Answer the pending request: one decision per action, in order. */
  decide: (request: ApprovalRequest, decisions: Decision[]) => void;
  edit: (messageId: string, text: string) => void;
  regenerate: () => void;
  showVersion: (messageId: string, index: number) => void;
  stop: () => void;
  retry: () => void;
  dismissError: () => void;
}
