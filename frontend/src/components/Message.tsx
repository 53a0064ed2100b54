import { memo } from "react";
import type { MessageView } from "../chat/viewModel";
import { LazyMarkdown } from "./LazyMarkdown";
import { ToolCallCard } from "./ToolCallCard";

interface Props {
  message: MessageView;
  streaming: boolean;
  stopped: boolean;
}

/** One message. Memoised: while a message streams, the rest of the history is not re-rendered. */
export const Message = memo(function Message({ message, streaming, stopped }: Props) {
  const user = message.role === "user";
  return (
    <article
      className={`message message-${message.role}`}
      data-testid={user ? "message-user" : "message-assistant"}
      data-streaming={streaming || undefined}
      aria-label={user ? "You" : "Assistant"}
      // The answer being written is announced politely as it grows.
      aria-live={streaming ? "polite" : undefined}
      aria-busy={streaming || undefined}
    >
      {user ? (
        <p className="user-text">{message.text}</p>
      ) : (
        message.text && <LazyMarkdown text={message.text} streaming={streaming} />
      )}
      {message.toolCalls.map((call) => (
        <ToolCallCard key={call.id} call={call} />
      ))}
      {stopped && (
        <p className="stopped-note" data-testid="stopped-note">
          Stopped
        </p>
      )}
    </article>
  );
});
