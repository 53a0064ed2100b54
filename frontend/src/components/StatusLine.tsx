export type ChatStatus = "idle" | "loading" | "streaming" | "stopped" | "error";

const TEXT: Record<ChatStatus, string> = {
  idle: "Idle",
  loading: "Loading conversation…",
  streaming: "Streaming…",
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
