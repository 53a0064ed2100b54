/** `paused`: the thread waits for a decision on a tool call (docs/approval.md). */
export type ChatStatus = "idle" | "loading" | "streaming" | "paused" | "stopped" | "error";

const TEXT: Record<ChatStatus, string> = {
  idle: "Idle",
  loading: "Loading conversation…",
  streaming: "Streaming…",
  paused: "Waiting for your approval",
  stopped: "Stopped",
  error: "Error",
};

export function StatusLine({ status }: { status: ChatStatus }) {
  return (
    <p className={`status status-${status}`} data-testid="status" data-status={status} role="status">
      {TEXT[status]}
    </p>
  );
}
