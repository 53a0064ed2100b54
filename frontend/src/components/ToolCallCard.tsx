import { memo } from "react";
import type { ToolCallView, ToolStatus } from "../chat/viewModel";
import { ProgressBar } from "./ProgressBar";

const STATUS_LABEL: Record<ToolStatus, string> = {
  running: "running",
  waiting: "waiting for approval",
  done: "done",
  cancelled: "cancelled",
  declined: "declined",
  error: "failed",
};

export const ToolCallCard = memo(function ToolCallCard({ call }: { call: ToolCallView }) {
  return (
    <section
      className={`tool-call tool-${call.status}`}
      data-testid="tool-call"
      data-status={call.status}
      aria-label={`Tool ${call.name}`}
    >
      <header>
        <code className="tool-name">{call.name}</code>
        <span className="tool-status" data-testid="tool-status">
          {STATUS_LABEL[call.status]}
        </span>
      </header>
      <pre className="tool-args">{JSON.stringify(call.args)}</pre>
      {call.progress && <ProgressBar progress={call.progress} label={call.name} />}
      {call.result !== undefined && (
        <div className="tool-result" data-testid="tool-result">
          {call.result}
        </div>
      )}
    </section>
  );
});
