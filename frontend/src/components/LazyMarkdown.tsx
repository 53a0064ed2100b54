import { lazy, Suspense } from "react";

const Markdown = lazy(() => import("./Markdown"));

/** Plain text until the Markdown chunk has loaded; nothing is hidden while it loads. */
export function LazyMarkdown({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Suspense fallback={<div className="markdown plain">{text}</div>}>
      <Markdown text={text} streaming={streaming} />
    </Suspense>
  );
}
