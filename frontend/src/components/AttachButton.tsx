import { useRef } from "react";
import { ACCEPTED_TYPES } from "../chat/attachments";

interface Props {
  onFiles: (files: File[]) => void;
}

/** "Attach": opens the file picker (images and PDFs). */
export function AttachButton({ onFiles }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="attach-button"
        data-testid="attach-button"
        onClick={() => input.current?.click()}
        title="Attach images or PDFs (or paste or drop them)"
      >
        Attach
      </button>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        data-testid="attach-input"
        aria-label="Attach images or PDFs"
        accept={ACCEPTED_TYPES}
        multiple
        tabIndex={-1}
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          // The same file can be picked again after it was removed.
          event.target.value = "";
        }}
      />
    </>
  );
}
