/**
 * Where the agent server is and how to talk to it.
 *
 * The API URL comes from `?apiUrl=` (so one build can be pointed at any server, e.g. by the
 * browser tests), else VITE_LANGGRAPH_API_URL at build time, else the `langgraph dev` default.
 * An API key is never built in: the user types it, it stays in sessionStorage, keyed by the
 * server it was entered for, and is sent only there as `x-api-key`.
 */

export const DEFAULT_API_URL = "http://127.0.0.1:2024";
export const DEFAULT_ASSISTANT_ID = "agent";

export interface AppConfig {
  apiUrl: string;
  assistantId: string;
  /** Extra per-run settings sent as the run's context, e.g. `{"tool_step_delay": 1}`. */
  runContext: Record<string, unknown>;
}

function parseRunContext(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through: a bad ?context= is ignored, not fatal
  }
  console.warn("Ignoring ?context=: it must be a JSON object");
  return {};
}

export function readConfig(
  search: string = window.location.search,
  env: ImportMetaEnv = import.meta.env,
): AppConfig {
  const params = new URLSearchParams(search);
  const apiUrl = params.get("apiUrl") || env.VITE_LANGGRAPH_API_URL || DEFAULT_API_URL;
  return {
    apiUrl: apiUrl.replace(/\/+$/, ""),
    assistantId: params.get("assistantId") || env.VITE_ASSISTANT_ID || DEFAULT_ASSISTANT_ID,
    runContext: parseRunContext(params.get("context")),
  };
}

const keyName = (apiUrl: string) => `langgraph-api-key:${apiUrl}`;

export function loadApiKey(apiUrl: string): string | undefined {
  return sessionStorage.getItem(keyName(apiUrl)) || undefined;
}

export function saveApiKey(apiUrl: string, key: string | undefined): void {
  if (key) sessionStorage.setItem(keyName(apiUrl), key);
  else sessionStorage.removeItem(keyName(apiUrl));
}

/** The agent's tools (agent/tools.py), for the approval setting; `*` stands for all of them. */
export const TOOLS = ["get_weather", "analyze_dataset", "generate_report"] as const;
export const ALL_TOOLS = "*";

/** The tools whose calls wait for a person's decision: the run context's `approve_tools`
 * (docs/approval.md). */
export function approveToolsOf(runContext: Record<string, unknown>): string[] {
  const value = runContext.approve_tools;
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === "string") : [];
}

/** The run context with `approve_tools` set; none leaves the key out (the server's default,
 * AGENT_APPROVE_TOOLS, then applies: empty unless set). */
export function withApproveTools(runContext: Record<string, unknown>, tools: readonly string[]): Record<string, unknown> {
  const { approve_tools: _previous, ...rest } = runContext;
  return tools.length > 0 ? { ...rest, approve_tools: [...tools] } : rest;
}

/** Per-run settings live in the URL's `?context=`, where readConfig finds them after a reload. */
export function writeRunContextToUrl(runContext: Record<string, unknown>): void {
  const url = new URL(window.location.href);
  if (Object.keys(runContext).length > 0) url.searchParams.set("context", JSON.stringify(runContext));
  else url.searchParams.delete("context");
  if (url.href !== window.location.href) window.history.replaceState(null, "", url);
}
