/**
 * Tool progress from the stream's raw events.
 *
 * Tools write `{"name": "progress", "tool", "phase", "progress", "message"?}` on the custom
 * stream; the `tools` channel says which call of a tool started. A progress event belongs to
 * the call named by its `tool_call_id` if it has one, else to the latest started call of its tool.
 */

export interface ProgressView {
  phase: string;
  percent: number;
  message?: string;
}

export interface ProgressState {
  byCallId: ReadonlyMap<string, ProgressView>;
  /** Progress that could not be tied to a call id (e.g. after re-attaching mid-tool). */
  byToolName: ReadonlyMap<string, ProgressView>;
}

/** The parts of a protocol event this module reads. */
export interface RawEvent {
  method: string;
  params: { data?: unknown; namespace?: readonly string[] };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export interface ProgressPayload extends ProgressView {
  tool: string;
  toolCallId?: string;
}

export function parseProgress(data: unknown): ProgressPayload | null {
  const body = isRecord(data) && isRecord(data.payload) ? data.payload : data;
  if (!isRecord(body) || typeof body.tool !== "string" || typeof body.progress !== "number") {
    return null;
  }
  if (body.name !== undefined && body.name !== "progress") return null;
  return {
    tool: body.tool,
    toolCallId: typeof body.tool_call_id === "string" ? body.tool_call_id : undefined,
    phase: typeof body.phase === "string" ? body.phase : "",
    percent: Math.max(0, Math.min(100, Math.round(body.progress))),
    message: typeof body.message === "string" ? body.message : undefined,
  };
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
    const progress = parseProgress(data);
    if (!progress) continue;
    const { tool, toolCallId, ...view } = progress;
    const callId = toolCallId ?? latestCall.get(tool);
    if (callId) byCallId.set(callId, view);
    else byToolName.set(tool, view);
  }
  return { byCallId, byToolName };
}

/** The newest run-level lifecycle event (`running`, `completed`, ...) among `events`. */
export function lastLifecycle(events: readonly RawEvent[]): RawEvent | undefined {
  return events.findLast(
    (event) => event.method === "lifecycle" && (event.params.namespace?.length ?? 0) === 0,
  );
}
