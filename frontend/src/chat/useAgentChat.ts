/**
 * One conversation on the Runs API: the stream hook (`useStream` from @langchain/react), its
 * fetch, the render throttling, and the REST calls that make up for what the hook does not do
 * yet. Chat.tsx renders what this returns and calls its actions; nothing else talks to the server.
 *
 * The stored thread is the truth. Its state is read when the thread opens and once after each
 * run (useThreadIndex.ts: older checkpoints only when asked); the hook adds what the current run
 * is writing (see timeline.ts). Every run the page shows, its own or one started elsewhere
 * (another tab, a reload mid-run), is followed to its end (`runs.get`), so the page converges
 * to the stored thread. A run's end enables Send at once: the state read follows.
 *
 * Workarounds, each labelled with the version it works around:
 * - @langchain/react 1.1.0 reattaches after a reload only when the thread's state shows work
 *   left (`next`), so a run still queued, or started elsewhere while the page is open, is never
 *   streamed: the run is found with `runs.list` (on open, and on each `lifecycle` event) and the
 *   hook is rebuilt once the run is running. Delete when the hook joins runs it did not start.
 * - @langchain/react 1.1.0 matches a submit to an earlier run's replayed end event (the first
 *   send after opening a thread with runs) and then reports that run's outcome, not the new
 *   one's: a run's end and error come from `runs.get` + `runs.join`, and the hook's own errors
 *   are shown only when they are connection errors. Delete when submit waits for its own run.
 * - @langchain/react 1.1.0: `stop()` after a re-attach only disconnects (it cancels only a run
 *   this hook instance started): Stop also cancels the thread's active runs. Delete when stop()
 *   cancels a joined run.
 * - @langchain/react 1.1.0 replays the thread's earlier runs on subscribing (replayCursor.ts
 *   keeps their bytes off the wire), and applies a re-run from an older checkpoint as "add
 *   only": messages come from the stored thread plus the run's new ones (timeline.ts). Delete
 *   when the hook's messages follow forks.
 * - @langchain/react 1.1.0 has no version history (the legacy hook's `fetchStateHistory`,
 *   `branch`, `setBranch`): versions come from pages of `threads.getHistory`, read when needed
 *   (useThreadIndex.ts, branches.ts); re-runs use the hook's `forkFrom`.
 * - langgraph-api 0.16.7 resumes the hook's `respond()` (`input.respond`) with
 *   `{<interrupt id>: response}`, which this server's run checks refuse: a resume is
 *   `{"decisions": [...]}` (docs/approval.md). A `run.start` with input on a thread that waits
 *   for a decision is a resume with that input as it is, so decisions go through `submit`.
 *   That also makes any other input a resume there (a new message, an edit): while the thread
 *   waits, the page offers only the decision. What it waits for is read from the stored thread
 *   (the newest checkpoint's interrupts), like everything else here. Delete when the server
 *   accepts the keyed resume: then `stream.respond()`.
 */
import { useChannel, useStream, type UseStreamOptions } from "@langchain/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { RunInfo } from "../api";
import type { ChatStatus } from "../components/StatusLine";
import type { AgentChat, AgentChatOptions } from "./agentChat";
import type { ApprovalRequest, Decision } from "./approval";
import { branchesOf, indexHistory, messagesAt } from "./branches";
import { describeError, isRequestError } from "./errors";
import { foldProgress, lastLifecycle, NO_PROGRESS, type ProgressState, type RawEvent } from "./progress";
import { withReplayCursor } from "./replayCursor";
import { rerunTargets } from "./rerunTargets";
import { slicedFetch } from "./slicedFetch";
import { streamClient } from "./streamClient";
import { composeMessages } from "./timeline";
import { useStableCallback } from "./useStableCallback";
import { useStableViews } from "./useStableViews";
import { useThreadIndex } from "./useThreadIndex";
import { useApprovals } from "./useApprovals";
import { useThrottled } from "./useThrottled";
import { buildMessages, type MessageLike } from "./viewModel";

/** A run the page follows until it ends. `id` is null until the server has accepted it. */
interface FollowedRun {
  id: string | null;
  status: string;
  /** Started by this page (so its failure is reported here). */
  mine: boolean;
}

type Action =
  | { kind: "send"; text: string }
  | { kind: "edit"; messageId: string; text: string }
  | { kind: "regenerate" }
  | { kind: "decide"; request: ApprovalRequest; decisions: Decision[] };

const CHANNELS = ["tools", "custom:progress", "lifecycle"] as const;
const streamFetch = withReplayCursor(slicedFetch);
const RENDER_EVERY_MS = 50;
const STATUS_POLL_MS = 1000;
const ATTACH_TRIES = 3;
const ATTACH_RETRY_MS = 1000;
const ENDED = new Set(["success", "error", "interrupted", "timeout"]);
const EMPTY_INDEX = indexHistory([]);

