/**
 * One conversation: the stream hook at the top, typed view state in the middle, rendering below.
 * Mounted once per thread (App changes its key on "New chat" or a thread switch).
 */
import { useChannel, useStream, type AgentServerAdapter, type UseStreamOptions } from "@langchain/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ServerApi } from "../api";
import { ErrorBanner } from "../components/ErrorBanner";
import { Composer } from "../components/Composer";
import { MessageList } from "../components/MessageList";
import { StatusLine, type ChatStatus } from "../components/StatusLine";
import { describeError } from "./errors";
import { foldProgress } from "./progress";
import { slicedFetch } from "./slicedFetch";
import { useStableViews } from "./useStableViews";
import { useThrottled } from "./useThrottled";
import { buildMessages } from "./viewModel";

export type Connection =
  | { apiUrl: string; apiKey?: string }
  | { transport: AgentServerAdapter; apiUrl: string };

export interface ChatProps {
  connection: Connection;
  assistantId: string;
  runContext: Record<string, unknown>;
  initialThreadId: string | null;
  api: ServerApi;
  onThreadId: (threadId: string) => void;
  onRunFinished: () => void;
  onReload: () => void;
}

const CHANNELS = ["tools", "custom:progress"] as const;
const CALLER_OPTIONS = { maxRetries: 1 };
const RENDER_EVERY_MS = 50;

export function Chat(props: ChatProps) {
  const { connection, assistantId, runContext, api, onRunFinished } = props;
  // Fixed for this mount: the id the hook creates for a new chat must not re-bind it mid-run.
  const [initialThreadId] = useState(props.initialThreadId);
  const runId = useRef<string | null>(null);
  const common = {
    threadId: initialThreadId,
    onThreadId: props.onThreadId,
    onCreated: (run: { runId: string }) => {
      runId.current = run.runId;
    },
    onCompleted: onRunFinished,
  };
  const options: UseStreamOptions =
    "transport" in connection
      ? { ...common, transport: connection.transport }
      : {
          ...common,
          assistantId,
          apiUrl: connection.apiUrl,
          apiKey: connection.apiKey,
          callerOptions: CALLER_OPTIONS,
          fetch: slicedFetch,
        };
  const stream = useStream(options);
  const events = useChannel(stream, CHANNELS, undefined, { bufferSize: 2000 });

  const [stopped, setStopped] = useState(false);
  const [localError, setLocalError] = useState<unknown>(undefined);
  const [dismissed, setDismissed] = useState<unknown>(undefined);
  const [lastSent, setLastSent] = useState<string | null>(null);
  // Stop takes effect on screen at once, without waiting for the cancel round trip.
  const streaming = stream.isLoading && !stopped;

  // Batch token updates: a render (and Markdown parse) per 50 ms at most, not per token.
  const shownMessages = useThrottled(stream.messages, RENDER_EVERY_MS);
  const shownEvents = useThrottled(events, RENDER_EVERY_MS);
  const progress = useMemo(() => foldProgress(shownEvents), [shownEvents]);
  const views = useStableViews(
    useMemo(
      () => buildMessages(shownMessages, progress, streaming),
      [shownMessages, progress, streaming],
    ),
  );

  // A reopened thread whose newest run was stopped says so.
  useEffect(() => {
    if (!initialThreadId) return;
    api.lastRunStatus(initialThreadId).then(
      (status) => status === "interrupted" && setStopped(true),
      () => undefined, // an unreachable server is reported by the hook's own hydration error
    );
  }, [api, initialThreadId]);

  const error = localError ?? stream.error;
  const visibleError = error !== undefined && error !== dismissed ? error : undefined;

  const sends = useRef(0);
  const send = useCallback(
    (text: string) => {
      setStopped(false);
      setLocalError(undefined);
      setLastSent(text);
      runId.current = null;
      const attempt = ++sends.current;
      stream
        .submit(
          { messages: [{ type: "human", content: text }] },
          { config: { configurable: runContext }, multitaskStrategy: "reject" },
        )
        .then(async () => {
          // Ask the server how the run ended: @langchain/react 1.1.0 can match a submit to an
          // earlier run's replayed end event (first send after loading a thread with runs) and
          // then never reports the new run's failure.
          const threadId = stream.threadId;
          if (!threadId || !runId.current) return;
          const failure = await api.runError(threadId, runId.current).catch(() => null);
          if (failure && attempt === sends.current) setLocalError(new Error(failure));
        })
        .catch(setLocalError);
    },
    [stream, runContext, api],
  );

  const stop = useCallback(async () => {
    setStopped(true);
    const threadId = stream.threadId;
    // stop() cancels a run the hook started; after a reload it re-attached to a run it did not
    // start and only disconnects, so also cancel whatever still runs on this thread.
    await Promise.all([
      stream.stop(),
      threadId ? api.cancelActiveRuns(threadId).catch(setLocalError) : undefined,
    ]);
    onRunFinished();
  }, [stream, api, onRunFinished]);

  const retry = () => {
    setDismissed(error);
    setLocalError(undefined);
    if (lastSent !== null) send(lastSent);
    else props.onReload();
  };

  const lastUser = views.findLastIndex((view) => view.role === "user");
  const lastView = views[views.length - 1];
  const stoppedMessageId =
    stopped && lastView?.role === "assistant" && views.length - 1 > lastUser ? lastView.id : null;

  const status: ChatStatus = visibleError !== undefined
    ? "error"
    : streaming ? "streaming"
    : stream.isThreadLoading ? "loading"
    : stopped ? "stopped" : "idle";

  return (
    <div className="chat">
      {visibleError !== undefined && (
        <ErrorBanner
          message={describeError(visibleError, connection.apiUrl)}
          onRetry={retry}
          onDismiss={() => setDismissed(error)}
        />
      )}
      <MessageList messages={views} streaming={streaming} stoppedMessageId={stoppedMessageId} />
      <StatusLine status={status} />
      <Composer streaming={streaming} onSend={send} onStop={() => void stop()} />
    </div>
  );
}
