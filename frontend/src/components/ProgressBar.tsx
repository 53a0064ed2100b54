import type { ToolProgress } from "../chat/progress";

export function ProgressBar({ progress, label }: { progress: ToolProgress; label: string }) {
  const text = progress.message ?? progress.phase;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        data-testid="progress"
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
