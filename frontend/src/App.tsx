/**
 * The page: configuration, the thread in the URL, the thread sidebar and one Chat.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { lazyClient, serverApi, type ServerApi, type ThreadSummary } from "./api";
import type { Connection } from "./chat/Chat";
import { ApiKeyField } from "./components/ApiKeyField";
import { ThreadSidebar } from "./components/ThreadSidebar";
import { loadApiKey, readConfig, saveApiKey, type AppConfig } from "./config";
import { threadFromUrl, writeThreadToUrl } from "./threadUrl";

// The streaming engine (hook, SDK stream runtime, LangChain messages) is a separate chunk that
// loads while the shell and thread list paint.
const Chat = lazy(() => import("./chat/Chat").then((module) => ({ default: module.Chat })));

export interface AppProps {
  config?: AppConfig;
  /** For tests: a fake server instead of HTTP. */
  connection?: Connection;
  api?: ServerApi;
}

export function App(props: AppProps) {
  const config = useMemo(() => props.config ?? readConfig(), [props.config]);
  const [apiKey, setApiKey] = useState(() => loadApiKey(config.apiUrl));
  const connection: Connection = useMemo(
    () => props.connection ?? { apiUrl: config.apiUrl, apiKey },
    [props.connection, config.apiUrl, apiKey],
  );
  const api = useMemo(
    () => props.api ?? serverApi(lazyClient(config.apiUrl, apiKey)),
    [props.api, config.apiUrl, apiKey],
  );

  const [threadId, setThreadId] = useState(() => threadFromUrl());
  // A new key remounts Chat: a different conversation, or a retry after a failed load.
  const [chatKey, setChatKey] = useState(0);
  const openThread = useCallback((id: string | null) => {
    writeThreadToUrl(id, "push");
    setThreadId(id);
    setChatKey((key) => key + 1);
  }, []);

  useEffect(() => {
    const onPopState = () => {
      setThreadId(threadFromUrl());
      setChatKey((key) => key + 1);
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  const [threads, setThreads] = useState<ThreadSummary[]>([]);
  const [threadsError, setThreadsError] = useState<string | null>(null);
  const refreshThreads = useCallback(() => {
    api.listThreads().then(
      (list) => {
        setThreads(list);
        setThreadsError(null);
      },
      () => setThreadsError("Could not load conversations."),
    );
  }, [api]);
  useEffect(refreshThreads, [refreshThreads]);

  // The hook made a thread for the first message: record it without remounting the chat.
  const onThreadId = useCallback(
    (id: string) => {
      writeThreadToUrl(id, "replace");
      setThreadId(id);
      refreshThreads();
    },
    [refreshThreads],
  );

  const changeKey = (key: string | undefined) => {
    saveApiKey(config.apiUrl, key);
    setApiKey(key);
    setChatKey((k) => k + 1);
  };

  return (
    <div className="app">
      <ThreadSidebar
        threads={threads}
        error={threadsError}
        currentThreadId={threadId}
        onSelect={openThread}
        onNewChat={() => openThread(null)}
        onRefresh={refreshThreads}
      />
      <main>
        <header className="topbar">
          <h1>Streaming agent</h1>
          <ApiKeyField apiUrl={config.apiUrl} hasKey={apiKey !== undefined} onChange={changeKey} />
        </header>
        <Suspense fallback={<p className="status" data-testid="status" data-status="loading">Loading…</p>}>
          <Chat
            key={chatKey}
            connection={connection}
            assistantId={config.assistantId}
            runContext={config.runContext}
            initialThreadId={threadId}
            api={api}
            onThreadId={onThreadId}
            onRunFinished={refreshThreads}
            onReload={() => setChatKey((key) => key + 1)}
          />
        </Suspense>
      </main>
    </div>
  );
}
