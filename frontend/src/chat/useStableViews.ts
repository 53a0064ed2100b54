import { useRef } from "react";
import type { MessageView } from "./viewModel";

const sameAttachments = (a: MessageView, b: MessageView) =>
  a.attachments.length === b.attachments.length &&
  a.attachments.every((one, index) => one.name === b.attachments[index]?.name && one.src === b.attachments[index]?.src);

const sameView = (a: MessageView, b: MessageView) =>
  a.role === b.role && a.text === b.text && a.time === b.time && sameAttachments(a, b) &&
  JSON.stringify(a.toolCalls) === JSON.stringify(b.toolCalls);

/**
 * Reuse the previous object for every message whose content did not change, so memoised
 * components skip it: a new token re-renders only the message it belongs to. The list itself
 * keeps its identity while nothing in it changed (the hook renders on every token, the views
 * only every 50 ms), so the message list skips those renders too.
 */
export function useStableViews(views: MessageView[]): MessageView[] {
  const previous = useRef(new Map<string, MessageView>());
  const last = useRef<{ input: MessageView[]; output: MessageView[] } | null>(null);
  if (last.current?.input === views) return last.current.output;
  const next = new Map<string, MessageView>();
  const stable = views.map((view) => {
    const old = previous.current.get(view.id);
    const kept = old && sameView(old, view) ? old : view;
    next.set(view.id, kept);
    return kept;
  });
  previous.current = next;
  const before = last.current?.output;
  const unchanged = before !== undefined && before.length === stable.length && stable.every((view, index) => view === before[index]);
  const output = unchanged ? before : stable;
  last.current = { input: views, output };
  return output;
}
