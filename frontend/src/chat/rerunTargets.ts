/**
 * What can be re-run between runs (a paused thread takes only its decision): every stored
 * question (Edit), and the last answer when it is stored (Regenerate re-runs from the
 * checkpoint before the first reply to the last question). Pure, so these rules are tested.
 */
import type { MessageLike, MessageView } from "./viewModel";

export interface RerunTargets {
  editable: ReadonlySet<string>;
  /** The stored reply Regenerate re-runs from, and the view that offers it. */
  replyId: string | undefined;
  regenerableId: string | null;
}

export function rerunTargets(
  composed: readonly MessageLike[],
  known: ReadonlySet<string>,
  views: readonly MessageView[],
  idle: boolean,
): RerunTargets {
  const lastHuman = composed.findLastIndex((message) => message.type === "human");
  const reply = composed.slice(lastHuman + 1).find((message) => message.type === "ai");
  const replyId = reply?.id && known.has(reply.id) ? reply.id : undefined;
  if (!idle) return { editable: new Set(), replyId, regenerableId: null };
  const editable = new Set(
    composed.flatMap((message) => (message.type === "human" && message.id && known.has(message.id) ? [message.id] : [])),
  );
  const regenerableId = replyId && lastHuman >= 0 ? views.findLast((view) => view.role === "assistant")?.id ?? null : null;
  return { editable, replyId, regenerableId };
}
