import type { View } from "../viewUrl";

const VIEWS: { view: View; label: string; title: string }[] = [
  { view: "runs", label: "Runs API", title: "Runs API with threads (useStream)" },
  { view: "direct", label: "Direct SSE", title: "The plain SSE route, one question at a time (EventSource)" },
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
          onClick={() => onChange(item.view)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
