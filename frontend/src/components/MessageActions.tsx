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
      {canEdit && <Action testId="edit-button" label="Edit this question" text="Edit" onClick={props.onStartEdit} />}
      {canRegenerate && callbacks && (
        <Action testId="regenerate-button" label="Regenerate this answer" text="Regenerate" onClick={callbacks.onRegenerate} />
      )}
    </footer>
  );
}

function Action(props: { testId: string; label: string; text: string; onClick: () => void }) {
  return (
    <button type="button" className="action" data-testid={props.testId} aria-label={props.label} onClick={props.onClick}>
      {props.text}
    </button>
  );
}
