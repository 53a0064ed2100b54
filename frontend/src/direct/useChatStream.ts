/**
 * One question at a time over the server's plain SSE route, GET /api/chat/stream, with the
 * browser's EventSource. Stateless on the server: each question is answered on its own.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from "react";
import { useStableViews } from "../chat/useStableViews";
import type { MessageView } from "../chat/viewModel";
import { useThrottled } from "../chat/useThrottled";
import type { ChatStatus } from "../components/StatusLine";
import type { InterruptEvent } from "../generated/events";
import { directViews, initialState, parseEvent, reduce, type StreamEvent } from "./streamState";

/** The part of EventSource this hook uses, so tests can pass a fake. */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}
export type EventSourceConstructor = new (url: string) => EventSourceLike;

export interface ChatStreamOptions {
  apiUrl: string;
  /** For servers with auth: traded for a short-lived ticket, since EventSource sends no headers. */
  apiKey?: string;
  /** Per-answer settings, sent as `?context=<JSON>` when not empty. */
  context?: Record<string, unknown>;
  EventSource?: EventSourceConstructor;
}

export interface ChatStream {
  messages: MessageView[];
  status: ChatStatus;
  error: string | null;
  /** The latest answer paused for a decision, on this thread of the Runs API. */
  interrupt: InterruptEvent | null;
  send(text: string): void;
  stop(): void;
  clearError(): void;
}

interface Run {
  /** Null while the ticket is being fetched. */
  source: EventSourceLike | null;
  /** Aborts the ticket request. */
  starting: AbortController;
  /** The server answered 200 (open) or sent an event: a later error is a lost connection. */
  connected: boolean;
  /** The fetch that asks why the stream could not start. */
  diagnosis?: AbortController;
}

const RENDER_EVERY_MS = 50;
/** Events are applied in batches: one state update per 16 ms, not one per token event. */
const APPLY_EVERY_MS = 16;
const DIAGNOSIS_TIMEOUT_MS = 10_000;

export function streamUrl(apiUrl: string, query: string, context: string | null, ticket: string | null = null): string {
  const url = new URL(`${apiUrl}/api/chat/stream`);
  url.searchParams.set("query", query);
  if (context) url.searchParams.set("context", context);
  if (ticket) url.searchParams.set("ticket", ticket);
  return url.href;
}

/** Trade the API key (a header) for a ticket the EventSource URL can carry. */
async function fetchTicket(apiUrl: string, apiKey: string, signal: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/api/chat/ticket`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({ path: "/api/chat/stream" }),
      signal,
    });
  } catch {
    throw new Error(`Cannot reach the agent server at ${apiUrl}.`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && body && typeof body === "object" && "ticket" in body && typeof body.ticket === "string") {
    return body.ticket;
  }
  const detail = body && typeof body === "object" && "detail" in body && typeof body.detail === "string" ? body.detail : "";
  throw new Error(`The agent server at ${apiUrl} refused the API key (HTTP ${response.status})${detail ? `: ${detail}` : "."}`);
}

/**
 * EventSource hides the HTTP status of a refused stream. Ask once more with fetch: a refusal
 * (422 bad input, 429 or 503 busy) runs nothing on the server, so the repeat is free. If it is accepted
 * this time, hang up at once, which cancels that run.
 */
async function explainFailure(url: string, apiUrl: string, controller: AbortController): Promise<string> {
  const timer = setTimeout(() => controller.abort(), DIAGNOSIS_TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (response.ok) {
      controller.abort();
      return `The stream from the agent server at ${apiUrl} broke before it started. Retry.`;
    }
    const body: unknown = await response.json().catch(() => null);
    const detail = body && typeof body === "object" && "detail" in body && typeof body.detail === "string"
      ? body.detail : null;
    if (detail && [422, 429, 503].includes(response.status)) return detail;
    const auth = response.status === 401 ? " Set the API key for this server." : "";
    return `The agent server at ${apiUrl} answered HTTP ${response.status}${detail ? `: ${detail}` : ""}.${auth}`;
  } catch {
    return `Cannot reach the agent server at ${apiUrl}.`;
  } finally {
    clearTimeout(timer);
  }
}

export function useChatStream(options: ChatStreamOptions): ChatStream {
  const { apiUrl, apiKey, context, EventSource: Source = window.EventSource } = options;
  const [state, dispatch] = useReducer(reduce, initialState);
  const run = useRef<Run | null>(null);
  const questions = useRef(0);
  const pending = useRef<StreamEvent[]>([]);
  const applyTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const applyPending = useCallback(() => {
    if (applyTimer.current !== null) clearTimeout(applyTimer.current);
    applyTimer.current = null;
    const events = pending.current;
    pending.current = [];
    if (events.length > 0) dispatch({ type: "events", events });
  }, []);
  const contextJson = context && Object.keys(context).length > 0 ? JSON.stringify(context) : null;

  const hangUp = useCallback(() => {
    applyPending();
    run.current?.starting.abort();
    run.current?.source?.close();
    run.current?.diagnosis?.abort();
    run.current = null;
  }, []);

  useEffect(() => hangUp, [hangUp]);

  const send = useCallback(
    (text: string) => {
      hangUp();
      dispatch({ type: "send", id: `q${++questions.current}`, text });
      const current: Run = { source: null, starting: new AbortController(), connected: false };
      run.current = current;
      const live = () => run.current === current;
      const fail = (message: string) => {
        if (!live()) return;
        applyPending();
        run.current = null;
        dispatch({ type: "fail", message });
      };
      const open = (ticket: string | null) => {
        if (!live()) return;
        const url = streamUrl(apiUrl, text, contextJson, ticket);
        const source = new Source(url);
        current.source = source;

        source.onopen = () => {
          current.connected = true;
        };
        source.onmessage = (message) => {
          if (!live()) return;
          current.connected = true;
          const event = parseEvent(message.data);
          if (event === "done") {
            hangUp();
            dispatch({ type: "done" });
          } else if (event) {
            pending.current.push(event);
            applyTimer.current ??= setTimeout(applyPending, APPLY_EVERY_MS);
          }
        };
        source.onerror = () => {
          // Left open, EventSource reconnects by itself, which would silently ask the question again.
          source.close();
          if (!live()) return;
          if (current.connected) {
            fail("The connection to the agent server was lost; the answer is incomplete.");
            return;
          }
          current.diagnosis = new AbortController();
          void explainFailure(url, apiUrl, current.diagnosis).then(fail);
        };
      };
      if (!apiKey) {
        open(null);
        return;
      }
      fetchTicket(apiUrl, apiKey, current.starting.signal).then(open, (error: Error) => fail(error.message));
    },
    [Source, apiUrl, apiKey, contextJson, hangUp, applyPending],
  );

  const stop = useCallback(() => {
    if (!run.current) return;
    // Closing the stream is what makes the server cancel the run.
    hangUp();
    dispatch({ type: "stop" });
  }, [hangUp]);

  const clearError = useCallback(() => dispatch({ type: "clearError" }), []);

  // Batch token updates: a render (and Markdown parse) per 50 ms at most, not per token.
  const shown = useThrottled(state, RENDER_EVERY_MS);
  const messages = useStableViews(useMemo(() => directViews(shown), [shown]));
  // An error event is shown at once, but the answer streams until [DONE].
  const status: ChatStatus = state.phase !== "streaming" && state.error !== null ? "error" : state.phase;
  return { messages, status, error: state.error, interrupt: state.interrupt, send, stop, clearError };
}
