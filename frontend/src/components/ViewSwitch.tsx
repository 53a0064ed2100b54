import type { View } from "../viewUrl";

const VIEWS: { view: View; label: string; short: string; title: string }[] = [
  { view: "runs", label: "Runs API", short: "Runs", title: "Runs API with threads (useStream)" },
  { view: "direct", label: "Direct SSE", short: "SSE", title: "The plain SSE route, one question at a time (EventSource)" },
];

/** Which server API the page talks to: the Runs API with threads, or the plain SSE route. */
export function ViewSwitch({ view, onChange }: { view: View; onChange: (view: View) => void }) {
  return (
    <div className="view-switch" role="group" aria-label="Streaming API">
      {VIEWS.map((item) => (
        <button
          key={item.view}
          type="button"
          data-testid={`view-${item.view}`}
          aria-pressed={item.view === view}
          title={item.title}
          aria-label={item.label}
          onClick={() => onChange(item.view)}
        >
          {/* Phones show the short label (styles.css). */}
          <span className="label-long">{item.label}</span>
          <span className="label-short">{item.short}</span>
        </button>
      ))}
    </div>
  );
}
