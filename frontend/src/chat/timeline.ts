/**
 * What the main view shows: the stored thread, plus what the current run adds.
 *
 * The stream hook's own message list is right for a run on a fresh thread, but not in general:
 * when it subscribes to a thread it replays the thread's earlier runs, and a re-run from an
 * older checkpoint (edit, regenerate) arrives with lower step numbers than the state it loaded,
 * so for a while it holds messages of other versions. The stored thread (read again whenever a
 * run ends) is the truth; from the hook only messages no checkpoint holds yet are taken, which
 * are the ones the current run is writing (and an unsaved partial answer after a stop).
 */
import type { MessageLike } from "./viewModel";

export function composeMessages(
  stored: readonly MessageLike[],
  known: ReadonlySet<string>,
  live: readonly MessageLike[],
  /** Messages the page has let go of (an unsaved partial answer, once the next run starts). */
  dropped: ReadonlySet<string> = new Set(),
): MessageLike[] {
  const storedIds = new Set(stored.map((message) => message.id));
  const added = live.filter(
    (message) => message.id !== undefined && !known.has(message.id) && !storedIds.has(message.id) &&
      !dropped.has(message.id),
  );
  return added.length > 0 ? [...stored, ...added] : [...stored];
}
