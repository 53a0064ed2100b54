/**
 * Every run the page shows, its own or one started elsewhere (another tab, a reload mid-run), is
 * followed to its end. The end is the run's own lifecycle event (runOutcome.ts): Send is enabled
 * then, before any read. A run whose events do not reach the page (the hook is not streaming
 * it) is asked about with `runs.get` instead, once a second.
 *
 * Workaround, @langchain/react 1.1.0: the hook reattaches after a reload only when the thread's
 * state shows work left (`next`), so a run still queued, or started elsewhere while the page is
 * open, is never streamed. The run is found with `runs.list` (on open, and on each `lifecycle`
 * event) and the hook is rebuilt once the run is running. Delete when the hook joins runs it
 * did not start.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { ServerApi } from "../api";
import { lastLifecycle, type RawEvent } from "./progress";
import { endOfStatus, runOutcome, type RunEnd } from "./runOutcome";

/** `id` is null until the server has accepted the run; `mine`: started by this page. */
export interface FollowedRun {
  id: string | null;
  mine: boolean;
}

export interface RunEnded {
  id: string;
  mine: boolean;
  end: RunEnd;
}

interface Options {
  api: ServerApi;
  threadId: string | null;
  events: readonly RawEvent[];
  /** The hook is streaming (or loading) the thread: the run's events reach the page. */
  streamed: boolean;
  onEnd: (ended: RunEnded) => void;
  /** A run started elsewhere is followed now (`running`), or the newest run was stopped. */
  onFound: (found: "running" | "stopped") => void;
  rebuild: (threadId: string) => void;
}

const STATUS_POLL_MS = 1000;
const ATTACH_TRIES = 3;
const ATTACH_RETRY_MS = 1000;
const ACTIVE = new Set(["pending", "running"]);

export function useRunFollower({ api, threadId, events, streamed, onEnd, onFound, rebuild }: Options) {
  const [run, setRun] = useState<FollowedRun | null>(null);
  const runRef = useRef<FollowedRun | null>(null);
  const follow = useCallback((next: FollowedRun | null) => {
    runRef.current = next;
    setRun(next);
  }, []);
  const finish = useCallback(
    (id: string, end: RunEnd) => {
      const current = runRef.current;
      if (current?.id !== id) return;
      follow(null);
      onEnd({ id, mine: current.mine, end });
    },
    [follow, onEnd],
  );

  const ended = run?.id ? runOutcome(events, run.id) : null;
  useEffect(() => {
    if (run?.id && ended) finish(run.id, ended);
  }, [run?.id, ended, finish]);

  // The runs.get fallback, only while the hook is not streaming the run.
  useEffect(() => {
    if (!run?.id || !threadId || streamed) return;
    const id = run.id;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      const end = endOfStatus(await api.runStatus(threadId, id).catch(() => null));
      if (end) finish(id, end);
      else timer = setTimeout(() => void check(), STATUS_POLL_MS);
    };
    void check();
    return () => clearTimeout(timer);
  }, [run?.id, threadId, streamed, api, finish]);

  // Runs this page did not start: one check at a time; events during a check ask for one more.
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
    if (!current?.mine && newest && ACTIVE.has(newest.status) && current?.id !== newest.id) {
      follow({ id: newest.id, mine: false });
      onFound("running");
    } else if (!current && newest?.status === "interrupted") {
      onFound("stopped");
    }
    const { again } = checking.current;
    checking.current = { busy: false, again: false };
    if (again) void checkRuns();
  }, [threadId, api, follow, onFound]);

  const lifecycle = lastLifecycle(events);
  useEffect(() => {
    void checkRuns();
  }, [lifecycle, streamed, checkRuns]);

  // Stream a run the hook did not join: rebuild it while the run is running (asked again
  // first: the hook also goes quiet when the run has just ended).
  const attachTries = useRef(new Map<string, number>());
  useEffect(() => {
    if (!run?.id || run.mine || streamed || !threadId) return;
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
  }, [run, streamed, threadId, api, rebuild]);

  /** This page starts a run (its id follows, or it failed to start). */
  const begin = useCallback(() => follow({ id: null, mine: true }), [follow]);
  const created = useCallback(
    (id: string) => {
      if (runRef.current?.mine && runRef.current.id === null) follow({ id, mine: true });
    },
    [follow],
  );
  const abandon = useCallback(() => follow(null), [follow]);
  /** Still waiting for the server to accept the run this page started. */
  const starting = () => runRef.current?.mine === true && runRef.current.id === null;
  return { run, begin, created, abandon, starting };
}
