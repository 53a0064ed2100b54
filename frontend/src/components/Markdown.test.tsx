import { render, screen } from "@testing-library/react";
import Markdown from "./Markdown";

test("renders lists and fenced code", () => {
  const { container } = render(
    <Markdown text={"Steps:\n\n- load\n- clean\n\n```python\nprint('hi')\n```\n"} streaming={false} />,
  );
  expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["load", "clean"]);
  expect(container.querySelector("pre, [data-streamdown='code-block']")).toHaveTextContent("print('hi')");
});

test("a half-written code fence mid-stream still shows its code", () => {
  const { container } = render(<Markdown text={"Here:\n\n```python\nprint("} streaming />);
  expect(container).toHaveTextContent("print(");
  expect(container.textContent).not.toContain("```");
});
