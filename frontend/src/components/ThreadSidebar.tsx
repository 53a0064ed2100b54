import { useEffect, useRef } from "react";
import { ThreadItem } from "./ThreadItem";
import type { ThreadList } from "./useThreadList";

interface Props {
  list: ThreadList;
  currentThreadId: string | null;
  /** Open as a drawer (narrow screens; on wide ones the list is always shown). */
  open: boolean;
  onClose: () => void;
  onSelect: (threadId: string) => void;
  onNewChat: () => void;
  /** Before the thread is deleted: the page leaves it if it is open, so that its event stream,
   * which opens its thread when it reconnects (server/upstream.py), cannot bring it back. */
  onDeleting: (threadId: string) => void;
}

export function ThreadSidebar(props: Props) {
  const { list, currentThreadId, open, onClose, onSelect, onNewChat, onDeleting } = props;
  const newChat = useRef<HTMLButtonElement>(null);

  // The drawer takes focus when it opens, and Esc closes it (before Esc can stop a run), unless
  // the key cancels a rename or a delete in the list.
  useEffect(() => {
    if (!open) return;
    newChat.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      if (event.target instanceof Element && event.target.closest("[data-keeps-escape]")) return;
      event.preventDefault();
      onClose();
    };
    document.addEventListener("keydown", onKeyDown, { capture: true });
    return () => document.removeEventListener("keydown", onKeyDown, { capture: true });
  }, [open, onClose]);

  const remove = async (threadId: string) => {
    onDeleting(threadId);
    await list.remove(threadId);
  };
  const searching = list.search.trim() !== "";

  return (
    <>
      {open && <div className="backdrop" data-testid="backdrop" onClick={onClose} />}
      <nav id="sidebar" className={`sidebar${open ? " sidebar-open" : ""}`} aria-label="Conversations">
        <button type="button" className="new-chat" data-testid="new-chat" ref={newChat} onClick={onNewChat}>
          New chat
        </button>
        <input
          type="search"
          className="thread-search"
          data-testid="thread-search"
          aria-label="Search conversations by title"
          placeholder="Search conversations"
          maxLength={200}
          value={list.search}
          onChange={(event) => list.setSearch(event.target.value)}
        />
        <h2>{searching ? "Found" : "Recent"}</h2>
        {list.error && (
          <p className="sidebar-error">
            {list.error} <button type="button" onClick={list.refresh}>Retry</button>
          </p>
        )}
        <ul aria-busy={list.loading}>
          {list.threads.map((thread) => (
            <ThreadItem
              key={thread.id}
              thread={thread}
              current={thread.id === currentThreadId}
              now={list.now}
              onSelect={onSelect}
              onRename={list.rename}
              onDelete={remove}
            />
          ))}
        </ul>
        {searching && !list.loading && list.threads.length === 0 && !list.error && (
          <p className="sidebar-empty" data-testid="thread-search-empty">No conversation has that in its title.</p>
        )}
        {list.hasMore && (
          <button
            type="button"
            className="load-more"
            data-testid="load-more-threads"
            disabled={list.loading}
            onClick={list.loadMore}
          >
            {list.loading ? "Loading…" : "Load more"}
          </button>
        )}
      </nav>
    </>
  );
}
