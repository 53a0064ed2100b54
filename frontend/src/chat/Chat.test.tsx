import { act, render, screen, waitFor, within } from "@testing-library/react";
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

test("a run started elsewhere whose events never reach the page ends from its status on the server", async () => {
  window.history.replaceState(null, "", "/?thread=thread-1");
  const server = new FakeServer();
  server.runs = 1;
  server.runStatus = "running";
  render(<App config={CONFIG} connection={{ transport: server, apiUrl: "x" }} api={fakeApi(server)} />);
  await waitFor(() => expect(status()).toBe("streaming"));
  server.runStatus = "success";
  await waitFor(() => expect(status()).toBe("idle"), { timeout: 5000 });
});

/** A run that pauses before `calls` run, waiting for a decision on each (docs/approval.md). */
async function pauseOn(calls: { id: string; name: string; args: Record<string, unknown> }[]) {
  const chat = await startChat();
  const { server, human } = chat;
  act(() => {
    server.lifecycle("running");
    server.setValues([human, { type: "ai", id: "ai-1", content: "", tool_calls: calls }]);
    server.interrupts = [{
      id: "interrupt-1",
      value: {
        action_requests: calls.map(({ name, args }) => ({ name, args, description: `${name} tool` })),
        review_configs: calls.map(({ name }) => ({ action_name: name, allowed_decisions: ["approve", "edit", "reject"] })),
      },
    }];
    server.lifecycle("completed");
  });
  await screen.findByTestId("approval-card");
  return chat;
}

/** What the latest `respond()` sent: the interrupt it answers and the decisions. */
const resumed = (server: FakeServer) => server.responds[server.responds.length - 1]!.params as {
  interrupt_id: string;
  response: unknown;
  config?: unknown;
};

test("a paused run shows an approval card and waits: not stopped, its call waiting", async () => {
  const { server } = await pauseOn([{ id: "call-1", name: "get_weather", args: { city: "北京" } }]);
  expect(status()).toBe("paused");
  expect(screen.getByTestId("status")).toHaveTextContent("Waiting for your approval");
  expect(screen.queryByTestId("stopped-note")).not.toBeInTheDocument();
  expect(screen.getByTestId("tool-call")).toHaveAttribute("data-status", "waiting");
  expect(screen.getByTestId("approval-card")).toHaveTextContent("get_weather");
  expect(screen.getByTestId("approval-args")).toHaveValue('{\n  "city": "北京"\n}');
  expect(screen.getByTestId("stop-button")).toBeEnabled();

  await userEvent.click(screen.getByTestId("approve-button"));
  await waitFor(() => expect(server.responds).toHaveLength(1));
  expect(server.runStarts).toHaveLength(1);
  expect(resumed(server)).toMatchObject({
    interrupt_id: "interrupt-1",
    response: { decisions: [{ type: "approve" }] },
    config: { configurable: { tool_step_delay: 0.1 } },
  });
  expect(screen.queryByTestId("approval-card")).not.toBeInTheDocument();
  expect(status()).toBe("streaming");
  act(() => {
    server.lifecycle("running");
    server.interrupts = [];
    server.lifecycle("completed");
  });
  await waitFor(() => expect(status()).toBe("idle"));
});

test("a new message on a paused thread is a new run: the pending call is cancelled", async () => {
  const { server } = await pauseOn([{ id: "call-1", name: "get_weather", args: { city: "北京" } }]);
  await userEvent.type(screen.getByTestId("message-input"), "count to 2{Enter}");
  await waitFor(() => expect(server.runStarts).toHaveLength(2));
  expect(JSON.stringify(server.runStarts[1]!.params)).toContain("count to 2");
  expect(server.responds).toHaveLength(0);
  expect(screen.queryByTestId("approval-card")).not.toBeInTheDocument();
  await waitFor(() => expect(screen.getByTestId("tool-call")).toHaveAttribute("data-status", "cancelled"));
  expect(status()).toBe("streaming");
});

