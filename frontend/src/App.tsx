/**
 * The page: configuration, the view and thread in the URL, the thread sidebar and one Chat (or,
 * in the direct view, one DirectChat).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { lazyClient, serverApi, type ServerApi } from "./api";
import type { Connection } from "./chat/agentChat";
import { ApiKeyField } from "./components/ApiKeyField";
import { ApprovalSetting } from "./components/ApprovalSetting";
import { preloadMarkdown } from "./components/LazyMarkdown";
import { ThreadSidebar } from "./components/ThreadSidebar";
import { useThreadList } from "./components/useThreadList";
import { ViewSwitch } from "./components/ViewSwitch";
import {
  approveToolsOf,
  loadApiKey,
  readConfig,
  saveApiKey,
  withApproveTools,
  writeRunContextToUrl,
  type AppConfig,
} from "./config";
import { threadFromUrl, writeThreadToUrl } from "./threadUrl";
import { viewFromUrl, writeViewToUrl, type View } from "./viewUrl";

// The streaming engine (hook, SDK stream runtime, LangChain messages) is a separate chunk that
// loads while the shell and thread list paint; the Markdown chunk every answer needs loads beside it.
const Chat = lazy(() => {
  void preloadMarkdown();
  return import("./chat/Chat").then((module) => ({ default: module.Chat }));
});
// The direct view needs none of that engine: its own small chunk, loaded only when opened.
const DirectChat = lazy(() => {
  void preloadMarkdown();
  return import("./direct/DirectChat").then((module) => ({ default: module.DirectChat }));
});

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
    () => props.api ?? serverApi(lazyClient(config.apiUrl, apiKey), { apiUrl: config.apiUrl, apiKey }),
    [props.api, config.apiUrl, apiKey],
  );

  // Per-run settings (`?context=`), including which tools need approval.
  const [runContext, setRunContext] = useState(config.runContext);
  const approveTools = useMemo(() => approveToolsOf(runContext), [runContext]);
  const changeApproveTools = (tools: string[]) => {
    const next = withApproveTools(runContext, tools);
    writeRunContextToUrl(next);
    setRunContext(next);
  };

  const [view, setView] = useState(() => viewFromUrl());
  const switchView = (next: View) => {
    writeViewToUrl(next);
    setView(next);
  };

  const [threadId, setThreadId] = useState(() => threadFromUrl());
  // A new key remounts Chat: a different conversation, or another API key.
  const [chatKey, setChatKey] = useState(0);
  // Below 720 px the thread list is a drawer behind the menu button.
  const [menuOpen, setMenuOpen] = useState(false);
  const openThread = useCallback((id: string | null) => {
    writeThreadToUrl(id, "push");
    setThreadId(id);
    setChatKey((key) => key + 1);
    setMenuOpen(false);
  }, []);

  // The direct route hands a paused answer to a thread of the Runs API: open it there.
  const openPausedThread = useCallback((id: string) => {
    writeViewToUrl("runs");
    writeThreadToUrl(id, "replace");
    setView("runs");
    setThreadId(id);
    setChatKey((key) => key + 1);
  }, []);

  useEffect(() => {
    const onPopState = () => {
      setView(viewFromUrl());
      setThreadId(threadFromUrl());
      setChatKey((key) => key + 1);
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  // Threads belong to the Runs API; the direct view has none.
  const threadList = useThreadList(api, view === "runs");
  const { refresh: refreshThreads, started: threadStarted } = threadList;

  // The hook made a thread for the first message: record it without remounting the chat.
  const onThreadId = useCallback(
    (id: string, question: string) => {
      writeThreadToUrl(id, "replace");
      setThreadId(id);
      threadStarted(id, question);
    },
    [threadStarted],
  );

  const changeKey = (key: string | undefined) => {
    saveApiKey(config.apiUrl, key);
    setApiKey(key);
    setChatKey((k) => k + 1);
  };

  return (
    <div className={`app app-${view}`}>
      <main>
        <header className="topbar">
          {view === "runs" && (
            <button
              type="button"
              className="menu-button"
              data-testid="menu-button"
              aria-label="Conversations"
              aria-controls="sidebar"
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen((open) => !open)}
            >
              ☰
            </button>
          )}
          <h1>Streaming agent</h1>
          <ViewSwitch view={view} onChange={switchView} />
          <ApprovalSetting tools={approveTools} onChange={changeApproveTools} />
          <ApiKeyField apiUrl={config.apiUrl} hasKey={apiKey !== undefined} onChange={changeKey} />
        </header>
        <Suspense fallback={<p className="status" data-testid="status" data-status="loading">Loading…</p>}>
          {view === "direct" ? (
            <DirectChat
              apiUrl={config.apiUrl}
              apiKey={apiKey}
              runContext={runContext}
              onOpenThread={openPausedThread}
            />
          ) : (
            <Chat
              key={chatKey}
              connection={connection}
              assistantId={config.assistantId}
              runContext={runContext}
              threadId={threadId}
              api={api}
              onThreadId={onThreadId}
              onRunFinished={refreshThreads}
            />
          )}
        </Suspense>
      </main>
      {/* After the chat in the DOM (placed left by the grid): Tab reaches the top bar and the
          composer before every thread of the list. */}
      {view === "runs" && (
        <ThreadSidebar
          list={threadList}
          currentThreadId={threadId}
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          onSelect={openThread}
          onNewChat={() => openThread(null)}
          onDeleting={(id) => id === threadId && openThread(null)}
        />
      )}
    </div>
  );
}
