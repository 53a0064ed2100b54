/**
 * One conversation on the Runs API: the hook at the top, rendering below.
 * Mounted once per thread (App changes its key on "New chat" or a thread switch).
 */
import { useMemo } from "react";
import { ApprovalCard } from "../components/ApprovalCard";
import { Composer } from "../components/Composer";
import { ErrorBanner } from "../components/ErrorBanner";
import { MessageList } from "../components/MessageList";
import { StatusLine } from "../components/StatusLine";
import { useAttachmentDraft } from "../components/useAttachmentDraft";
import { useFileDrop } from "../components/useFileDrop";
import type { AgentChatOptions } from "./agentChat";
import { useAgentChat } from "./useAgentChat";
import { useEscapeToStop } from "./useEscapeToStop";

export function Chat(props: AgentChatOptions) {
  const chat = useAgentChat(props);
  const draft = useAttachmentDraft();
  // Files dropped anywhere on the conversation go with the next message.
  const drop = useFileDrop((files) => void draft.add(files));
  useEscapeToStop(chat.streaming || chat.paused, chat.stop);
  const callbacks = useMemo(
    () => ({ onEdit: chat.edit, onRegenerate: chat.regenerate, onShowVersion: chat.showVersion }),
    [chat.edit, chat.regenerate, chat.showVersion],
  );

  return (
    <div className={`chat${drop.dragging ? " chat-drop" : ""}`} {...drop.handlers} data-testid="chat" data-dragging={drop.dragging || undefined}>
      {drop.dragging && (
        <div className="drop-hint" data-testid="drop-hint" aria-hidden="true">
          Drop images or PDFs to attach them
        </div>
      )}
      {chat.error !== null && <ErrorBanner message={chat.error} onRetry={chat.retry} onDismiss={chat.dismissError} />}
      <MessageList
        messages={chat.messages}
        streaming={chat.streaming}
        stoppedMessageId={chat.stoppedMessageId}
        versions={chat.versions}
        editable={chat.editable}
        regenerableId={chat.regenerableId}
        callbacks={callbacks}
        scrollKey={chat.approvals.map((request) => request.id).join()}
        onExample={chat.send}
      >
        {chat.approvals.map((request) => (
          <ApprovalCard
            key={request.id}
            request={request}
            onDecide={(decisions) => chat.decide(request, decisions)}
          />
        ))}
      </MessageList>
      <StatusLine status={chat.status} />
      <Composer
        streaming={chat.streaming}
        waiting={chat.paused}
        draft={draft}
        returned={chat.returned}
        onSend={chat.send}
        onStop={chat.stop}
      />
    </div>
  );
}
