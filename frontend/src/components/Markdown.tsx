import { Streamdown } from "streamdown";

/** Code blocks get Streamdown's copy button; no download, table or diagram controls. */
const CONTROLS = { code: { copy: true, download: false }, table: false, mermaid: false, image: false } as const;

/**
 * Assistant text as Markdown. Streamdown tolerates half-written fences and lists and re-renders
 * only the blocks that changed. Loaded lazily (see LazyMarkdown) to keep the first load small.
 */
export default function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Streamdown className="markdown" parseIncompleteMarkdown isAnimating={streaming} controls={CONTROLS}>
      {text}
    </Streamdown>
  );
}
