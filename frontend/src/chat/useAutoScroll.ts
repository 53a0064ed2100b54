import { useCallback, useLayoutEffect, useRef } from "react";

const NEAR_BOTTOM_PX = 48;

/** Keep the list scrolled to the newest content (whenever any of `content` changes), until the
 * user scrolls up to read. */
export function useAutoScroll<T extends HTMLElement>(...content: unknown[]) {
  const ref = useRef<T>(null);
  const pinned = useRef(true);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, content);

  return { ref, onScroll };
}
