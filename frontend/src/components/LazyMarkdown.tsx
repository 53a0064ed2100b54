import { lazy, Suspense, useEffect } from "react";

let loading: Promise<typeof import("./Markdown")> | undefined;
const load = () => (loading ??= import("./Markdown"));
const Markdown = lazy(load);

/**
 * Loads the Markdown chunk once the page is idle. Evaluating it takes about 50 ms of main
 * thread, which belongs before the first answer rather than in its first frames.
 */
export function usePreloadMarkdown(): void {
  useEffect(() => {
    if (!("requestIdleCallback" in window)) {
      const timer = setTimeout(() => void load(), 500);
      return () => clearTimeout(timer);
    }
    const handle = requestIdleCallback(() => void load());
    return () => cancelIdleCallback(handle);
  }, []);
}

/** Plain text until the Markdown chunk has loaded; nothing is hidden while it loads. */
export function LazyMarkdown({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Suspense fallback={<div className="markdown plain">{text}</div>}>
      <Markdown text={text} streaming={streaming} />
    </Suspense>
  );
}
