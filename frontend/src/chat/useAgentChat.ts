/**
 * One conversation on the Runs API: the stream hook (`useStream` from @langchain/react), its client,
 * and the REST calls that make up for what the hook does not do yet. What the page shows is
 * chatView.ts's (the stored thread plus the current run); Chat.tsx renders it and calls the actions.
 *
 * SDK version: @langchain/langgraph-sdk 1.15.0 under @langchain/react 1.1.0 (which pins 1.11.0),
 * through npm `overrides` in package.json. 1.15 no longer ends a submit on an earlier run's
 * replayed end event, and its stop() also cancels runs respond() started. Still worked around
 * (details where they live), with why:
 * - react 1.1.0 builds its controller during render, which opens streams at once: the thread is
 *   bound after mount (useBoundThread.ts);
 * - the hook joins only runs the thread's state shows: runs started elsewhere are found and the
 *   hook rebuilt (useRunFollower.ts);
 * - `stop()` after a re-attach only disconnects (it knows no run id): Stop also cancels the
 *   thread's active runs; and it drops an unsaved partial answer, which the page holds (`held`);
 * - its event streams are read by our own transport (threadEvents.ts, given by streamClient.ts):
 *   the SDK's SSE parsing took ~40% of the page's CPU per token; it replays the thread's earlier
 *   runs on subscribing (1.15 never sends `since`) and always subscribes to the full state;
 * - it reads 20 checkpoints of full state to discover subgraphs (streamClient.ts) and has no
 *   version history (useThreadIndex.ts, branches.ts): messages come from the stored thread plus
 *   the current run's (timeline.ts);
 * - input.respond answers with no run id (langgraph-api 0.16.7): see `decide`.
 * A run ends on its own end event, matched by run id (runOutcome.ts): Send is enabled then.
 */
import { useChannel, useStream, type UseStreamOptions } from "@langchain/react";
import { useCallback, useRef, useState } from "react";
import type { AgentChat, AgentChatOptions, Draft } from "./agentChat";
import type { ApprovalRequest, Decision } from "./approval";
import { attachmentBlocks, questionContent, type Attachment } from "./attachments";
import type { Sent } from "./chatView";
import { describeError, isRequestError } from "./errors";
import type { RawEvent } from "./progress";
import { useBoundThread } from "./useBoundThread";
import { useRunFollower, type RunEnded } from "./useRunFollower";
import { useStableCallback } from "./useStableCallback";
import { useThreadIndex } from "./useThreadIndex";
import { useShownView } from "./useShownView";
import type { MessageLike } from "./viewModel";

type Action =
  | { kind: "send"; text: string; attachments: readonly Attachment[] }
  | { kind: "edit"; messageId: string; text: string }
  | { kind: "regenerate" }
  | { kind: "decide"; request: ApprovalRequest; decisions: Decision[] };

const CHANNELS = ["tools", "custom:progress", "lifecycle", "input"] as const;
const NOTHING: ReadonlySet<string> = new Set();

