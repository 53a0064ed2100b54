import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { DirectChat } from "./DirectChat";
import type { EventSourceLike } from "./useChatStream";

/**
 * Stands in for the browser's EventSource. Like the real one, it reconnects by itself (asking the
 * same URL again) after an error unless closed, and delivers nothing once closed.
 */
class FakeEventSource implements EventSourceLike {
  static requests: string[] = [];
  static latest: FakeEventSource | null = null;
  onopen: EventSourceLike["onopen"] = null;
  onmessage: EventSourceLike["onmessage"] = null;
  onerror: EventSourceLike["onerror"] = null;
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.requests.push(url);
    FakeEventSource.latest = this;
  }
  close() {
    this.closed = true;
  }
  open() {
    act(() => this.onopen?.(new Event("open")));
  }
  send(event: object | string) {
    if (this.closed) return;
    const data = typeof event === "string" ? event : JSON.stringify(event);
    act(() => this.onmessage?.(new MessageEvent("message", { data })));
  }
  fail() {
    act(() => this.onerror?.(new Event("error")));
    if (!this.closed) FakeEventSource.requests.push(this.url);
  }
}

const API = "http://fake:2024";
const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  FakeEventSource.requests = [];
  FakeEventSource.latest = null;
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const onOpenThread = vi.fn<(threadId: string) => void>();

async function ask(text = "北京天气如何？", runContext: Record<string, unknown> = {}) {
  const { unmount } = render(
    <DirectChat apiUrl={API} runContext={runContext} onOpenThread={onOpenThread} EventSource={FakeEventSource} />,
  );
  await userEvent.type(screen.getByTestId("message-input"), `${text}{Enter}`);
  const source = FakeEventSource.latest;
  if (!source) throw new Error("no EventSource was opened");
  return { source, unmount };
}

const status = () => screen.getByTestId("status").getAttribute("data-status");
const answer = () => screen.getByTestId("message-assistant");

test("opens one stream per question, with the query and the run context in the URL", async () => {
  const { source } = await ask("分析用户数据", { tool_step_delay: 0.1 });
  const url = new URL(source.url);
  expect(url.origin + url.pathname).toBe(`${API}/api/chat/stream`);
  expect(url.searchParams.get("query")).toBe("分析用户数据");
  expect(JSON.parse(url.searchParams.get("context")!)).toEqual({ tool_step_delay: 0.1 });
  expect(screen.getByTestId("message-user")).toHaveTextContent("分析用户数据");
  expect(screen.getByText(/answered on its own/)).toBeInTheDocument();
});

test("an empty run context is not sent", async () => {
  const { source } = await ask();
  expect(new URL(source.url).searchParams.has("context")).toBe(false);
});

test("renders tokens as they stream; [DONE] closes the stream and ends idle", async () => {
  const { source } = await ask();
  source.open();
  source.send({ type: "token", content: "Hello" });
  await waitFor(() => expect(answer()).toHaveTextContent("Hello"));
  expect(status()).toBe("streaming");
  expect(screen.getByTestId("stop-button")).toBeEnabled();
  source.send({ type: "token", content: " world" });
  await waitFor(() => expect(answer()).toHaveTextContent("Hello world"));
  source.send("[DONE]");
  expect(source.closed).toBe(true);
  await waitFor(() => expect(status()).toBe("idle"));
  expect(screen.getByTestId("stop-button")).toBeDisabled();
  expect(screen.getAllByTestId("message-assistant")).toHaveLength(1);
  expect(FakeEventSource.requests).toHaveLength(1);
});

