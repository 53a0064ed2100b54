import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "./App";
import { FakeServer, fakeApi } from "./test/fakeServer";

const CONFIG = { apiUrl: "http://fake", assistantId: "agent", runContext: {} };

function renderApp() {
  const api = { ...fakeApi(), listThreads: vi.fn(async () => []) };
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
