import type { MessageView } from "../chat/viewModel";
import { useAutoScroll } from "../chat/useAutoScroll";
import { usePreloadMarkdown } from "./LazyMarkdown";
import { Message } from "./Message";

interface Props {
  messages: MessageView[];
  streaming: boolean;
  stoppedMessageId: string | null;
}

export function MessageList({ messages, streaming, stoppedMessageId }: Props) {
  const last = messages[messages.length - 1];
  const { ref, onScroll } = useAutoScroll<HTMLElement>(messages);
  usePreloadMarkdown();
  return (
    <section className="message-list" ref={ref} onScroll={onScroll} aria-label="Conversation" tabIndex={0}>
      {messages.length === 0 && (
        <p className="empty">Ask something, e.g. “分析用户数据”, “北京天气如何？” or “count to 300”.</p>
      )}
      {messages.map((message) => (
        <Message
          key={message.id}
          message={message}
          streaming={streaming && message === last && message.role === "assistant"}
          stopped={message.id === stoppedMessageId}
        />
      ))}
    </section>
  );
}
