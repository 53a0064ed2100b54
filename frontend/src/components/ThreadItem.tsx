import { useState, type KeyboardEvent } from "react";
import type { ThreadStatus, ThreadSummary } from "../api";
import { languageOf } from "../chat/language";
import { exactTime, relativeTime } from "../relativeTime";

interface Props {
  thread: ThreadSummary;
  current: boolean;
  now: Date;
  onSelect: (threadId: string) => void;
  /** Rejects with the reason the server refused the title. */
  onRename: (threadId: string, title: string) => Promise<void>;
  onDelete: (threadId: string) => Promise<void>;
}

const STATUS_TEXT: Record<ThreadStatus, string> = {
  new: "new",
  running: "running",
  waiting: "waiting for approval",
  done: "done",
  stopped: "stopped",
  failed: "failed",
};

type Mode = "view" | "rename" | "confirm-delete";

/** Esc in the title box or the confirmation cancels there: it neither closes the drawer nor
 * stops a run (the sidebar's and the chat's Esc skip a key already used). */
const KEEPS_ESCAPE = { "data-keeps-escape": "" };

export function ThreadItem({ thread, current, now, onSelect, onRename, onDelete }: Props) {
  const [mode, setMode] = useState<Mode>("view");
  const [draft, setDraft] = useState(thread.title);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const updated = new Date(thread.updatedAt);

  const startRename = () => {
    setDraft(thread.title);
    setProblem(null);
    setMode("rename");
  };
  const cancel = () => {
    setProblem(null);
    setMode("view");
  };
  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
      setMode("view");
      setProblem(null);
    } catch (failure) {
      setProblem(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const escapes = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return false;
    event.preventDefault();
    event.stopPropagation();
    cancel();
    return true;
  };
  const onTitleKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (escapes(event) || event.key !== "Enter" || event.nativeEvent.isComposing) return;
    event.preventDefault();
    const title = draft.trim();
    if (title === thread.title) cancel();
    else void act(() => onRename(thread.id, title));
  };

  if (mode === "rename") {
    return (
      <li className="thread-row thread-editing" {...KEEPS_ESCAPE}>
        <input
          data-testid="thread-title-input"
          aria-label="Conversation title"
          value={draft}
          autoFocus
          disabled={busy}
          maxLength={200}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onTitleKey}
          onBlur={() => !busy && !problem && cancel()}
        />
        {problem && <p className="thread-problem" role="alert">{problem}</p>}
      </li>
    );
  }

  return (
    <li className="thread-row">
      <button
        type="button"
        className="thread-open"
        data-testid="thread-item"
        data-status={thread.status}
        aria-current={current ? "page" : undefined}
        onClick={() => onSelect(thread.id)}
      >
        <span className="thread-title" lang={languageOf(thread.title)}>
          {thread.title}
        </span>
        <span className={`thread-status thread-${thread.status}`}>{STATUS_TEXT[thread.status]}</span>
        <time className="thread-time" data-testid="thread-time" dateTime={thread.updatedAt} title={exactTime(updated)}>
          {relativeTime(updated, now)}
        </time>
      </button>
      {mode === "confirm-delete" ? (
        <div className="thread-confirm" role="group" aria-label="Delete this conversation?" {...KEEPS_ESCAPE}>
          <span>Delete?</span>
          <button
            type="button"
            data-testid="confirm-delete"
            autoFocus
            disabled={busy}
            onKeyDown={(event) => escapes(event)}
            onClick={() => void act(() => onDelete(thread.id))}
          >
            Delete
          </button>
          <button type="button" data-testid="cancel-delete" onKeyDown={(event) => escapes(event)} onClick={cancel}>
            Cancel
          </button>
          {problem && <p className="thread-problem" role="alert">{problem}</p>}
        </div>
      ) : (
        <div className="thread-actions">
          <button type="button" data-testid="thread-rename" aria-label={`Rename “${thread.title}”`} onClick={startRename}>
            ✎
          </button>
          <button
            type="button"
            data-testid="thread-delete"
            aria-label={`Delete “${thread.title}”`}
            onClick={() => {
              setProblem(null);
              setMode("confirm-delete");
            }}
          >
            🗑
          </button>
        </div>
      )}
    </li>
  );
}
