/**
 * How a run ended, read from the thread's event stream: Send is enabled on the run's own end
 * event, before any read.
 *
 * langgraph-api 0.16.7 names a run's lifecycle and input events after the run
 * (`synth:<run id>:lc||<status>`, `synth:<run id>:input||<interrupt id>`): that tells a run's
 * end from an earlier run's replayed end. A run that asked for input (a pause for approval)
 * ends `interrupted` too, and is paused, not stopped. Pure, so these rules are unit-tested.
 */
import type { RawEvent } from "./progress";

export type RunEnd = "completed" | "failed" | "interrupted" | "paused";

const ENDS = new Set(["completed", "failed", "interrupted"]);

const isRoot = (event: RawEvent) => (event.params.namespace?.length ?? 0) === 0;

/** The end of run `runId` among `events`, or null while it has none there. */
export function runOutcome(events: readonly RawEvent[], runId: string): RunEnd | null {
  const prefix = `synth:${runId}:`;
  let end: RunEnd | null = null;
  let asked = false;
  for (const event of events) {
    if (!event.event_id?.startsWith(prefix) || !isRoot(event)) continue;
    if (event.method === "input.requested") asked = true;
    const data = event.params.data as { event?: unknown } | undefined;
    if (event.method === "lifecycle" && typeof data?.event === "string" && ENDS.has(data.event)) {
      end = data.event as RunEnd;
    }
  }
  return end === "interrupted" && asked ? "paused" : end;
}

/** A run's end from its status on the server (`runs.get`), for runs whose events never came:
 * a pause ends its run `success` here (some runtimes say `interrupted`); the stored state tells. */
export function endOfStatus(status: string | null): RunEnd | null {
  switch (status) {
    case "success":
      return "completed";
    case "interrupted":
      return "interrupted";
    case "error":
    case "timeout":
      return "failed";
    default:
      return null;
  }
}
