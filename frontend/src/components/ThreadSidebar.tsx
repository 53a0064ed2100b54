import { useEffect, useRef } from "react";
import type { ThreadStatus, ThreadSummary } from "../api";
import { languageOf } from "../chat/language";

interface Props {
  threads: ThreadSummary[];
  error: string | null;
  currentThreadId: string | null;
  /** Open as a drawer (narrow screens; on wide ones the list is always shown). */
  open: boolean;
  onClose: () => void;
  onSelect: (threadId: string) => void;
  onNewChat: () => void;
  onRefresh: () => void;
}

const STATUS_TEXT: Record<ThreadStatus, string> = {
  new: "new",
  running: "running",
  waiting: "waiting for approval",
  done: "done",
  stopped: "stopped",
  failed: "failed",
};

export function ThreadSidebar(props: Props) {
  const { threads, error, currentThreadId, open, onClose, onSelect, onNewChat, onRefresh } = props;
  const newChat = useRef<HTMLButtonElement>(null);

  // The drawer takes focus when it opens, and Esc closes it (before Esc can stop a run).
  useEffect(() => {
    if (!open) return;
    newChat.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      onClose();
    };
    document.addEventListener("keydown", onKeyDown, { capture: true });
    return () => document.removeEventListener("keydown", onKeyDown, { capture: true });
  }, [open, onClose]);

  return (
    <>
      {open && <div className="backdrop" data-testid="backdrop" onClick={onClose} />}
      <nav id="sidebar" className={`sidebar${open ? " sidebar-open" : ""}`} aria-label="Conversations">
        <button type="button" className="new-chat" data-testid="new-chat" ref={newChat} onClick={onNewChat}>
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
                data-status={thread.status}
                aria-current={thread.id === currentThreadId ? "page" : undefined}
                onClick={() => onSelect(thread.id)}
              >
                <span className="thread-title" lang={languageOf(thread.title)}>
                  {thread.title}
                </span>
                <span className={`thread-status thread-${thread.status}`}>{STATUS_TEXT[thread.status]}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
