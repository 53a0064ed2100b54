/**
 * The sidebar's threads: pages of the server's list (one request each: titles and statuses
 * come with it), a search the server runs over every thread (debounced), rename and delete.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { ServerApi, ThreadPage, ThreadSummary } from "../api";

export const PAGE_SIZE = 20;
/** The server's largest page: a refresh re-reads at most this many of the threads shown. */
const MAX_PAGE = 100;
export const SEARCH_DELAY_MS = 300;
/** Relative dates ("5 minutes ago") are redrawn this often. */
const CLOCK_MS = 60_000;

export interface ThreadList {
  threads: ThreadSummary[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  /** What the search box holds; the list follows it after `SEARCH_DELAY_MS`. */
  search: string;
  setSearch: (text: string) => void;
  loadMore: () => void;
  /** Read the threads shown again (after a run). */
  refresh: () => void;
  /** A conversation this page just started, shown at once: see `startedThread`. */
  started: (threadId: string, question: string) => void;
  /** Rejects with the server's reason (an empty or oversized title is refused). */
  rename: (threadId: string, title: string) => Promise<void>;
  remove: (threadId: string) => Promise<void>;
  now: Date;
}

const byId = (threads: readonly ThreadSummary[]) => new Set(threads.map((thread) => thread.id));

/** `page` read from offset 0 in place of as many threads of `shown`; the older rest stays. */
export function mergeRefreshed(shown: ThreadPage, page: ThreadPage, limit: number): ThreadPage {
  const fresh = byId(page.threads);
  const rest = shown.threads.slice(limit).filter((thread) => !fresh.has(thread.id));
  return { threads: [...page.threads, ...rest], hasMore: rest.length > 0 ? shown.hasMore : page.hasMore };
}

/** `page`, read at the end of `shown`, appended; a thread updated meanwhile moved up, so is shown once. */
export function appendPage(shown: ThreadPage, page: ThreadPage): ThreadPage {
  const known = byId(shown.threads);
  return { threads: [...shown.threads, ...page.threads.filter((thread) => !known.has(thread.id))], hasMore: page.hasMore };
}

/**
 * `shown` with a thread the page just started at the top, running, named by its question
 * (the server's title, from the same question, replaces it when the run's end reads the list).
 * Not read from the server: on a 2-core machine that request competes with the ones starting the
 * run and its streams, and the list gains nothing from it before the run ends.
 */
export function startedThread(shown: ThreadPage, threadId: string, question: string): ThreadPage {
  if (shown.threads.some((thread) => thread.id === threadId)) return shown;
  const title = question.replace(/\s+/g, " ").trim() || "New conversation";
  const thread: ThreadSummary = { id: threadId, title, renamed: false, status: "running", updatedAt: new Date().toISOString() };
  return { ...shown, threads: [thread, ...shown.threads] };
}

const EMPTY: ThreadPage = { threads: [], hasMore: false };
/** The server's `detail` from the SDK's "HTTP 422: {json}" message, else the message. */
export function serverReason(failure: unknown): string {
  const message = failure instanceof Error ? failure.message : String(failure);
  const body = /^HTTP \d+: (\{.*\})$/s.exec(message)?.[1];
  try {
    const detail = body ? (JSON.parse(body) as { detail?: unknown }).detail : undefined;
    return typeof detail === "string" ? detail : message;
  } catch {
    return message;
  }
}

export function useThreadList(api: ServerApi, enabled: boolean): ThreadList {
  const [list, setList] = useState<ThreadPage>(EMPTY);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [applied, setApplied] = useState("");
  const [now, setNow] = useState(() => new Date());
  const shown = useRef<ThreadPage>(EMPTY);
  // Answers to an older search, or read before a newer refresh, are dropped.
  const generation = useRef(0);

  const publish = useCallback((next: ThreadPage) => {
    shown.current = next;
    setList(next);
    setError(null);
    setNow(new Date());
  }, []);

  const read = useCallback(
    (offset: number, limit: number, apply: (page: ThreadPage) => ThreadPage) => {
      const mine = ++generation.current;
      setLoading(true);
      api.listThreads({ search: applied, offset, limit }).then(
        (page) => mine === generation.current && publish(apply(page)),
        () => mine === generation.current && setError("Could not load conversations."),
      ).finally(() => mine === generation.current && setLoading(false));
    },
    [api, applied, publish],
  );

  const refresh = useCallback(() => {
    const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, shown.current.threads.length));
    read(0, limit, (page) => mergeRefreshed(shown.current, page, limit));
  }, [read]);

  const started = useCallback(
    (threadId: string, question: string) => {
      // A search shows what matches it; the new thread waits for the list's next read.
      if (!applied) publish(startedThread(shown.current, threadId, question));
    },
    [applied, publish],
  );

  const loadMore = useCallback(() => {
    read(shown.current.threads.length, PAGE_SIZE, (page) => appendPage(shown.current, page));
  }, [read]);

  useEffect(() => {
    const timer = setTimeout(() => setApplied(search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  // A new search starts from its first page.
  useEffect(() => {
    if (!enabled) return;
    shown.current = EMPTY;
    read(0, PAGE_SIZE, (page) => page);
  }, [enabled, read]);

  useEffect(() => {
    if (!enabled) return;
    const clock = setInterval(() => setNow(new Date()), CLOCK_MS);
    return () => clearInterval(clock);
  }, [enabled]);

  const rename = useCallback(
    async (threadId: string, title: string) => {
      try {
        await api.renameThread(threadId, title);
      } catch (failure) {
        throw new Error(serverReason(failure));
      }
      refresh();
    },
    [api, refresh],
  );

  const remove = useCallback(
    async (threadId: string) => {
      await api.deleteThread(threadId);
      const current = shown.current;
      publish({ ...current, threads: current.threads.filter((thread) => thread.id !== threadId) });
    },
    [api, publish],
  );

  return { ...list, loading, error, search, setSearch, loadMore, refresh, started, rename, remove, now };
}