test("Stop on a paused thread ends the wait: the call is cancelled and the thread stopped", async () => {
  const { server, api } = await pauseOn([{ id: "call-1", name: "get_weather", args: { city: "北京" } }]);
  await userEvent.click(screen.getByTestId("stop-button"));
  await waitFor(() => expect(status()).toBe("stopped"));
  expect(api.cancelCalls).toEqual([`pending:${server.threadId}`]);
  expect(screen.queryByTestId("approval-card")).not.toBeInTheDocument();
  expect(screen.getByTestId("tool-call")).toHaveAttribute("data-status", "cancelled");
  expect(screen.getByTestId("stop-button")).toBeDisabled();
  expect(screen.getByTestId("message-input")).toHaveFocus();
});

test("edited arguments are sent only as a JSON object; a bad edit says why and sends nothing", async () => {
  const { server } = await pauseOn([{ id: "call-1", name: "get_weather", args: { city: "北京" } }]);
  const card = within(screen.getByTestId("approval-card"));
  const args = card.getByTestId("approval-args");
  expect(card.getByTestId("edit-button")).toBeDisabled();
  await userEvent.clear(args);
  await userEvent.type(args, '{{"city": "上海"');
  expect(card.getByTestId("approve-button")).toBeDisabled();
  await userEvent.click(card.getByTestId("edit-button"));
  expect(card.getByTestId("approval-error")).toHaveTextContent("Not valid JSON");
  expect(args).toHaveAttribute("aria-invalid", "true");
  expect(server.responds).toHaveLength(0);

  await userEvent.type(args, "}");
  await userEvent.click(card.getByTestId("edit-button"));
  await waitFor(() => expect(server.responds).toHaveLength(1));
  // The SDK adds a camelCase `editedAction` beside it; the server reads `edited_action`.
  expect(resumed(server).response).toMatchObject({
    decisions: [{ type: "edit", edited_action: { name: "get_weather", args: { city: "上海" } } }],
  });
});

test("with several calls, each gets a decision (changeable) and all are sent at once, in order", async () => {
  const { server } = await pauseOn([
    { id: "call-1", name: "get_weather", args: { city: "北京" } },
    { id: "call-2", name: "get_weather", args: { city: "上海" } },
  ]);
  expect(screen.getAllByTestId("tool-call").map((card) => card.dataset.status)).toEqual(["waiting", "waiting"]);
  const [first, second] = screen.getAllByTestId("approval-action");
  await userEvent.click(within(first!).getByTestId("reject-button"));
  expect(first).toHaveTextContent("Rejected");
  await userEvent.click(within(first!).getByTestId("change-decision"));
  await userEvent.type(within(first!).getByTestId("reject-reason"), "not Beijing");
  await userEvent.click(within(first!).getByTestId("reject-button"));
  expect(first).toHaveTextContent("Rejected: not Beijing");
  expect(server.responds).toHaveLength(0);

  await userEvent.click(within(second!).getByTestId("approve-button"));
  await waitFor(() => expect(server.responds).toHaveLength(1));
  expect(resumed(server).response).toEqual({
    decisions: [{ type: "reject", message: "not Beijing" }, { type: "approve" }],
  });
});

test("a decision the server refuses (422) says why, and the thread still waits with its card", async () => {
  const { server } = await pauseOn([{ id: "call-1", name: "get_weather", args: { city: "北京" } }]);
  // What the SDK throws for a command the server answered with an error (ProtocolError).
  server.rejectNextRun = Object.assign(
    new Error("422: This thread is not waiting for a decision: nothing to resume."),
    { name: "ProtocolError", code: "unknown_error" },
  );
  await userEvent.click(screen.getByTestId("approve-button"));
  const banner = await screen.findByTestId("error-banner");
  expect(banner).toHaveTextContent("The server did not accept this: This thread is not waiting for a decision");
  expect(await screen.findByTestId("approval-card")).toBeInTheDocument();
  expect(screen.getByTestId("tool-call")).toHaveAttribute("data-status", "waiting");
});
