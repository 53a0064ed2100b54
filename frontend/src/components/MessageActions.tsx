import { CopyButton } from "./CopyButton";
import { VersionSwitcher } from "./VersionSwitcher";

/** What a message offers besides Copy (absent in the direct view, which keeps no threads). */
export interface MessageCallbacks {
  onEdit: (messageId: string, text: string) => void;
  onRegenerate: () => void;
  onShowVersion: (messageId: string, index: number) => void;
}

interface Props {
  messageId: string;
  user: boolean;
  copyText: string;
  version?: { index: number; count: number };
  canEdit: boolean;
  canRegenerate: boolean;
  busy: boolean;
  callbacks?: MessageCallbacks;
  onStartEdit: () => void;
}

export function MessageActions(props: Props) {
  const { messageId, user, copyText, version, canEdit, canRegenerate, busy, callbacks } = props;
  const what = user ? "question" : "answer";
  return (
    <footer className="message-actions">
      {version && callbacks && (
        <VersionSwitcher
          index={version.index}
          count={version.count}
          what={what}
          disabled={busy}
          onShow={(index) => callbacks.onShowVersion(messageId, index)}
        />
      )}
      {copyText && <CopyButton text={copyText} label={`Copy this ${what}`} />}
      {canEdit && (
        <button
          type="button"
          className="action"
          data-testid="edit-button"
          aria-label="Edit this question"
          onClick={props.onStartEdit}
        >
          Edit
        </button>
      )}
      {canRegenerate && callbacks && (
        <button
          type="button"
          className="action"
          data-testid="regenerate-button"
          aria-label="Regenerate this answer"
          onClick={callbacks.onRegenerate}
        >
          Regenerate
        </button>
      )}
    </footer>
  );
}
