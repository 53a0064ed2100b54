import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ThreadSummary } from "../api";
import { ThreadItem } from "./ThreadItem";

const thread: ThreadSummary = {
  id: "t1",
  title: "北京天气如何？",
  renamed: false,
  status: "done",
  updatedAt: "2026-03-10T15:25:00Z",
};

function renderItem(onRename = vi.fn(async () => undefined), onDelete = vi.fn(async () => undefined)) {
  render(
    <ul>
      <ThreadItem thread={thread} current={false} now={new Date("2026-03-10T15:30:00Z")} onSelect={vi.fn()}
        onRename={onRename} onDelete={onDelete} />
    </ul>,
  );
  return { onRename, onDelete };
}

test("the item says when it was updated, exactly on hover", () => {
  renderItem();
  const time = screen.getByTestId("thread-time");
  expect(time).toHaveTextContent("5 minutes ago");
  expect(time).toHaveAttribute("dateTime", thread.updatedAt);
  expect(time.getAttribute("title")).toMatch(/2026/);
});

test("Enter saves the new title, Esc cancels without asking the server", async () => {
  const { onRename } = renderItem();
  await userEvent.click(screen.getByTestId("thread-rename"));
  await userEvent.type(screen.getByTestId("thread-title-input"), " trip{Escape}");
  expect(screen.queryByTestId("thread-title-input")).not.toBeInTheDocument();
  expect(onRename).not.toHaveBeenCalled();

  await userEvent.click(screen.getByTestId("thread-rename"));
  await userEvent.clear(screen.getByTestId("thread-title-input"));
  await userEvent.type(screen.getByTestId("thread-title-input"), "  Trip  {Enter}");
  expect(onRename).toHaveBeenCalledWith("t1", "Trip");
  await waitFor(() => expect(screen.queryByTestId("thread-title-input")).not.toBeInTheDocument());
});

test("a refused title keeps the box open with the server's reason", async () => {
  renderItem(vi.fn(async () => Promise.reject(new Error("metadata.title is empty: send some text"))));
  await userEvent.click(screen.getByTestId("thread-rename"));
  await userEvent.clear(screen.getByTestId("thread-title-input"));
  await userEvent.type(screen.getByTestId("thread-title-input"), "x{Enter}");
  expect(await screen.findByRole("alert")).toHaveTextContent("metadata.title is empty");
  expect(screen.getByTestId("thread-title-input")).toBeInTheDocument();
});

test("delete asks first; Cancel keeps the thread", async () => {
  const { onDelete } = renderItem();
  await userEvent.click(screen.getByTestId("thread-delete"));
  await userEvent.click(screen.getByTestId("cancel-delete"));
  expect(onDelete).not.toHaveBeenCalled();
  await userEvent.click(screen.getByTestId("thread-delete"));
  await userEvent.click(screen.getByTestId("confirm-delete"));
  expect(onDelete).toHaveBeenCalledWith("t1");
});
