/**
 * The direct view: questions answered over GET /api/chat/stream with EventSource instead of the
 * Runs API. Same components and test ids as the main view, so one browser test style fits both.
 */
import { useEscapeToStop } from "../chat/useEscapeToStop";
import { Composer } from "../components/Composer";
import { ErrorBanner } from "../components/ErrorBanner";
import { MessageList } from "../components/MessageList";
import { StatusLine } from "../components/StatusLine";
import { useChatStream, type EventSourceConstructor } from "./useChatStream";

export interface DirectChatProps {
  apiUrl: string;
  apiKey?: string;
  runContext: Record<string, unknown>;
  /** For tests: a fake in place of the browser's EventSource. */
  EventSource?: EventSourceConstructor;
}

export function DirectChat({ apiUrl, apiKey, runContext, EventSource }: DirectChatProps) {
  const { messages, status, error, send, stop, clearError } = useChatStream({
    apiUrl,
    apiKey,
    context: runContext,
    EventSource,
  });

  const streaming = status === "streaming";
  useEscapeToStop(streaming, stop);
  const last = messages[messages.length - 1];
  const stoppedMessageId = status === "stopped" && last?.role === "assistant" ? last.id : null;
  const lastQuestion = messages.findLast((message) => message.role === "user")?.text;

  const retry = () => {
    clearError();
    if (lastQuestion !== undefined) send(lastQuestion);
  };

  return (
    <div className="chat">
      <p className="view-note">Each question is answered on its own; use the main view for conversations.</p>
      {error !== null && <ErrorBanner message={error} onRetry={retry} onDismiss={clearError} />}
      <MessageList messages={messages} streaming={streaming} stoppedMessageId={stoppedMessageId} />
      <StatusLine status={status} />
      <Composer streaming={streaming} onSend={send} onStop={stop} />
    </div>
  );
}