export function useAgentChat(options: AgentChatOptions): AgentChat {
  const { connection, assistantId, runContext, api, onRunFinished } = options;
  // Fixed for this mount: the id the hook creates for a new chat must not re-bind it mid-run.
  const [initialThreadId] = useState(options.threadId);

  const apiKey = "transport" in connection ? undefined : connection.apiKey;
  const { client, boundThreadId, pendingThreadId, rebuild } = useBoundThread(connection.apiUrl, apiKey, initialThreadId);
  // The first message's text names the new thread in the sidebar until the list is read again.
  const onThreadId = (id: string) => options.onThreadId(id, lastAction.current?.kind === "send" ? lastAction.current.text : "");
  const common = { threadId: boundThreadId, onThreadId, onCreated: ({ runId }: { runId: string }) => created(runId) };
  const streamOptions: UseStreamOptions = "transport" in connection
    ? { ...common, transport: connection.transport }
    : { ...common, assistantId, apiUrl: connection.apiUrl, client };
  const stream = useStream(streamOptions);
  // Before the hook has its thread (just mounted, or rebuilt), the one it is about to get.
  const threadId = stream.threadId ?? pendingThreadId() ?? initialThreadId;
  const events = useChannel(stream, CHANNELS, undefined, { bufferSize: 2000 }) as readonly RawEvent[];

  const { index, error: loadError, refresh, forkPoint } = useThreadIndex(api, initialThreadId);
  const [head, setHead] = useState<string | null>(null);
  const [dropped, setDropped] = useState<ReadonlySet<string>>(NOTHING);
  const [stopped, setStopped] = useState(false);
  const [letGo, setLetGo] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
  // SDK 1.15 drops an unsaved partial answer from the hook's messages when a run is stopped or
  // fails: the page keeps what it showed until the next action.
  const [held, setHeld] = useState<readonly MessageLike[] | null>(null);
  const lastLive = useRef<readonly MessageLike[]>([]);
  const [runError, setRunError] = useState<unknown>(undefined);
  const [dismissed, setDismissed] = useState<unknown>(undefined);
  const lastAction = useRef<Action | null>(null);
  // A message the server refused goes back to the composer, attachments and all.
  const [returned, setReturned] = useState<Draft | null>(null);

  // A run's end event enables Send at once. The server may record the run ended a moment later:
  // the thread list, the error and the stored state are read once it has.
  const onEnd = useCallback(
    ({ id, mine, end }: RunEnded) => {
      if (end === "interrupted") setStopped(true);
      if (end === "interrupted" || end === "failed") setHeld(lastLive.current);
      if (!threadId) return onRunFinished();
      void api.runEnded(threadId, id).catch(() => undefined).then(() => {
        onRunFinished();
        if (mine && end === "failed") {
          api.runError(threadId, id).then((failure) => setRunError(new Error(failure ?? "The run failed.")), setRunError);
        }
        // Decisions sent hold until the stored state shows what they did.
        refresh(threadId).then(() => {
          setHead(null);
          setSent(null);
        }, setRunError);
      });
    },
    [threadId, api, refresh, onRunFinished],
  );

  const onFound = useCallback((found: "running" | "stopped") => setStopped(found === "stopped"), []);
  const streamed = stream.isLoading || stream.isThreadLoading;
  const { run, begin, created, abandon, starting } = useRunFollower({ api, threadId, events, streamed, onEnd, onFound, rebuild });

  const hookError = stream.error !== undefined && isRequestError(stream.error) ? stream.error : undefined;
  const error = runError ?? loadError ?? hookError;
  const visibleError = error !== undefined && error !== dismissed ? error : undefined;
  const { view, messages, versions, live } = useShownView({
    streamed: stream.messages, held, events, index, head, dropped, running: run !== null, stopped, letGo, sent,
    loading: initialThreadId !== null && index === null, failed: visibleError !== undefined,
  });
  if (run !== null) lastLive.current = live;
  const composedNow = useRef(view.composed);
  composedNow.current = view.composed;

  /** What every action does first: a new run, the page's earlier outcome let go. */
  const prepare = (action: Action) => {
    lastAction.current = action;
    setStopped(false);
    setLetGo(false);
    setHeld(null);
    setRunError(undefined);
    setDismissed(undefined);
    // An unsaved partial answer (after a stop) is not part of what the next run sees.
    const known = index?.known ?? NOTHING;
    setDropped(new Set(view.composed.flatMap((message) => (message.id && !known.has(message.id) ? [message.id] : []))));
    begin();
  };
  const failed = (shown: string | null) => (failure: unknown) => {
    const action = lastAction.current;
    if (action?.kind === "send") {
      // Back in the composer, so not in the list as if it had been sent.
      setReturned({ text: action.text, attachments: action.attachments });
      const known = index?.known ?? NOTHING;
      setDropped(new Set(composedNow.current.flatMap((message) => (message.id && !known.has(message.id) ? [message.id] : []))));
    }
    setRunError(failure);
    setHead(shown);
    setSent(null);
    abandon();
  };

  const start = (action: Action, input: Record<string, unknown> | null, forkFrom?: string) => {
    prepare(action);
    const onFail = failed(head);
    if (forkFrom) setHead(forkFrom);
    // The hook's own errors count only before the server accepted the run (see runOutcome.ts).
    const onError = (failure: unknown) => isRequestError(failure) && starting() && onFail(failure);
    stream.submit(input, { config: { configurable: runContext }, multitaskStrategy: "reject", forkFrom, onError }).catch(onFail);
  };

  const send = (text: string, attachments: readonly Attachment[] = []) => {
    // Viewing an older version: the new message continues that one.
    const continueFrom = head && head !== index?.checkpoints[0]?.id ? head : undefined;
    setReturned(null);
    const content = questionContent(text, attachments);
    start({ kind: "send", text, attachments }, { messages: [{ type: "human", content }] }, continueFrom);
  };

  // A re-run from the checkpoint before `messageId`: busy at once, while that is read.
  const rerun = (action: Action, input: Record<string, unknown> | null, messageId: string) => {
    begin();
    const onFail = failed(head);
    forkPoint(messageId).then(
      (from) => (from ? start(action, input, from) : onFail(new Error("Where this message was written is no longer in the thread's history."))),
      onFail,
    );
  };
  // An edited question keeps its attachments: only its text changes.
  const edit = (messageId: string, text: string) => {
    const kept = attachmentBlocks(view.composed.find((message) => message.id === messageId)?.content);
    const content = kept.length > 0 ? [{ type: "text", text }, ...kept] : text;
    rerun({ kind: "edit", messageId, text }, { messages: [{ type: "human", content }] }, messageId);
  };
  const regenerate = () => {
    if (view.replyId) rerun({ kind: "regenerate" }, null, view.replyId);
  };

  // `respond()` resumes the interrupt by its id (the server checks the decisions: a 422 leaves
  // the thread waiting, and the banner says why). langgraph-api 0.16.7 answers it without the
  // run's id: that is the thread's newest run once it is not the paused one.
  const decide = (request: ApprovalRequest, decisions: Decision[]) => {
    prepare({ kind: "decide", request, decisions });
    setSent({ request, decisions });
    const id = threadId;
    if (!id) return;
    const respond = () => stream.respond({ decisions }, { interruptId: request.id, config: { configurable: runContext } });
    api.newestRun(id)
      .then((paused) => respond().then(() => api.runAfter(id, paused?.id ?? null)))
      .then(created, failed(head));
  };

  const showVersion = (messageId: string, position: number) => {
    const target = view.versions.get(messageId)?.heads[position];
    if (!target || view.streaming) return;
    setHead(target === index?.checkpoints[0]?.id ? null : target);
  };

  const stop = () => {
    setStopped(true);
    setHeld(lastLive.current);
    const id = threadId;
    if (view.paused) {
      setLetGo(true);
      if (id) api.cancelPendingCalls(id).then(() => refresh(id)).then(onRunFinished, setRunError);
      return;
    }
    void Promise.all([stream.stop(), id ? api.cancelActiveRuns(id).catch(setRunError) : undefined]).then(onRunFinished);
  };

  const retry = () => {
    setDismissed(error);
    setRunError(undefined);
    const action = lastAction.current;
    if (action?.kind === "send") send(action.text, action.attachments);
    else if (action?.kind === "edit") edit(action.messageId, action.text);
    else if (action?.kind === "regenerate") regenerate();
    else if (action?.kind === "decide") decide(action.request, action.decisions);
    else {
      rebuild(threadId);
      if (threadId) refresh(threadId).catch(setRunError);
    }
  };

  // Fixed identities, so memoised messages and the composer do not re-render on every token.
  return {
    messages,
    status: view.status,
    streaming: view.streaming,
    error: visibleError === undefined ? null : describeError(visibleError, connection.apiUrl),
    stoppedMessageId: view.stoppedMessageId,
    versions,
    regenerableId: view.regenerableId,
    editable: view.editable,
    paused: view.paused,
    approvals: view.approvals,
    returned,
    send: useStableCallback(send),
    decide: useStableCallback(decide),
    edit: useStableCallback(edit),
    regenerate: useStableCallback(regenerate),
    showVersion: useStableCallback(showVersion),
    stop: useStableCallback(stop),
    retry: useStableCallback(retry),
    dismissError: useStableCallback(() => setDismissed(error)),
  };
}
