import type { ReactNode } from "react";
import type { Version } from "../chat/agentChat";
import type { MessageView } from "../chat/viewModel";
import { useAutoScroll } from "../chat/useAutoScroll";
import { ExamplePrompts } from "./ExamplePrompts";
import { Message } from "./Message";
import type { MessageCallbacks } from "./MessageActions";

interface Props {
  messages: MessageView[];
  streaming: boolean;
  stoppedMessageId: string | null;
  versions?: ReadonlyMap<string, Version>;
  editable?: ReadonlySet<string>;
  regenerableId?: string | null;
  callbacks?: MessageCallbacks;
  /** Cards after the messages, e.g. one per pending approval. */
  children?: ReactNode;
  /** Changes when those cards do, so the list scrolls to them as it does to new messages. */
  scrollKey?: string;
  /** Send an example question (offered while the conversation is empty). */
  onExample: (text: string) => void;
}

const NONE = new Set<string>();

export function MessageList(props: Props) {
  const { messages, streaming, stoppedMessageId, versions, editable = NONE, callbacks } = props;
  const last = messages[messages.length - 1];
  const { ref, onScroll, atBottom, jumpToLatest } = useAutoScroll<HTMLElement>(messages, props.scrollKey);
  return (
    <section className="message-list" data-testid="message-list" ref={ref} onScroll={onScroll} aria-label="Conversation" tabIndex={0}>
      {messages.length === 0 && <ExamplePrompts onPick={props.onExample} />}
      {messages.map((message) => {
        const version = versions?.get(message.id);
        return (
          <Message
            key={message.id}
            message={message}
            streaming={streaming && message === last && message.role === "assistant"}
            stopped={message.id === stoppedMessageId}
            busy={streaming}
            versionIndex={version?.index}
            versionCount={version?.count}
            canEdit={editable.has(message.id)}
            canRegenerate={message.id === props.regenerableId}
            callbacks={callbacks}
          />
        );
      })}
      {props.children}
      {!atBottom && (
        <button type="button" className="jump-to-latest" data-testid="jump-to-latest" onClick={jumpToLatest}>
          ↓ Jump to latest
        </button>
      )}
    </section>
  );
}
