import type { AttachmentView } from "../chat/attachments";

/** The images and files a sent message holds: the picture itself, or a chip with the file's name. */
export function MessageAttachments({ attachments }: { attachments: readonly AttachmentView[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="message-attachments" aria-label="Attachments">
      {attachments.map((attachment, index) => (
        <li key={index} className="message-attachment" data-testid="message-attachment" data-kind={attachment.kind} title={attachment.name}>
          {attachment.kind === "image" && attachment.src ? (
            <img src={attachment.src} alt={attachment.name} />
          ) : (
            <span className="file-chip">{attachment.kind === "file" ? "PDF" : "Image"} · {attachment.name}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
