import { useCallback, useLayoutEffect, useRef, useState } from "react";

const NEAR_BOTTOM_PX = 48;

/** Keep the list scrolled to the newest content (whenever any of `content` changes), until the
 * user scrolls up to read; `atBottom` says whether they have, and `jumpToLatest` brings them
 * back (and following again). */
export function useAutoScroll<T extends HTMLElement>(...content: unknown[]) {
  const ref = useRef<T>(null);
  const pinned = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    setAtBottom(pinned.current);
  }, []);

  const jumpToLatest = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    pinned.current = true;
    setAtBottom(true);
    // The button goes away: the conversation keeps the focus.
    el.focus();
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, content);

  return { ref, onScroll, atBottom, jumpToLatest };
}
