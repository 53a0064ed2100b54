/**
 * assistant-ui's LangChain runtime (`useStreamRuntime` of `@assistant-ui/react-langchain`, on
 * `@langchain/react`) with its unstyled primitives: a thread, a composer with Send and Stop.
 * Run settings travel as the composer's `runConfig.custom`, which the runtime sends as
 * `config.configurable`. The first message goes to `?threadId=` when one is given.
 */
import {
  AssistantRuntimeProvider,
  ComposerPrimitive,
  MessagePrimitive,
  ThreadPrimitive,
} from "@assistant-ui/react";
import { useStreamRuntime } from "@assistant-ui/react-langchain";
import { useEffect } from "react";

import type { Options } from "./options";

function Message() {
  return (
    <MessagePrimitive.Root className="message">
      <MessagePrimitive.Parts />
    </MessagePrimitive.Root>
  );
}

export function AssistantUiClient({ options }: { options: Options }) {
  const runtime = useStreamRuntime({
    assistantId: "agent",
    apiUrl: options.apiUrl,
    transport: options.transport,
    // assistant-ui keeps its own thread list: a given thread becomes the one it creates.
    create: async () => ({ externalId: options.threadId ?? undefined }),
  });
  useEffect(() => {
    runtime.thread.composer.setRunConfig({ custom: options.configurable });
  }, [runtime, options.configurable]);
  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <ThreadPrimitive.Root>
        <ThreadPrimitive.Viewport>
          <ThreadPrimitive.Messages components={{ Message }} />
        </ThreadPrimitive.Viewport>
        <ComposerPrimitive.Root>
          <ComposerPrimitive.Input aria-label="Message" />
          <ThreadPrimitive.If running={false}>
            <ComposerPrimitive.Send>Send</ComposerPrimitive.Send>
          </ThreadPrimitive.If>
          <ThreadPrimitive.If running>
            <ComposerPrimitive.Cancel>Stop</ComposerPrimitive.Cancel>
          </ThreadPrimitive.If>
        </ComposerPrimitive.Root>
      </ThreadPrimitive.Root>
    </AssistantRuntimeProvider>
  );
}
