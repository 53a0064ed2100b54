/**
 * What the page shows of a conversation, from the stream hook's messages and channel events:
 * both throttled (a render, and a Markdown parse, per 50 ms at most, not per token), folded
 * into progress and finished calls, composed with the stored thread (chatView.ts), timed, and
 * kept stable per message so memoised messages skip what did not change.
 */
import { useMemo, useRef } from "react";
import { chatView, type ChatInputs, type ChatView } from "./chatView";
import { withArrivalTimes } from "./messageTime";
import { foldProgress, NO_PROGRESS, toolResults, type ProgressState, type RawEvent } from "./progress";
import { useStableViews } from "./useStableViews";
import { useThrottled } from "./useThrottled";
import type { MessageLike, MessageView } from "./viewModel";
import type { Version } from "./agentChat";

const RENDER_EVERY_MS = 50;
const NOTHING: ReadonlySet<string> = new Set();

type Inputs = Omit<ChatInputs, "live" | "progress" | "finished"> & {
  /** The stream hook's messages, every token. */
  streamed: readonly MessageLike[];
  /** Shown instead of the streamed messages (a stopped or failed run's last ones). */
  held: readonly MessageLike[] | null;
  events: readonly RawEvent[];
};

export interface ShownView {
  view: ChatView;
  messages: MessageView[];
  versions: ReadonlyMap<string, Version>;
  /** The streamed messages as last shown. */
  live: readonly MessageLike[];
}

export function useShownView({ streamed, held, events, ...inputs }: Inputs): ShownView {
  const live = useThrottled(streamed, RENDER_EVERY_MS);
  const shownEvents = useThrottled(events, RENDER_EVERY_MS);
  const progressRef = useRef<ProgressState>(NO_PROGRESS);
  const progress = useMemo(() => (progressRef.current = foldProgress(shownEvents, progressRef.current)), [shownEvents]);
  const finished = useMemo(() => toolResults(shownEvents), [shownEvents]);
  const { index, head, dropped, running, stopped, letGo, sent, loading, failed } = inputs;
  const view = useMemo(
    () => chatView({ index, head, live: held ?? live, dropped, progress, finished, running, stopped, letGo, sent, loading, failed }),
    [index, head, live, held, dropped, progress, finished, running, stopped, letGo, sent, loading, failed],
  );
  const arrivals = useRef(new Map<string, string>());
  const timed = useMemo(() => withArrivalTimes(view.messages, index?.known ?? NOTHING, arrivals.current), [view.messages, index]);
  const messages = useStableViews(timed);
  const versions = useMemo(
    () => new Map([...view.versions].map(([id, info]) => [id, { index: info.index, count: info.heads.length }])),
    [view.versions],
  );
  return { view, messages, versions, live };
}
