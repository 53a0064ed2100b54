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
  /** Open a thread of the Runs API (where a paused answer waits for its decision). */
  onOpenThread: (threadId: string) => void;
  /** For tests: a fake in place of the browser's EventSource. */
  EventSource?: EventSourceConstructor;
}

export function DirectChat({ apiUrl, apiKey, runContext, onOpenThread, EventSource }: DirectChatProps) {
  const { messages, status, error, interrupt, send, stop, clearError } = useChatStream({
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
      <MessageList
        messages={messages}
        streaming={streaming}
        stoppedMessageId={stoppedMessageId}
        scrollKey={interrupt?.thread_id}
        onExample={send}
      >
        {interrupt && status === "paused" && (
          <section className="approval-card" data-testid="direct-interrupt" aria-label="Approval needed">
            <header>
              <strong>Approval needed</strong>
              <span className="approval-count">
                {interrupt.action_requests.map((action) => String(action.name)).join(", ")} waits for your decision.
              </span>
            </header>
            <p className="approval-hint">
              This route keeps no conversation: the paused answer is on a thread of the Runs API.
            </p>
            <div className="approval-buttons">
              <button
                type="button"
                className="primary"
                data-testid="open-paused-thread"
                onClick={() => onOpenThread(interrupt.thread_id)}
              >
                Review it in the Runs API view
              </button>
            </div>
          </section>
        )}
      </MessageList>
      <StatusLine status={status} />
      <Composer streaming={streaming} onSend={send} onStop={stop} />
    </div>
  );
}
