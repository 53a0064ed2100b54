import type { ThreadSummary } from "../api";

interface Props {
  threads: ThreadSummary[];
  error: string | null;
  currentThreadId: string | null;
  onSelect: (threadId: string) => void;
  onNewChat: () => void;
  onRefresh: () => void;
}

export function ThreadSidebar({ threads, error, currentThreadId, onSelect, onNewChat, onRefresh }: Props) {
  return (
    <nav className="sidebar" aria-label="Conversations">
      <button type="button" className="new-chat" data-testid="new-chat" onClick={onNewChat}>
        New chat
      </button>
      <h2>Recent</h2>
      {error && (
        <p className="sidebar-error">
          {error} <button type="button" onClick={onRefresh}>Retry</button>
        </p>
      )}
      <ul>
        {threads.map((thread) => (
          <li key={thread.id}>
            <button
              type="button"
              data-testid="thread-item"
              aria-current={thread.id === currentThreadId ? "page" : undefined}
              onClick={() => onSelect(thread.id)}
            >
              <span className="thread-title">{thread.title}</span>
              <span className="thread-status">{thread.status}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
