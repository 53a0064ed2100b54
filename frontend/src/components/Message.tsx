import { memo, useState } from "react";
import { languageOf } from "../chat/language";
import type { MessageView } from "../chat/viewModel";
import { EditQuestion } from "./EditQuestion";
import { LazyMarkdown } from "./LazyMarkdown";
import { MessageAttachments } from "./MessageAttachments";
import { MessageTime } from "./MessageTime";
import { MessageActions, type MessageCallbacks } from "./MessageActions";
import { ToolCallCard } from "./ToolCallCard";

interface Props {
  message: MessageView;
  streaming: boolean;
  stopped: boolean;
  /** A run is in progress: versions cannot be switched and nothing re-run. */
  busy: boolean;
  versionIndex?: number;
  versionCount?: number;
  canEdit: boolean;
  canRegenerate: boolean;
  callbacks?: MessageCallbacks;
}

/** What the message is written in: its text, else its tool calls' results. */
function contentLanguage(message: MessageView): string | undefined {
  return languageOf(message.text || message.toolCalls.map((call) => call.result ?? "").join(" "));
}

/** One message. Memoised: while a message streams, the rest of the history is not re-rendered. */
export const Message = memo(function Message(props: Props) {
  const { message, streaming, stopped, busy, callbacks } = props;
  const user = message.role === "user";
  const [editing, setEditing] = useState(false);
  // A step that only calls tools is its tool cards, not a message around them: no bubble, no Copy.
  const toolsOnly = !user && !message.text && message.toolCalls.length > 0;
  const version = props.versionCount !== undefined && props.versionIndex !== undefined
    ? { index: props.versionIndex, count: props.versionCount }
    : undefined;
  return (
    <div className={`message-row message-row-${message.role}`}>
      <article
        className={`message message-${message.role}${toolsOnly ? " message-tools" : ""}`}
        lang={contentLanguage(message)}
        data-testid={user ? "message-user" : "message-assistant"}
        data-streaming={streaming || undefined}
        aria-label={user ? "You" : "Assistant"}
        // The answer being written is announced politely as it grows.
        aria-live={streaming ? "polite" : undefined}
        aria-busy={streaming || undefined}
      >
        {editing && callbacks ? (
          <EditQuestion
            initial={message.text}
            onCancel={() => setEditing(false)}
            onSave={(text) => {
              setEditing(false);
              callbacks.onEdit(message.id, text);
            }}
          />
        ) : user ? (
          message.text && <p className="user-text">{message.text}</p>
        ) : (
          message.text && <LazyMarkdown text={message.text} streaming={streaming} />
        )}
        <MessageAttachments attachments={message.attachments} />
        {message.toolCalls.map((call) => (
          <ToolCallCard key={call.id} call={call} />
        ))}
        {stopped && (
          <p className="stopped-note" data-testid="stopped-note">
            Stopped
          </p>
        )}
      </article>
      {/* Beside the message, not in it: its text (and Copy) stays the message's own. */}
      {message.time && <MessageTime time={message.time} />}
      {!streaming && !editing && (!toolsOnly || version || props.canRegenerate) && (
        <MessageActions
          messageId={message.id}
          user={user}
          copyText={message.text}
          version={version}
          canEdit={props.canEdit && !busy}
          canRegenerate={props.canRegenerate && !busy}
          busy={busy}
          callbacks={callbacks}
          onStartEdit={() => setEditing(true)}
        />
      )}
    </div>
  );
});
