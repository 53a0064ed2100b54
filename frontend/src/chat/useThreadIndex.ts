/**
 * The stored thread, read as little as possible (docs/web-app.md, "What the page reads").
 *
 * A thread opens from its state (one checkpoint). Older checkpoints are read in small pages,
 * newest first, only when something needs them: the fork point of a question being edited or
 * an answer being regenerated (on click), and the versions of messages the thread's runs say
 * were forked (`forkPoints`, from the run list). After a run, the state is read once and
 * merged; the history is never read again.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { ServerApi } from "../api";
import { indexHistory, mergeCheckpoints, type Checkpoint, type ThreadIndex } from "./branches";
import { addRange, nextPageBefore, pageRange, type Range } from "./coverage";

/** Checkpoints per history page: a turn writes three to five. */
export const PAGE_SIZE = 8;
/** Pages read at most to find one fork point: older edits are not offered. */
export const MAX_PAGES = 25;

export interface ThreadReads {
  /** Null until the thread's state has been read (or for a new conversation, never needed). */
  index: ThreadIndex | null;
  error: unknown;
  /** Read the state again (after a run) and merge it in. */
  refresh: (threadId: string) => Promise<void>;
  /** The checkpoint before the one that first held `messageId`, reading older pages if needed. */
  forkPoint: (messageId: string) => Promise<string | undefined>;
}

interface Loaded {
  threadId: string;
  checkpoints: readonly Checkpoint[];
  /** The stretches of history read so far (coverage.ts). */
  ranges: readonly Range[];
}

const complete = (loaded: Loaded | null) => loaded === null || nextPageBefore(loaded.ranges) === null;

export function useThreadIndex(api: ServerApi, openedThreadId: string | null): ThreadReads {
  const [index, setIndex] = useState<ThreadIndex | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const loaded = useRef<Loaded | null>(null);
  // One page read at a time: concurrent asks wait for the same page.
  const reading = useRef<Promise<void> | null>(null);

  const publish = useCallback((next: Loaded) => {
    loaded.current = next;
    setIndex(indexHistory(next.checkpoints));
  }, []);

  const readOlder = useCallback((): Promise<void> => {
    const current = loaded.current;
    const before = current && nextPageBefore(current.ranges);
    if (!current || !before) return Promise.resolve();
    reading.current ??= (async () => {
      const page = await api.historyPage(current.threadId, { before, limit: PAGE_SIZE });
      const latest = loaded.current ?? current;
      const read = pageRange(before, page.map((checkpoint) => checkpoint.id), page.length >= PAGE_SIZE);
      publish({
        threadId: latest.threadId,
        checkpoints: mergeCheckpoints(latest.checkpoints, page),
        ranges: addRange(latest.ranges, read),
      });
    })().finally(() => {
      reading.current = null;
    });
    return reading.current;
  }, [api, publish]);

  /** Read older pages until `done` holds, the history ends, or `MAX_PAGES` were read. */
  const readUntil = useCallback(
    async (done: () => boolean) => {
      for (let pages = 0; !done() && !complete(loaded.current) && pages < MAX_PAGES; pages++) {
        await readOlder();
      }
    },
    [readOlder],
  );

  const refresh = useCallback(
    async (threadId: string) => {
      const state = await api.threadState(threadId);
      const previous = loaded.current?.threadId === threadId ? loaded.current : null;
      const ranges = previous?.ranges ?? [];
      publish({
        threadId,
        checkpoints: mergeCheckpoints(previous?.checkpoints ?? [], state ? [state] : []),
        ranges: state ? addRange(ranges, { newest: state.id, oldest: state.id }) : ranges,
      });
      setError(undefined);
    },
    [api, publish],
  );

  useEffect(() => {
    if (!openedThreadId) return;
    let cancelled = false;
    // The state first: the page shows it at once. Then, only if the thread's runs forked it,
    // the pages back to the oldest fork point, so its versions can be shown.
    void refresh(openedThreadId).then(
      async () => {
        const forks = await api.forkPoints(openedThreadId).catch(() => []);
        if (cancelled || forks.length === 0) return;
        const has = (id: string) => loaded.current?.checkpoints.some((checkpoint) => checkpoint.id === id) ?? false;
        await readUntil(() => forks.every(has));
      },
      (failure: unknown) => !cancelled && setError(failure),
    ).catch((failure: unknown) => !cancelled && setError(failure));
    return () => {
      cancelled = true;
    };
  }, [openedThreadId, api, refresh, readUntil]);

  const forkPoint = useCallback(
    async (messageId: string) => {
      const found = () => loaded.current !== null && indexHistory(loaded.current.checkpoints).before.has(messageId);
      await readUntil(found);
      return loaded.current ? indexHistory(loaded.current.checkpoints).before.get(messageId) : undefined;
    },
    [readUntil],
  );

  return { index, error, refresh, forkPoint };
}
