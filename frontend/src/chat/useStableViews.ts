import { useRef } from "react";
import type { MessageView } from "./viewModel";

const sameView = (a: MessageView, b: MessageView) =>
  a.role === b.role && a.text === b.text &&
  JSON.stringify(a.toolCalls) === JSON.stringify(b.toolCalls);

/**
 * Reuse the previous object for every message whose content did not change, so memoised
 * components skip it: a new token re-renders only the message it belongs to.
 */
export function useStableViews(views: MessageView[]): MessageView[] {
  const previous = useRef(new Map<string, MessageView>());
  const next = new Map<string, MessageView>();
  const stable = views.map((view) => {
    const old = previous.current.get(view.id);
    const kept = old && sameView(old, view) ? old : view;
    next.set(view.id, kept);
    return kept;
  });
  previous.current = next;
  return stable;
}
