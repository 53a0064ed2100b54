import { useCallback, useLayoutEffect, useRef } from "react";

/**
 * A function with a fixed identity that always runs the latest `fn`: memoised messages keep
 * their action callbacks without re-rendering whenever the conversation changes.
 */
export function useStableCallback<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
): (...args: Args) => Result {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: Args) => latest.current(...args), []);
}