test("a tool call shows live progress, then its result", async () => {
  const { source } = await ask();
  source.send({ type: "tool_call", id: "call_1", name: "analyze_dataset", args: { name: "用户数据" } });
  const card = await screen.findByTestId("tool-call");
  expect(card).toHaveTextContent("analyze_dataset");
  expect(card).toHaveTextContent("用户数据");
  expect(card).toHaveAttribute("data-status", "running");
  // Without a tool_call_id, progress goes to the latest call of its tool.
  const progress = { type: "progress", tool: "analyze_dataset", tool_call_id: null, message: null };
  source.send({ ...progress, phase: "loading", progress: 40 });
  await waitFor(() => expect(screen.getByTestId("progress")).toHaveAttribute("aria-valuenow", "40"));
  expect(card).toHaveTextContent("loading 40%");
  source.send({ ...progress, tool_call_id: "call_1", phase: "summarizing", progress: 100, message: "done" });
  await waitFor(() => expect(screen.getByTestId("progress")).toHaveAttribute("aria-valuenow", "100"));
  source.send({ type: "tool_result", id: "call_1", name: "analyze_dataset", content: "9333 rows", status: "success" });
  await waitFor(() => expect(card).toHaveAttribute("data-status", "done"));
  expect(screen.getByTestId("tool-result")).toHaveTextContent("9333 rows");
  source.send({ type: "token", content: "共 9333 行" });
  source.send("[DONE]");
  await waitFor(() => expect(status()).toBe("idle"));
  // The card sits where the call happened: before the answer that uses its result.
  await waitFor(() => expect(screen.getAllByTestId("message-assistant")).toHaveLength(2));
  const [withCard, text] = screen.getAllByTestId("message-assistant");
  expect(withCard).toContainElement(card);
  expect(text).toHaveTextContent("共 9333 行");
  expect(text).not.toContainElement(card);
});

test("Stop closes the stream, keeps the partial answer and marks it stopped", async () => {
  const { source } = await ask();
  source.open();
  source.send({ type: "token", content: "partial answ" });
  source.send({ type: "tool_call", id: "call_1", name: "get_weather", args: { city: "北京" } });
  await waitFor(() => expect(answer()).toHaveTextContent("partial answ"));
  await screen.findByTestId("tool-call");
  await userEvent.click(screen.getByTestId("stop-button"));
  expect(source.closed).toBe(true);
  await waitFor(() => expect(status()).toBe("stopped"));
  expect(answer()).toHaveTextContent("partial answ");
  expect(screen.getByTestId("stopped-note")).toBeInTheDocument();
  await waitFor(() => expect(screen.getByTestId("tool-call")).toHaveAttribute("data-status", "cancelled"));
  expect(screen.getByTestId("stop-button")).toBeDisabled();
});

test("an error event shows the banner; Retry asks the same question again", async () => {
  const { source } = await ask();
  source.open();
  source.send({ type: "token", content: "so far" });
  source.send({ type: "error", message: "The model provider is unavailable." });
  expect(await screen.findByTestId("error-banner")).toHaveTextContent("The model provider is unavailable.");
  source.send("[DONE]");
  await waitFor(() => expect(status()).toBe("error"));
  await waitFor(() => expect(answer()).toHaveTextContent("so far"));

  await userEvent.click(screen.getByRole("button", { name: "Retry" }));
  expect(FakeEventSource.requests).toHaveLength(2);
  expect(FakeEventSource.latest).not.toBe(source);
  expect(new URL(FakeEventSource.latest!.url).searchParams.get("query")).toBe("北京天气如何？");
  expect(screen.queryByTestId("error-banner")).not.toBeInTheDocument();
  expect(status()).toBe("streaming");
});

test("a stream refused before any event is explained by one fetch: the 422 detail", async () => {
  fetchMock.mockResolvedValue(
    new Response(JSON.stringify({ detail: "query is 40000 characters long; the limit is 32000" }), {
      status: 422,
      headers: { "content-type": "application/json" },
    }),
  );
  const { source } = await ask();
  source.fail();
  expect(source.closed).toBe(true);
  // The server's own words, as they are.
  expect(await screen.findByText("query is 40000 characters long; the limit is 32000")).toHaveClass("error-message");
  expect(fetchMock).toHaveBeenCalledTimes(1);
  expect(fetchMock.mock.calls[0]![0]).toBe(source.url);
  expect(status()).toBe("error");
  expect(FakeEventSource.requests).toHaveLength(1);
  expect(screen.queryByTestId("message-assistant")).not.toBeInTheDocument();
});

test("an unreachable server is named in the banner", async () => {
  fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
  const { source } = await ask();
  source.fail();
  expect(await screen.findByTestId("error-banner")).toHaveTextContent(`Cannot reach the agent server at ${API}.`);
});

