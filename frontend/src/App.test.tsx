import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "./App";
import { FakeServer, fakeApi } from "./test/fakeServer";

const CONFIG = { apiUrl: "http://fake", assistantId: "agent", runContext: {} };

function renderApp() {
  const api = { ...fakeApi(), listThreads: vi.fn(async () => ({ threads: [], hasMore: false })) };
  render(<App config={CONFIG} connection={{ transport: new FakeServer(), apiUrl: CONFIG.apiUrl }} api={api} />);
  return api;
}

afterEach(() => window.history.replaceState(null, "", "/"));

test("the view switch opens the direct view and records it in the URL", async () => {
  renderApp();
  expect(screen.getByTestId("view-runs")).toHaveAttribute("aria-pressed", "true");
  expect(await screen.findByTestId("new-chat")).toBeInTheDocument();

  await userEvent.click(screen.getByTestId("view-direct"));
  expect(new URLSearchParams(window.location.search).get("view")).toBe("direct");
  expect(screen.getByTestId("view-direct")).toHaveAttribute("aria-pressed", "true");
  expect(await screen.findByText(/Each question is answered on its own/)).toBeInTheDocument();
  expect(screen.queryByTestId("new-chat")).not.toBeInTheDocument();

  // Back: the Runs API view again.
  act(() => {
    window.history.replaceState(null, "", "/");
    window.dispatchEvent(new PopStateEvent("popstate"));
  });
  expect(screen.getByTestId("view-runs")).toHaveAttribute("aria-pressed", "true");
  expect(await screen.findByTestId("new-chat")).toBeInTheDocument();
});

test("?view=direct opens the direct view on load, without listing threads", async () => {
  window.history.replaceState(null, "", "/?view=direct");
  const api = renderApp();
  expect(await screen.findByText(/Each question is answered on its own/)).toBeInTheDocument();
  expect(screen.getByTestId("message-input")).toBeInTheDocument();
  expect(api.listThreads).not.toHaveBeenCalled();
});

test("the approval setting is kept in ?context= and sent as the run's context", async () => {
  window.history.replaceState(null, "", "/?context=%7B%22tool_step_delay%22%3A1%7D");
  const server = new FakeServer();
  render(<App connection={{ transport: server, apiUrl: "http://fake" }} api={fakeApi(server)} />);
  const context = () => JSON.parse(new URLSearchParams(window.location.search).get("context") ?? "{}") as unknown;
  await userEvent.click(screen.getByTestId("approval-toggle"));
  expect(screen.getByTestId("approval-toggle")).toHaveTextContent("Approval: off");

  await userEvent.click(screen.getByTestId("approve-get_weather"));
  expect(context()).toEqual({ tool_step_delay: 1, approve_tools: ["get_weather"] });
  await userEvent.click(screen.getByTestId("approve-all"));
  expect(context()).toEqual({ tool_step_delay: 1, approve_tools: ["get_weather", "*"] });
  expect(screen.getByTestId("approve-analyze_dataset")).toBeChecked();
  expect(screen.getByTestId("approve-analyze_dataset")).toBeDisabled();
  expect(screen.getByTestId("approval-toggle")).toHaveTextContent("Approval: all");
  // "All" off again: the tools chosen one by one are back.
  await userEvent.click(screen.getByTestId("approve-all"));
  expect(context()).toEqual({ tool_step_delay: 1, approve_tools: ["get_weather"] });

  await userEvent.type(await screen.findByTestId("message-input"), "北京天气如何？{Enter}");
  await waitFor(() => expect(server.runStarts).toHaveLength(1));
  expect(server.runStarts[0]!.params).toMatchObject({
    config: { configurable: { tool_step_delay: 1, approve_tools: ["get_weather"] } },
  });
  await userEvent.click(screen.getByTestId("approve-get_weather"));
  expect(context()).toEqual({ tool_step_delay: 1 });
});
