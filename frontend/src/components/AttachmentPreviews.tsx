import type { Attachment } from "../chat/attachments";

interface Props {
  attachments: readonly Attachment[];
  refusals: readonly string[];
  onRemove: (id: string) => void;
}

/** What goes with the next message, each removable, and why a file was refused. */
export function AttachmentPreviews({ attachments, refusals, onRemove }: Props) {
  if (attachments.length === 0 && refusals.length === 0) return null;
  return (
    <div className="attachment-previews">
      {attachments.length > 0 && (
        <ul className="attachment-list" aria-label="Attachments">
          {attachments.map((attachment) => (
            <li key={attachment.id} className="attachment-preview" data-testid="attachment-preview" title={attachment.name}>
              {attachment.mimeType.startsWith("image/") ? (
                <img src={`data:${attachment.mimeType};base64,${attachment.data}`} alt={attachment.name} />
              ) : (
                <span className="file-chip">PDF · {attachment.name}</span>
              )}
              <button type="button" className="attachment-remove" aria-label={`Remove ${attachment.name}`} onClick={() => onRemove(attachment.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {refusals.map((refusal) => (
        <p key={refusal} className="attachment-refusal" role="alert" data-testid="attachment-refusal">
          {refusal}
        </p>
      ))}
    </div>
  );
}
