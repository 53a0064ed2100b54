import { memo, type ReactNode } from "react";
import { languageOf } from "../chat/language";
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

interface Props {
  call: ToolCallView;
  /** In place of the arguments: controls that act on them (an approval's review). */
  children?: ReactNode;
}

/** One tool call: its name and status, arguments, progress and result. */
export const ToolCallCard = memo(function ToolCallCard({ call, children }: Props) {
  return (
    <section
      className={`tool-call tool-${call.status}`}
      data-testid="tool-call"
      data-status={call.status}
      aria-label={`Tool ${call.name}`}
      lang={languageOf(`${Object.values(call.args).join(" ")} ${call.result ?? ""}`)}
    >
      <header>
        <code className="tool-name">{call.name}</code>
        <span className="tool-status" data-testid="tool-status">
          {STATUS_LABEL[call.status]}
        </span>
      </header>
      {children ?? <pre className="tool-args">{JSON.stringify(call.args)}</pre>}
      {call.progress && <ProgressBar progress={call.progress} label={call.name} status={call.status} />}
      {call.result !== undefined && (
        <div className="tool-result" data-testid="tool-result">
          {call.result}
        </div>
      )}
    </section>
  );
});
