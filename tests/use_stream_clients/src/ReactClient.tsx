/**
 * `useStream` of `@langchain/react` with its own selectors: `useMessages`, `useToolCalls`
 * (tool lifecycles) and `useChannel(["tools"])` (the raw tool events, output deltas included,
 * which langgraphjs's ui-react "Tool Streaming" view renders as progress).
 */
import { useChannel, useMessages, useStream, useToolCalls } from "@langchain/react";
import { useState, type FormEvent } from "react";

import { textOf, type Options } from "./options";

interface Delta {
  message?: unknown;
  progress?: unknown;
}

export function ReactClient({ options }: { options: Options }) {
  const [threadId, setThreadId] = useState<string | null>(options.threadId);
  const [text, setText] = useState("");
  const stream = useStream({
    assistantId: "agent",
    apiUrl: options.apiUrl,
    transport: options.transport,
    threadId,
    onThreadId: setThreadId,
  });
  const messages = useMessages(stream);
  const toolCalls = useToolCalls(stream);
  const toolEvents = useChannel(stream, ["tools"], undefined, { bufferSize: 200 });
  const deltas = toolEvents.flatMap((event) => {
    const data = event.params.data as { event?: string; delta?: Delta };
    return data.event === "tool-output-delta" && data.delta ? [data.delta] : [];
  });

  const send = (event: FormEvent) => {
    event.preventDefault();
    void stream.submit(
      { messages: [{ type: "human", content: text }] },
      { config: { configurable: options.configurable } },
    );
    setText("");
  };

  return (
    <main>
      <p data-testid="thread">{threadId ?? ""}</p>
      <p data-testid="status">{stream.isLoading ? "streaming" : "idle"}</p>
      <p data-testid="error">{stream.error ? String(stream.error) : ""}</p>
      <ol data-testid="messages">
        {messages.map((message, index) => (
          <li key={message.id ?? index} data-type={message.type}>
            {textOf(message.content)}
          </li>
        ))}
      </ol>
      <ol data-testid="tool-calls">
        {toolCalls.map((call) => (
          <li key={call.callId} data-status={call.status}>
            {call.name}: {JSON.stringify(call.output)}
          </li>
        ))}
      </ol>
      <ol data-testid="progress">
        {deltas.map((delta, index) => (
          <li key={index}>
            {String(delta.message)} {String(delta.progress)}
          </li>
        ))}
      </ol>
      <form onSubmit={send}>
        <input aria-label="Message" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Send</button>
        <button type="button" onClick={() => void stream.stop()}>
          Stop
        </button>
      </form>
    </main>
  );
}
