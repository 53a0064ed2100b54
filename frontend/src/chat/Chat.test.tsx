import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { FakeServer, fakeApi } from "../test/fakeServer";

const CONFIG = { apiUrl: "http://fake", assistantId: "agent", runContext: { tool_step_delay: 0.1 } };

async function startChat() {
  const server = new FakeServer();
  const api = fakeApi(server);
  render(<App config={CONFIG} connection={{ transport: server, apiUrl: CONFIG.apiUrl }} api={api} />);
  const input = await screen.findByTestId("message-input");
  await userEvent.type(input, "分析用户数据{Enter}");
  await waitFor(() => expect(server.runStarts).toHaveLength(1));
  return { server, api, human: server.sentHuman() };
}

const status = () => screen.getByTestId("status").getAttribute("data-status");

test("sends on Enter with the run context and the reject strategy", async () => {
  const { server } = await startChat();
  const params = server.runStarts[0]!.params as Record<string, unknown>;
  expect(params.multitaskStrategy).toBe("reject");
  expect(params.config).toMatchObject({ configurable: { tool_step_delay: 0.1 } });
  expect(JSON.stringify(params.input)).toContain("分析用户数据");
});

test("Shift+Enter adds a newline instead of sending", async () => {
  render(<App config={CONFIG} connection={{ transport: new FakeServer(), apiUrl: "x" }} api={fakeApi()} />);
  const input = await screen.findByTestId("message-input");
  await userEvent.type(input, "line one{Shift>}{Enter}{/Shift}line two");
  expect(input).toHaveValue("line one\nline two");
});

test("renders tokens as they stream and ends idle", async () => {
  const { server, human } = await startChat();
  act(() => {
    server.lifecycle("running");
    server.setValues([human]);
    server.startMessage("ai-1");
    server.token("Hello");
  });
  await waitFor(() => expect(screen.getByTestId("message-assistant")).toHaveTextContent("Hello"));
  expect(status()).toBe("streaming");
  expect(screen.getByTestId("stop-button")).toBeEnabled();
  act(() => server.token(" **world**"));
  await waitFor(() => expect(screen.getByTestId("message-assistant")).toHaveTextContent("Hello world"));
  act(() => {
    server.finishMessage("Hello **world**");
    server.setValues([human, { type: "ai", id: "ai-1", content: "Hello **world**" }]);
    server.lifecycle("completed");
  });
  await waitFor(() => expect(status()).toBe("idle"));
  expect(screen.getByTestId("stop-button")).toBeDisabled();
  expect(screen.getAllByTestId("message-assistant")).toHaveLength(1);
  // Markdown: the bold part is rendered as bold once the renderer chunk has loaded.
  await waitFor(() => expect(screen.getByText("world")).toHaveAttribute("data-streamdown", "strong"));
});

test("shows a tool card with live progress and the result", async () => {
  const { server, human } = await startChat();
  const call = { id: "call-1", name: "analyze_dataset", args: { name: "用户数据" } };
  act(() => {
    server.lifecycle("running");
    server.setValues([human, { type: "ai", id: "ai-1", content: "", tool_calls: [call] }]);
    server.emit("tools", { event: "tool-started", tool_call_id: "call-1", tool_name: "analyze_dataset", input: call.args });
    server.progress("analyze_dataset", "loading", 20);
  });
  const card = await screen.findByTestId("tool-call");
  expect(card).toHaveTextContent("analyze_dataset");
  expect(card).toHaveTextContent("用户数据");
  expect(card).toHaveAttribute("data-status", "running");
  await waitFor(() => expect(screen.getByTestId("progress")).toHaveAttribute("aria-valuenow", "20"));
  expect(card).toHaveTextContent("loading 20%");
  act(() => server.progress("analyze_dataset", "summarizing", 100));
  await waitFor(() => expect(screen.getByTestId("progress")).toHaveAttribute("aria-valuenow", "100"));
  act(() =>
    server.setValues([
      human,
      { type: "ai", id: "ai-1", content: "", tool_calls: [call] },
      { type: "tool", id: "t-1", tool_call_id: "call-1", content: "9333 rows", name: "analyze_dataset" },
    ]),
  );
  await waitFor(() => expect(card).toHaveAttribute("data-status", "done"));
  expect(screen.getByTestId("tool-result")).toHaveTextContent("9333 rows");
});

test("Stop cancels the run, keeps the partial answer and marks it stopped", async () => {
  const { server, api, human } = await startChat();
  act(() => {
    server.lifecycle("running");
    server.setValues([human]);
    server.startMessage("ai-1");
    server.token("partial answ");
  });
  await waitFor(() => expect(screen.getByTestId("message-assistant")).toHaveTextContent("partial answ"));
  await userEvent.click(screen.getByTestId("stop-button"));
  await waitFor(() => expect(status()).toBe("stopped"));
  expect(api.cancelCalls).toEqual([server.threadId]);
  expect(screen.getByTestId("message-assistant")).toHaveTextContent("partial answ");
  expect(screen.getByTestId("stopped-note")).toBeInTheDocument();
  expect(screen.getByTestId("stop-button")).toBeDisabled();
});

test("a failed run shows the error banner and keeps what was shown", async () => {
  const { server, human } = await startChat();
  act(() => {
    server.lifecycle("running");
    server.setValues([human]);
    server.startMessage("ai-1");
    server.token("so far");
  });
  await waitFor(() => expect(screen.getByTestId("message-assistant")).toHaveTextContent("so far"));
  act(() => server.lifecycle("failed", "ModelError: provider unavailable"));
  const banner = await screen.findByTestId("error-banner");
  expect(banner).toHaveTextContent("provider unavailable");
  expect(status()).toBe("error");
  expect(screen.getByTestId("message-user")).toHaveTextContent("分析用户数据");
  expect(screen.getByTestId("message-assistant")).toHaveTextContent("so far");

  await userEvent.click(screen.getByRole("button", { name: "Retry" }));
  await waitFor(() => expect(server.runStarts).toHaveLength(2));
  expect(JSON.stringify(server.runStarts[1]!.params)).toContain("分析用户数据");
});

test("a busy thread (409) is explained in the banner", async () => {
  const server = new FakeServer();
  server.rejectNextRun = Object.assign(new Error("HTTP 409: Thread is busy"), { status: 409 });
  render(<App config={CONFIG} connection={{ transport: server, apiUrl: "x" }} api={fakeApi()} />);
  await userEvent.type(await screen.findByTestId("message-input"), "hi{Enter}");
  const banner = await screen.findByTestId("error-banner");
  expect(banner).toHaveTextContent("busy with another run");
  expect(status()).toBe("error");
});

test("a failure the hook missed is still reported, from the run's outcome on the server", async () => {
  const server = new FakeServer();
  const api = {
    ...fakeApi(server),
    runStatus: async () => "error",
    runError: async () => "ValueError: no such model",
  };
  render(<App config={CONFIG} connection={{ transport: server, apiUrl: "x" }} api={api} />);
  await userEvent.type(await screen.findByTestId("message-input"), "hi{Enter}");
  await waitFor(() => expect(server.runStarts).toHaveLength(1));
  act(() => {
    server.lifecycle("running");
    server.lifecycle("completed");
  });
  const banner = await screen.findByTestId("error-banner");
  expect(banner).toHaveTextContent("The run failed: ValueError: no such model");
});
