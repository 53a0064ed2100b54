import { useEffect, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from "react";
import type { Draft } from "../chat/agentChat";
import type { Attachment } from "../chat/attachments";
import { AttachButton } from "./AttachButton";
import { AttachmentPreviews } from "./AttachmentPreviews";
import type { AttachmentDraft } from "./useAttachmentDraft";

interface Props {
  streaming: boolean;
  /** The thread waits for a decision on a tool call: a new message (or Stop) cancels the call. */
  waiting?: boolean;
  /** Files to send with the message (picked, pasted or dropped); none in a view without them. */
  draft?: AttachmentDraft;
  /** A message the server refused: back in the composer, so nothing is lost. */
  returned?: Draft | null;
  onSend: (text: string, attachments: readonly Attachment[]) => void;
  onStop: () => void;
}

/** The `performance.mark` set each time the composer takes a message again; the form's
 * `data-ready` says the same. */
export const READY_MARK = "composer-ready";

/** The input: Enter sends, Shift+Enter adds a newline; Stop (or Esc) works while a run streams or
 * a call waits for a decision. Files picked or pasted here (or dropped on the conversation) go
 * with the message. */
export function Composer({ streaming, waiting = false, draft, returned, onSend, onStop }: Props) {
  const [text, setText] = useState("");
  const ready = !streaming;
  const attachments = draft?.attachments ?? [];
  // A picture alone is a question too.
  const canSend = ready && (text.trim().length > 0 || attachments.length > 0);
  const input = useRef<HTMLTextAreaElement>(null);

  // For the bench: when the composer takes a message again (after a run, or on load).
  useEffect(() => {
    if (ready) performance.mark(READY_MARK);
  }, [ready]);

  // The page exists to type into: start there, so keyboard users need no Tab through the sidebar.
  // Not `autoFocus`: this mounts after a lazy chunk loads, and must not steal focus from a field
  // the user is already typing in (the API key) by then.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) input.current?.focus();
  }, []);

  // A refused message comes back; once it is sent again (the banner's Retry), it leaves again,
  // unless it was changed meanwhile.
  const restore = draft?.restore;
  const held = useRef<Draft | null>(null);
  useEffect(() => {
    const before = held.current;
    held.current = returned ?? null;
    if (returned) {
      setText(returned.text);
      restore?.(returned.attachments);
    } else if (before) {
      setText((current) => (current === before.text ? "" : current));
      restore?.([]);
    }
  }, [returned, restore]);

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text.trim(), attachments);
    setText("");
    draft?.restore([]);
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...event.clipboardData.files];
    if (!draft || files.length === 0) return;
    event.preventDefault();
    void draft.add(files);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) send(event);
  };

  return (
    <form className="composer" onSubmit={send} data-testid="composer" data-ready={ready}>
      {draft && <AttachmentPreviews attachments={attachments} refusals={draft.refusals} onRemove={draft.remove} />}
      <label htmlFor="message-input" className="visually-hidden">
        Message
      </label>
      <span id="message-hint" className="visually-hidden">
        Enter sends, Shift+Enter adds a line, Esc stops a running answer or a call waiting for approval.
      </span>
      <textarea
        id="message-input"
        data-testid="message-input"
        value={text}
        ref={input}
        rows={2}
        placeholder={waiting ? "Decide on the tool call above, or send a new message (it cancels the call)" : "Ask the agent (Enter sends)"}
        aria-describedby="message-hint"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      {draft && <AttachButton onFiles={(files) => void draft.add(files)} />}
      <button type="submit" className="primary" data-testid="send-button" disabled={!canSend}>
        Send
      </button>
      <button
        type="button"
        data-testid="stop-button"
        disabled={!streaming && !waiting}
        onClick={() => {
          onStop();
          // Stop disables itself: the focus goes back where the next message is typed.
          input.current?.focus();
        }}
        title="Stop (Esc)"
        aria-keyshortcuts="Escape"
      >
        Stop
      </button>
    </form>
  );
}
