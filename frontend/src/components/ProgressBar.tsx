import type { ProgressView } from "../chat/progress";

export function ProgressBar({ progress, label }: { progress: ProgressView; label: string }) {
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
        aria-valuenow={progress.percent}
        aria-valuetext={`${progress.phase} ${progress.percent}%`}
      >
        <div className="progress-fill" style={{ width: `${progress.percent}%` }} />
      </div>
      <div className="progress-label">
        <span className="phase">{progress.phase}</span> {progress.percent}%
        {text !== progress.phase && <span className="progress-message"> · {text}</span>}
      </div>
    </div>
  );
}
