import { render, screen } from "@testing-library/react";
import { vi } from "vitest";
import { App } from "../App";
import { FakeServer, fakeApi } from "../test/fakeServer";

const loaded = vi.hoisted(() => vi.fn());
vi.mock("./Markdown", () => {
  loaded();
  return { default: ({ text }: { text: string }) => <div data-testid="rendered">{text}</div> };
});

// One view per file: the chunk loads once per module registry (the direct view's chunk is
// preloaded the same way, in App.tsx).
test("opening the chat view loads the Markdown chunk beside it, before any answer", async () => {
  expect(loaded).not.toHaveBeenCalled();
  const server = new FakeServer();
  render(<App connection={{ transport: server, apiUrl: "http://fake" }} api={fakeApi(server)} />);
  expect(await screen.findByTestId("message-input")).toBeInTheDocument();
  // Loaded by the time one can type, not once the page has gone idle.
  expect(loaded).toHaveBeenCalledTimes(1);
  expect(screen.queryByTestId("message-assistant")).not.toBeInTheDocument();
});
