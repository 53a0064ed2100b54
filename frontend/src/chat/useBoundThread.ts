/**
 * The stream hook's client and the thread it is given.
 *
 * Workaround, @langchain/react 1.1.0: it builds its stream controller during render, and a
 * controller built with a thread id opens two event streams at once. React may throw such a
 * render away, and nothing closes those streams (HTTP/1.1 allows six connections per server).
 * So the hook gets its thread only after it has mounted, and again after a rebuild (a new client
 * makes it build a new controller, which joins a run in progress). Delete when the hook creates
 * its controller in an effect.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { streamClient } from "./streamClient";

export function useBoundThread(apiUrl: string, apiKey: string | undefined, initialThreadId: string | null) {
  const [generation, setGeneration] = useState(0);
  const client = useMemo(() => streamClient(apiUrl, apiKey), [apiUrl, apiKey, generation]);
  const [boundThreadId, setBoundThreadId] = useState<string | null>(null);
  const bindNext = useRef<string | null>(initialThreadId);
  useEffect(() => {
    if (bindNext.current === null) return;
    setBoundThreadId(bindNext.current);
    bindNext.current = null;
  }, [generation]);
  /** A new client and controller, given `threadToBind` once mounted. */
  const rebuild = useCallback((threadToBind: string | null) => {
    bindNext.current = threadToBind;
    setBoundThreadId(null);
    setGeneration((value) => value + 1);
  }, []);
  /** The thread the hook is about to get (just mounted, or rebuilt). */
  const pendingThreadId = () => bindNext.current;
  return { client, boundThreadId, pendingThreadId, rebuild };
}
