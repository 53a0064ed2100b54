/**
 * When a message was sent. The server stamps each stored message (`additional_kwargs.sent_at`,
 * agent/times.py); a message still streaming has no stamp yet, so it shows when the page first
 * saw it, until the stored one is read at the run's end.
 */
import type { MessageView } from "./viewModel";

/** The server's stamp on a message, if it is a time. */
export function sentAt(additional: unknown): string | undefined {
  if (additional === null || typeof additional !== "object") return undefined;
  const stamp = (additional as Record<string, unknown>).sent_at;
  return typeof stamp === "string" && !Number.isNaN(Date.parse(stamp)) ? stamp : undefined;
}

/**
 * `views` with a time for each unstored message that has none: the first time `seen` (kept by
 * the caller across renders) met its id. Stored messages without a stamp (written before
 * stamps existed) show none rather than a wrong one.
 */
export function withArrivalTimes(
  views: MessageView[],
  stored: ReadonlySet<string>,
  seen: Map<string, string>,
  now: () => string = () => new Date().toISOString(),
): MessageView[] {
  let changed = false;
  const timed = views.map((view) => {
    if (view.time !== undefined || stored.has(view.id)) return view;
    let time = seen.get(view.id);
    if (time === undefined) seen.set(view.id, (time = now()));
    changed = true;
    return { ...view, time };
  });
  return changed ? timed : views;
}

// Built once: `toLocaleString` builds a formatter per call, and a streaming answer's time is
// rendered with each of its updates.
const SHORT = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" });

/** "14:05", in the reader's locale and time zone. */
export function shortTime(iso: string): string {
  return SHORT.format(new Date(iso));
}

/** The full date and time, for the tooltip. */
export function fullTime(iso: string): string {
  return FULL.format(new Date(iso));
}
