import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

interface Props {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/** A question being edited in place: Enter re-runs it, Shift+Enter adds a line, Esc cancels. */
export function EditQuestion({ initial, onSave, onCancel }: Props) {
  const [text, setText] = useState(initial);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const field = input.current;
    field?.focus();
    field?.setSelectionRange(field.value.length, field.value.length);
  }, []);
  const canSave = text.trim().length > 0 && text.trim() !== initial.trim();

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    if (canSave) onSave(text.trim());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      save(event);
    }
  };

  return (
    <form className="edit-question" onSubmit={save}>
      <label htmlFor="edit-question" className="visually-hidden">
        Edit your question
      </label>
      <textarea
        id="edit-question"
        data-testid="edit-input"
        ref={input}
        rows={2}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="edit-buttons">
        <button type="submit" className="primary" data-testid="edit-save" disabled={!canSave}>
          Save and re-run
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
