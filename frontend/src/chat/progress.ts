/**
 * Tool progress from the stream's raw events.
 *
 * Tools write a `ProgressEvent` (src/generated/events.ts, from contract/events.py) on the custom
 * stream; the `tools` channel says which call of a tool started. A progress event belongs to
 * the call named by its `tool_call_id` if it has one, else to the latest started call of its tool.
 * Its fields keep their wire names all the way to the progress bar.
 */
import type { ProgressEvent } from "../generated/events";
import type { MessageLike } from "./viewModel";

/** A tool's progress without its routing tag (`name` on the custom stream, `type` on the direct
 * routes): what a tool card shows. */
export type ToolProgress = Omit<ProgressEvent, "name">;

export interface ProgressState {
  byCallId: ReadonlyMap<string, ToolProgress>;
  /** Progress that could not be tied to a call id (e.g. after re-attaching mid-tool). */
  byToolName: ReadonlyMap<string, ToolProgress>;
}

/** The parts of a protocol event this module reads. */
export interface RawEvent {
  method: string;
  event_id?: string;
  params: { data?: unknown; namespace?: readonly string[] };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The progress fields of a wire event, checked; `progress` is kept within 0-100. */
export function parseToolProgress(body: unknown): ToolProgress | null {
  if (!isRecord(body) || typeof body.tool !== "string" || typeof body.progress !== "number") return null;
  return {
    tool: body.tool,
    phase: typeof body.phase === "string" ? body.phase : "",
    progress: Math.max(0, Math.min(100, Math.round(body.progress))),
    ...(typeof body.message === "string" ? { message: body.message } : {}),
    ...(typeof body.tool_call_id === "string" ? { tool_call_id: body.tool_call_id } : {}),
  };
}

/** A progress event from the custom stream (the protocol may wrap it as `{payload}`), or null. */
export function parseProgress(data: unknown): ProgressEvent | null {
  const body = isRecord(data) && isRecord(data.payload) ? data.payload : data;
  if (!isRecord(body) || (body.name !== undefined && body.name !== "progress")) return null;
  const progress = parseToolProgress(body);
  return progress && { name: "progress", ...progress };
}

export const NO_PROGRESS: ProgressState = { byCallId: new Map(), byToolName: new Map() };

/**
 * Fold events into `previous`: what a call showed stays when its events are no longer in the
 * buffer (a new subscription after a re-attach starts empty and replays).
 */
export function foldProgress(events: readonly RawEvent[], previous: ProgressState = NO_PROGRESS): ProgressState {
  const byCallId = new Map(previous.byCallId);
  const byToolName = new Map(previous.byToolName);
  const latestCall = new Map<string, string>();
  for (const event of events) {
    const data = event.params.data;
    if (event.method === "tools" && isRecord(data) && data.event === "tool-started") {
      if (typeof data.tool_name === "string" && typeof data.tool_call_id === "string") {
        latestCall.set(data.tool_name, data.tool_call_id);
      }
      continue;
    }
    if (event.method !== "custom") continue;
    const parsed = parseProgress(data);
    if (!parsed) continue;
    const { name: _name, ...progress } = parsed;
    const callId = progress.tool_call_id ?? latestCall.get(progress.tool);
    if (callId) byCallId.set(callId, progress);
    else byToolName.set(progress.tool, progress);
  }
  return { byCallId, byToolName };
}

/** The newest run-level lifecycle event (`running`, `completed`, ...) among `events`. */
export function lastLifecycle(events: readonly RawEvent[]): RawEvent | undefined {
  return events.findLast(
    (event) => event.method === "lifecycle" && (event.params.namespace?.length ?? 0) === 0,
  );
}

/**
 * The results of calls that finished, from the `tools` channel, as tool messages: the page does
 * not subscribe to the full state during a run (threadEvents.ts), so these are the results
 * until the stored state is read at the run's end.
 */
export function toolResults(events: readonly RawEvent[]): ReadonlyMap<string, MessageLike> {
  const results = new Map<string, MessageLike>();
  for (const event of events) {
    const data = event.params.data;
    if (event.method !== "tools" || !isRecord(data) || typeof data.tool_call_id !== "string") continue;
    const id = data.tool_call_id;
    if (data.event === "tool-finished") {
      const output = isRecord(data.output) ? data.output : { content: data.output };
      const status = output.status === "error" ? "error" : "success";
      results.set(id, { type: "tool", id: `${id}-result`, tool_call_id: id, content: output.content, status, artifact: output.artifact });
    } else if (data.event === "tool-error") {
      results.set(id, { type: "tool", id: `${id}-result`, tool_call_id: id, content: String(data.message ?? ""), status: "error" });
    }
  }
  return results;
}
