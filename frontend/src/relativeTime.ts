/**
 * When a thread was last updated, as a person says it: "just now", "5 minutes ago", "3 hours
 * ago", "yesterday", "4 days ago", then the date (past a week a count of days stops helping).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const date = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric" });
const exact = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** Whole calendar days from `then` to `now`, in the local time zone. */
function daysBetween(then: Date, now: Date): number {
  const midnight = (day: Date) => new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  return Math.round((midnight(now) - midnight(then)) / DAY);
}

export function relativeTime(then: Date, now: Date): string {
  const elapsed = now.getTime() - then.getTime();
  if (elapsed < MINUTE) return "just now"; // also a clock a little ahead of the server's
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), "minute");
  const days = daysBetween(then, now);
  if (days === 0) return relative.format(-Math.floor(elapsed / HOUR), "hour");
  if (elapsed < WEEK) return relative.format(-days, "day");
  return date.format(then);
}

/** The exact time, for a tooltip. */
export function exactTime(then: Date): string {
  return exact.format(then);
}
