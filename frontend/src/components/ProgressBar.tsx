import type { ToolProgress } from "../chat/progress";
import type { ToolStatus } from "../chat/viewModel";

/** A call that will make no more progress (stopped, failed) shows where it ended, not as active. */
const ENDED_SHORT: ReadonlySet<ToolStatus> = new Set(["cancelled", "error", "declined"]);

interface Props {
  progress: ToolProgress;
  label: string;
  status?: ToolStatus;
}

export function ProgressBar({ progress, label, status = "running" }: Props) {
  const text = progress.message ?? progress.phase;
  const state = ENDED_SHORT.has(status) ? "ended" : status === "done" ? "done" : "active";
  return (
    <div className="progress" data-state={state}>
      <div
        className="progress-track"
        role="progressbar"
        data-testid="progress"
        data-state={state}
        aria-label={`${label} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.progress}
        aria-valuetext={`${progress.phase} ${progress.progress}%`}
      >
        <div className="progress-fill" style={{ width: `${progress.progress}%` }} />
      </div>
      <div className="progress-label">
        <span className="phase">{progress.phase}</span> {progress.progress}%
        {text !== progress.phase && <span className="progress-message"> · {text}</span>}
      </div>
    </div>
  );
}
