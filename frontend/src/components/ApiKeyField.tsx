import { useState, type FormEvent } from "react";
import { useDisclosure } from "./useDisclosure";

interface Props {
  apiUrl: string;
  hasKey: boolean;
  onChange: (key: string | undefined) => void;
}

/** Optional key for servers with auth, behind a disclosure; kept in sessionStorage for this server only. */
export function ApiKeyField({ apiUrl, hasKey, onChange }: Props) {
  const disclosure = useDisclosure();
  const [draft, setDraft] = useState("");
  const save = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft.trim() || undefined);
    setDraft("");
  };
  return (
    <details className="disclosure api-key" ref={disclosure.ref}>
      <summary data-testid="api-key-toggle">API key{hasKey ? " ✓" : ""}</summary>
      <form className="disclosure-panel api-key-form" onSubmit={save}>
        <label htmlFor="api-key">API key for {apiUrl} (optional)</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={draft}
          placeholder={hasKey ? "•••••• (set)" : "none"}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit">Save</button>
        {hasKey && (
          <button type="button" onClick={() => onChange(undefined)}>
            Forget
          </button>
        )}
      </form>
    </details>
  );
}
