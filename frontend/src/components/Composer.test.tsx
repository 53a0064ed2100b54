import { render, screen } from "@testing-library/react";
import { Composer } from "./Composer";

const noop = () => {};

test("takes focus on mount when nothing else has it", () => {
  render(<Composer streaming={false} onSend={noop} onStop={noop} />);
  expect(screen.getByTestId("message-input")).toHaveFocus();
});

test("does not steal focus from a field the user is typing in", () => {
  render(<input aria-label="other field" />);
  const other = screen.getByLabelText("other field");
  other.focus();
  render(<Composer streaming={false} onSend={noop} onStop={noop} />);
  expect(other).toHaveFocus();
  expect(screen.getByTestId("message-input")).not.toHaveFocus();
});