const isActive = (run: RunInfo | null) => run !== null && (run.status === "pending" || run.status === "running");

export function useAgentChat(options: AgentChatOptions): AgentChat {
  const { connection, assistantId, runContext, api, onRunFinished } = options;
  // Fixed for this mount: the id the hook creates for a new chat must not re-bind it mid-run.
  const [initialThreadId] = useState(options.threadId);

  // A new client makes useStream build a new stream controller, which loads the thread again
  // and joins a run in progress (see the first workaround).
  const [generation, setGeneration] = useState(0);
  const apiUrl = connection.apiUrl;
  const apiKey = "transport" in connection ? undefined : connection.apiKey;
  const client = useMemo(() => streamClient(apiUrl, apiKey), [apiUrl, apiKey, generation]);

  // @langchain/react 1.1.0 builds its stream controller during render, and a controller built
  // with a thread id starts loading it and opens two event streams right away. React may throw
  // such a render away (it restarts interrupted renders), and nothing closes those streams:
  // with HTTP/1.1's six connections per server, a few leaked ones stall every later request.
  // So the hook is given its thread only after it has mounted (and again after a rebuild): the
  // controllers of discarded renders never touch the network. Delete when the hook creates its
  // controller in an effect.
  const [boundThreadId, setBoundThreadId] = useState<string | null>(null);
  const bindNext = useRef<string | null>(initialThreadId);
  useEffect(() => {
    if (bindNext.current === null) return;
    setBoundThreadId(bindNext.current);
    bindNext.current = null;
  }, [generation]);
  const rebuild = useCallback((threadToBind: string | null) => {
    bindNext.current = threadToBind;
    setBoundThreadId(null);
    setGeneration((value) => value + 1);
  }, []);

  const [run, setRun] = useState<FollowedRun | null>(null);
  const runRef = useRef<FollowedRun | null>(null);
  const follow = useCallback((next: FollowedRun | null) => {
    runRef.current = next;
    setRun(next);
  }, []);

  const common = {
    threadId: boundThreadId,
    onThreadId: options.onThreadId,
    onCreated: ({ runId }: { runId: string }) => {
      const current = runRef.current;
      if (current?.mine && current.id === null) follow({ ...current, id: runId });
    },
  };
  const streamOptions: UseStreamOptions =
    "transport" in connection
      ? { ...common, transport: connection.transport }
      : {
          ...common,
          assistantId,
          apiUrl,
          client,
          fetch: streamFetch,
        };
  const stream = useStream(streamOptions);
  // Before the hook has its thread (just mounted, or rebuilt), the one it is about to get.
  const threadId = stream.threadId ?? bindNext.current ?? initialThreadId;
  const events = useChannel(stream, CHANNELS, undefined, { bufferSize: 2000 }) as readonly RawEvent[];

  const { index, error: loadError, refresh, forkPoint } = useThreadIndex(api, initialThreadId);
  /** The checkpoint whose messages are shown: a chosen version, or a re-run's starting point. */
  const [head, setHead] = useState<string | null>(null);
  const [dropped, setDropped] = useState<ReadonlySet<string>>(new Set());
  const [stopped, setStopped] = useState(false);
  const [runError, setRunError] = useState<unknown>(undefined);
  const [dismissed, setDismissed] = useState<unknown>(undefined);
  const lastAction = useRef<Action | null>(null);

  // Follow each run to its end; Send is enabled then, and the state read follows (until it
  // lands, the hook's messages show what the run wrote). Its status is asked for when the
  // event stream says something happened (`poke`) and every second besides, for runs whose
  // events this page does not receive.
  const [poke, setPoke] = useState(0);
  useEffect(() => {
    if (!run?.id || !threadId) return;
    const { id, mine } = run;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      const status = await api.runStatus(threadId, id).catch(() => null);
      if (cancelled) return;
      if (status === null || !ENDED.has(status)) {
        timer = setTimeout(() => void check(), STATUS_POLL_MS);
        return;
      }
      const failure = mine && status !== "success" && status !== "interrupted"
        ? (await api.runError(threadId, id).catch(() => null)) ?? `The run ended: ${status}`
        : null;
      if (cancelled || runRef.current?.id !== id) return;
      if (failure) setRunError(new Error(failure));
      if (status === "interrupted") setStopped(true);
      follow(null);
      onRunFinished();
      void refresh(threadId).then(() => setHead(null), setRunError);
    };
    void check();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [run?.id, threadId, poke, api, refresh, follow, onRunFinished]);

  // Runs this page did not start: found when the thread opens, and whenever the event stream
  // says a run began or ended. One check at a time; events during a check ask for one more.
  const checking = useRef({ busy: false, again: false });
  const checkRuns = useCallback(async () => {
    if (!threadId || runRef.current?.mine) return;
    if (checking.current.busy) {
      checking.current.again = true;
      return;
    }
    checking.current = { busy: true, again: false };
    const newest = await api.newestRun(threadId).catch(() => null);
    const current = runRef.current;
    if (!current?.mine) {
      if (newest && isActive(newest)) {
        if (current?.id !== newest.id || current.status !== newest.status) {
          follow({ id: newest.id, status: newest.status, mine: false });
          setStopped(false);
        }
      } else if (newest?.status === "interrupted" && !current) {
        setStopped(true);
      }
    }
    const { again } = checking.current;
    checking.current = { busy: false, again: false };
    if (again) void checkRuns();
  }, [threadId, api, follow]);

  useEffect(() => {
    if (initialThreadId) void checkRuns();
    // Once per opened thread; later checks follow lifecycle events.
  }, [initialThreadId, checkRuns]);

  // What says a run may have begun or ended: a lifecycle event, or the hook turning busy.
  const lifecycle = lastLifecycle(events);
  useEffect(() => {
    if (lifecycle || stream.isLoading) void checkRuns();
    setPoke((value) => value + 1);
  }, [lifecycle, stream.isLoading, checkRuns]);

  // Stream a run the hook did not join (first workaround): rebuild it while the run is running
  // (asked again first: the hook also goes quiet when the run has just ended).
  const attachTries = useRef(new Map<string, number>());
  const hookBusy = stream.isLoading || stream.isThreadLoading;
  useEffect(() => {
    if (!run?.id || run.mine || run.status !== "running" || hookBusy || !threadId) return;
    const id = run.id;
    const tries = attachTries.current.get(id) ?? 0;
    if (tries >= ATTACH_TRIES) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void api.runStatus(threadId, id).then(
        (status) => {
          if (cancelled || status !== "running" || runRef.current?.id !== id) return;
          attachTries.current.set(id, tries + 1);
          rebuild(threadId);
        },
        () => undefined,
      );
    }, tries === 0 ? 0 : ATTACH_RETRY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [run, hookBusy, threadId, api, rebuild]);

  // Batch token updates: a render (and Markdown parse) per 50 ms at most, not per token.
  const liveMessages = useThrottled<readonly MessageLike[]>(stream.messages, RENDER_EVERY_MS);
  const shownEvents = useThrottled(events, RENDER_EVERY_MS);
  const progressRef = useRef<ProgressState>(NO_PROGRESS);
  const progress = useMemo(
    () => (progressRef.current = foldProgress(shownEvents, progressRef.current)),
    [shownEvents],
  );

  const streaming = run !== null && !stopped;
  const thread = index ?? EMPTY_INDEX;
  const newest = thread.checkpoints[0];
  const stored = messagesAt(thread, head);
  const composed = useMemo(
    () => composeMessages(stored, thread.known, liveMessages, dropped),
    [stored, thread.known, liveMessages, dropped],
  );
  const { paused, approvals, overrides, remember } = useApprovals(newest, run !== null, head === null, composed);
  const openCalls = streaming ? "running" : approvals.length > 0 ? "waiting" : "cancelled";
  const messages = useStableViews(
    useMemo(() => buildMessages(composed, progress, openCalls, overrides), [composed, progress, openCalls, overrides]),
  );
  const versionInfo = useMemo(() => branchesOf(thread, composed), [thread, composed]);
  const versions = useMemo(
    () => new Map([...versionInfo].map(([id, info]) => [id, { index: info.index, count: info.heads.length }])),
    [versionInfo],
  );

  // Where a re-run forks is read when asked.
  const idle = !streaming && !paused && index !== null;
  const { editable, replyId, regenerableId } = useMemo(
    () => rerunTargets(composed, thread.known, messages, idle),
    [composed, thread.known, messages, idle],
  );

  const start = useCallback(
    (action: Action, input: Record<string, unknown> | null, forkFrom?: string) => {
      lastAction.current = action;
      setStopped(false);
      setRunError(undefined);
      setDismissed(undefined);
      // An unsaved partial answer (after a stop) is not part of what the next run sees.
      const unsaved = composed.flatMap((message) => (message.id && !thread.known.has(message.id) ? [message.id] : []));
      setDropped(new Set(unsaved));
      const shown = head;
      if (forkFrom) setHead(forkFrom);
      follow({ id: null, status: "pending", mine: true });
      const failed = (error: unknown) => {
        setRunError(error);
        setHead(shown);
        follow(null);
      };
      const onError = (error: unknown) => {
        if (isRequestError(error) && runRef.current?.mine && runRef.current.id === null) failed(error);
      };
      stream
        .submit(input, {
          config: { configurable: runContext },
          multitaskStrategy: "reject",
          forkFrom,
          onError,
        })
        .catch(failed);
    },
    [stream, runContext, composed, thread, follow, head],
  );

  const send = useCallback(
    (text: string) => {
      // Viewing an older version: the new message continues that one.
      const newest = thread.checkpoints[0]?.id;
      const continueFrom = head && head !== newest ? head : undefined;
      start({ kind: "send", text }, { messages: [{ type: "human", content: text }] }, continueFrom);
    },
    [start, thread, head],
  );

  // A re-run from the checkpoint before `messageId`: busy at once, while that is read.
  const rerun = useCallback(
    (action: Action, input: Record<string, unknown> | null, messageId: string) => {
      follow({ id: null, status: "pending", mine: true });
      const failed = (error: unknown) => {
        follow(null);
        setRunError(error);
      };
      forkPoint(messageId).then(
        (from) => (from ? start(action, input, from) : failed(new Error("Where this message was written is no longer in the thread's history."))),
        failed,
      );
    },
    [start, follow, forkPoint],
  );

  const edit = useCallback(
    (messageId: string, text: string) =>
      rerun({ kind: "edit", messageId, text }, { messages: [{ type: "human", content: text }] }, messageId),
    [rerun],
  );

  const regenerate = useCallback(() => {
    if (replyId) rerun({ kind: "regenerate" }, null, replyId);
  }, [rerun, replyId]);

  // The decisions are the run's input (see the last workaround); the server checks them (a 422
  // leaves the thread waiting, and the banner says why).
  const decide = useCallback(
    (request: ApprovalRequest, decisions: Decision[]) => {
      remember(request, decisions);
      start({ kind: "decide", request, decisions }, { decisions });
    },
    [start, remember],
  );

  const showVersion = useCallback(
    (messageId: string, position: number) => {
      const target = versionInfo.get(messageId)?.heads[position];
      if (!target || streaming) return;
      setHead(target === thread.checkpoints[0]?.id ? null : target);
    },
    [versionInfo, streaming, thread],
  );

  const stop = useCallback(() => {
    setStopped(true);
    const id = threadId;
    void Promise.all([
      stream.stop(),
      id ? api.cancelActiveRuns(id).catch(setRunError) : undefined,
    ]).then(onRunFinished);
  }, [stream, api, threadId, onRunFinished]);

  const hookError = stream.error !== undefined && isRequestError(stream.error) ? stream.error : undefined;
  const error = runError ?? loadError ?? hookError;
  const visibleError = error !== undefined && error !== dismissed ? error : undefined;

  const retry = useCallback(() => {
    setDismissed(error);
    setRunError(undefined);
    const action = lastAction.current;
    if (action?.kind === "send") send(action.text);
    else if (action?.kind === "edit") edit(action.messageId, action.text);
    else if (action?.kind === "regenerate") regenerate();
    else if (action?.kind === "decide") decide(action.request, action.decisions);
    else {
      rebuild(threadId);
      if (threadId) refresh(threadId).catch(setRunError);
    }
  }, [error, send, edit, regenerate, decide, threadId, refresh, rebuild]);

  const dismissError = useCallback(() => setDismissed(error), [error]);

  const lastUser = messages.findLastIndex((view) => view.role === "user");
  const lastView = messages[messages.length - 1];
  // A pause ends its run (`success` here; some runtimes say `interrupted`): waiting wins over stopped.
  const stoppedMessageId =
    stopped && !streaming && !paused && lastView?.role === "assistant" && messages.length - 1 > lastUser
      ? lastView.id
      : null;

  const status: ChatStatus = visibleError !== undefined
    ? "error"
    : streaming ? "streaming"
    : initialThreadId !== null && index === null ? "loading"
    : paused ? "paused"
    : stopped ? "stopped" : "idle";

  // Fixed identities, so memoised messages and the composer do not re-render on every token.
  return {
    messages,
    status,
    streaming,
    error: visibleError === undefined ? null : describeError(visibleError, connection.apiUrl),
    stoppedMessageId,
    versions,
    regenerableId,
    editable,
    paused,
    approvals,
    send: useStableCallback(send),
    decide: useStableCallback(decide),
    edit: useStableCallback(edit),
    regenerate: useStableCallback(regenerate),
    showVersion: useStableCallback(showVersion),
    stop: useStableCallback(stop),
    retry: useStableCallback(retry),
    dismissError: useStableCallback(dismissError),
  };
}
