import { lazy, Suspense } from "react";

let loading: Promise<typeof import("./Markdown")> | undefined;

/**
 * Starts loading the Markdown chunk (once). The app calls it as it opens a chat view, beside
 * that view's own chunk: evaluating it takes 50 ms and more of main thread, which belongs to
 * the page's load. Loaded later (when the page went idle), it could land in a first answer sent
 * at once, as one long task.
 */
export const preloadMarkdown = () => (loading ??= import("./Markdown"));

const Markdown = lazy(preloadMarkdown);

/** Plain text until the Markdown chunk has loaded; nothing is hidden while it loads. */
export function LazyMarkdown({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Suspense fallback={<div className="markdown plain">{text}</div>}>
      <Markdown text={text} streaming={streaming} />
    </Suspense>
  );
}
