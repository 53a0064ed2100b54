/**
 * The main view's state, from what the page knows: the stored thread (useThreadIndex.ts), what
 * the current run adds (the hook's messages and events), and what the person did (a version
 * chosen, decisions sent, a stop). One way: these inputs -> this view -> components. Pure, so
 * the rules are unit-tested directly.
 *
 * Human in the loop (docs/approval.md): the newest checkpoint's interrupts are what the thread
 * waits for. Each pending call is shown once, by its approval card; after a decision, until its
 * result is stored, a rejected call is declined (it never runs) and an approved or edited one
 * runs. A new message or a stop ends the wait: the pending calls are cancelled.
 */
import type { ChatStatus } from "../components/StatusLine";
import { approvalRequests, type ApprovalRequest, type Decision } from "./approval";
import { branchesOf, indexHistory, messagesAt, type BranchInfo, type ThreadIndex } from "./branches";
import { callsOf, decidedStatuses, pendingCallIds } from "./pendingCalls";
import type { ProgressState } from "./progress";
import { rerunTargets } from "./rerunTargets";
import { composeMessages } from "./timeline";
import { buildMessages, type MessageLike, type MessageView } from "./viewModel";

/** Decisions sent for a request: they hold while their resume runs. */
export interface Sent {
  request: ApprovalRequest;
  decisions: readonly Decision[];
}

export interface ChatInputs {
  /** Null until the thread's state has been read. */
  index: ThreadIndex | null;
  /** The checkpoint whose messages are shown (a chosen version), or null for the newest. */
  head: string | null;
  /** The stream hook's messages: the current run's are taken from there. */
  live: readonly MessageLike[];
  /** Unsaved messages the page let go of (a stopped partial answer, once the next run starts). */
  dropped: ReadonlySet<string>;
  progress: ProgressState;
  /** Results of calls the current run finished, by call id (progress.ts `toolResults`). */
  finished: ReadonlyMap<string, MessageLike>;
  /** A run is followed (started here or elsewhere) and has not ended. */
  running: boolean;
  /** Stopped by the person: a run, or (`letGo`) the wait for a decision. */
  stopped: boolean;
  letGo: boolean;
  sent: Sent | null;
  /** A thread was opened and its state is not read yet. */
  loading: boolean;
  failed: boolean;
}

export interface ChatView {
  composed: MessageLike[];
  messages: MessageView[];
  versions: ReadonlyMap<string, BranchInfo>;
  editable: ReadonlySet<string>;
  replyId: string | undefined;
  regenerableId: string | null;
  streaming: boolean;
  paused: boolean;
  approvals: readonly ApprovalRequest[];
  stoppedMessageId: string | null;
  status: ChatStatus;
}

const EMPTY_INDEX = indexHistory([]);

/** `messages` plus the finished calls' results they do not hold yet. */
function withResults(messages: MessageLike[], finished: ReadonlyMap<string, MessageLike>): MessageLike[] {
  if (finished.size === 0) return messages;
  const held = new Set(messages.flatMap((message) => (message.type === "tool" && message.tool_call_id ? [message.tool_call_id] : [])));
  const calls = new Set(messages.flatMap((message) => (message.tool_calls ?? []).map((call) => call.id)));
  const added = [...finished].flatMap(([id, result]) => (calls.has(id) && !held.has(id) ? [result] : []));
  return added.length > 0 ? [...messages, ...added] : messages;
}
const NO_APPROVALS: readonly ApprovalRequest[] = [];

export function chatView(inputs: ChatInputs): ChatView {
  const { head, live, dropped, progress, running, stopped, letGo, sent } = inputs;
  const thread = inputs.index ?? EMPTY_INDEX;
  const composed = withResults(composeMessages(messagesAt(thread, head), thread.known, live, dropped), inputs.finished);
  const streaming = running && !stopped;

  const stored = approvalRequests(thread.checkpoints[0]?.interrupts);
  // A request answered (until the stored state says so), or whose calls have results, waits no more.
  const answered = sent !== null && stored.some((request) => request.id === sent.request.id) ? sent : null;
  const waitingFor = stored.filter(
    (request) => request.id !== answered?.request.id && callsOf(composed, request).some((id) => id !== null),
  );
  const paused = !running && !letGo && waitingFor.length > 0;
  const approvals = paused && head === null ? waitingFor : NO_APPROVALS;
  const openCalls = streaming ? "running" : approvals.length > 0 ? "waiting" : "cancelled";
  const messages = buildMessages(composed, progress, openCalls, {
    hidden: pendingCallIds(composed, approvals),
    decided: answered ? decidedStatuses(composed, answered.request, answered.decisions) : undefined,
  });

  const idle = !running && inputs.index !== null;
  const targets = rerunTargets(composed, thread.known, messages, idle);
  const lastUser = messages.findLastIndex((view) => view.role === "user");
  const last = messages[messages.length - 1];
  const stoppedMessageId =
    stopped && !streaming && !paused && last?.role === "assistant" && messages.length - 1 > lastUser ? last.id : null;
  const status: ChatStatus = inputs.failed
    ? "error"
    : streaming ? "streaming"
    : inputs.loading ? "loading"
    : paused ? "paused"
    : stopped ? "stopped" : "idle";
  return {
    composed,
    messages,
    versions: branchesOf(thread, composed),
    ...targets,
    streaming,
    paused,
    approvals,
    stoppedMessageId,
    status,
  };
}
