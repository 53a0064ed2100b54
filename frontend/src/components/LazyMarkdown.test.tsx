import { render } from "@testing-library/react";
import { vi } from "vitest";
import { MessageList } from "./MessageList";

const loaded = vi.hoisted(() => vi.fn());
vi.mock("./Markdown", () => {
  loaded();
  return { default: ({ text }: { text: string }) => <div data-testid="rendered">{text}</div> };
});

test("the Markdown chunk loads once the page is idle, before any answer needs it", async () => {
  render(<MessageList messages={[]} streaming={false} stoppedMessageId={null} onExample={() => undefined} />);
  expect(loaded).not.toHaveBeenCalled();
  await vi.waitFor(() => expect(loaded).toHaveBeenCalledTimes(1), { timeout: 3000 });
});