test("a stream that answers 200 on the second ask is hung up at once", async () => {
  let signal: AbortSignal | undefined;
  fetchMock.mockImplementation(async (_url, init) => {
    signal = init?.signal ?? undefined;
    return new Response("data: [DONE]\n\n", { status: 200, headers: { "content-type": "text/event-stream" } });
  });
  const { source } = await ask();
  source.fail();
  expect(await screen.findByTestId("error-banner")).toHaveTextContent("broke before it started");
  expect(signal?.aborted).toBe(true);
});

test("a connection lost mid-answer is reported without asking again", async () => {
  const { source } = await ask();
  source.open();
  source.send({ type: "token", content: "half an ans" });
  await waitFor(() => expect(answer()).toHaveTextContent("half an ans"));
  source.fail();
  expect(source.closed).toBe(true);
  expect(FakeEventSource.requests).toHaveLength(1);
  expect(fetchMock).not.toHaveBeenCalled();
  expect(await screen.findByTestId("error-banner")).toHaveTextContent("connection to the agent server was lost");
  expect(answer()).toHaveTextContent("half an ans");
  expect(status()).toBe("error");
});

test("leaving the view closes the stream", async () => {
  const { source, unmount } = await ask();
  source.open();
  unmount();
  expect(source.closed).toBe(true);
});

test("with an API key, trades it for a ticket that the EventSource URL carries", async () => {
  fetchMock.mockResolvedValueOnce(Response.json({ ticket: "t-123", expires_in: 60 }));
  render(<DirectChat apiUrl={API} apiKey="secret-key" runContext={{}} onOpenThread={onOpenThread} EventSource={FakeEventSource} />);
  await userEvent.type(screen.getByTestId("message-input"), "hi{Enter}");

  await waitFor(() => expect(FakeEventSource.requests).toHaveLength(1));
  const [ticketUrl, init] = fetchMock.mock.calls[0]!;
  expect(ticketUrl).toBe(`${API}/api/chat/ticket`);
  expect(init?.method).toBe("POST");
  expect(new Headers(init?.headers).get("x-api-key")).toBe("secret-key");
  expect(JSON.parse(String(init?.body))).toEqual({ path: "/api/chat/stream" });
  const streamUrl = new URL(FakeEventSource.requests[0]!);
  expect(streamUrl.searchParams.get("ticket")).toBe("t-123");
  expect(FakeEventSource.requests[0]).not.toContain("secret-key");
});

test("a refused API key is shown and opens no stream", async () => {
  fetchMock.mockResolvedValueOnce(Response.json({ detail: "The API key is not valid." }, { status: 401 }));
  render(<DirectChat apiUrl={API} apiKey="wrong" runContext={{}} onOpenThread={onOpenThread} EventSource={FakeEventSource} />);
  await userEvent.type(screen.getByTestId("message-input"), "hi{Enter}");

  await waitFor(() => expect(screen.getByTestId("error-banner")).toHaveTextContent("The API key is not valid."));
  expect(FakeEventSource.requests).toHaveLength(0);
  expect(status()).toBe("error");
});

test("an answer that pauses for a decision ends paused, its call waiting, with a way to the thread", async () => {
  const { source } = await ask("北京天气如何？", { approve_tools: ["get_weather"] });
  source.send({ type: "tool_call", id: "c1", name: "get_weather", args: { city: "北京" } });
  source.send({
    type: "interrupt", thread_id: "thread-9",
    action_requests: [{ name: "get_weather", args: { city: "北京" }, description: "" }],
    review_configs: [{ action_name: "get_weather", allowed_decisions: ["approve", "edit", "reject"] }],
  });
  source.send("[DONE]");
  await waitFor(() => expect(status()).toBe("paused"));
  expect(source.closed).toBe(true);
  await waitFor(() => expect(screen.getByTestId("tool-call")).toHaveAttribute("data-status", "waiting"));
  expect(screen.getByTestId("direct-interrupt")).toHaveTextContent("get_weather waits for your decision");
  await userEvent.click(screen.getByTestId("open-paused-thread"));
  expect(onOpenThread).toHaveBeenCalledWith("thread-9");
});
