"""Events -> terminal. Human mode: streamed answer, dim step lines, a progress bar per running
tool. JSON mode: one object per event on stdout and nothing else there."""

from __future__ import annotations

import json
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn
from rich.text import Text

from contract import typed as ev
from contract.events import progress_owner


class Renderer(Protocol):
    def handle(self, event: ev.Event) -> None: ...

    def close(self) -> None: ...

    def paused(self, thread_id: str) -> None:
        """The run stays paused: nobody gave the decisions it waits for."""


def format_call(name: str, args: dict[str, Any]) -> str:
    """``get_weather(city=北京)``: how a step line shows a tool call."""
    shown = ", ".join(f"{key}={value}" for key, value in args.items())
    return f"{name}({shown})"


class JsonRenderer:
    def __init__(self, out: TextIO, err: Console) -> None:
        self.out = out
        self.err = err

    def handle(self, event: ev.Event) -> None:
        self.out.write(json.dumps(ev.to_dict(event), ensure_ascii=False) + "\n")
        self.out.flush()
        if isinstance(event, ev.Error):
            self.err.print(f"error: {event.message}", markup=False, highlight=False)

    def close(self) -> None:
        pass

    def paused(self, thread_id: str) -> None:
        pass  # the done event said so already


class RichRenderer:
    def __init__(self, console: Console, err: Console) -> None:
        self.console = console
        self.err = err
        self._bars: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._calls: list[tuple[str, str]] = []  # (id, tool) of the calls seen, oldest first
        self._mid_line = False
        self._streamed = False

    def handle(self, event: ev.Event) -> None:
        match event:
            case ev.Token(content=content):
                self._stop_bars()
                self.console.print(content, end="", markup=False, highlight=False)
                self._mid_line = not content.endswith("\n")
                self._streamed = True
            case ev.ToolCall(name=name, args=args, id=call_id):
                self._calls.append((call_id, name))
                self._line(f"[agent] calls {format_call(name, args)}")
            case ev.ToolProgress():
                self._bar(event)
            case ev.ToolResult(content=content):
                self._stop_bars()
                self._line(f"[tools] {content}")
            case ev.Step(node=node) if node not in ("agent", "tools"):
                self._line(f"[{node}]")
            case ev.Interrupt(actions=actions):
                calls = ", ".join(format_call(a.name, a.args) for a in actions)
                self._line(f"[tools] waiting for a decision on {calls}")
            case ev.Retry(attempt=attempt, delay=delay, reason=reason):
                self._note(f"connection lost ({reason}); resuming in {delay:g}s, try {attempt}")
            case ev.Fallback(reason=reason):
                self._note(f"streaming failed ({reason}); waiting for the final answer")
            case ev.Error(message=message):
                self._stop_bars()
                self._end_line()
                self.err.print(f"error: {message}", style="red", markup=False, highlight=False)
            case ev.Done():
                self._done(event)

    def close(self) -> None:
        self._stop_bars()
        self._end_line()

    def _done(self, done: ev.Done) -> None:
        self._stop_bars()
        if done.resynced and done.answer:
            self._end_line()
            if self._streamed:
                self._line("(the streamed answer was incomplete; as saved on the server:)")
            self.console.print(done.answer, markup=False, highlight=False)
        self._end_line()
        if done.paused:  # not over: the prompt for a decision may follow (else ``paused``)
            return
        if done.status != "success":
            self._line(f"run {done.status}")
        self._line(f"thread {done.thread_id}")

    def paused(self, thread_id: str) -> None:
        self._line("run paused")
        self._line(f"thread {thread_id}")

    def _bar(self, event: ev.ToolProgress) -> None:
        if self._bars is None:
            self._end_line()
            self._bars = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[note]}", style="dim"),
                console=self.console,
            )
            self._bars.start()
            self._tasks = {}
        label = f"{event.tool} · {event.phase}" if event.phase else event.tool
        # One bar per call (a tool can run twice at once), by the contract's rule.
        key = progress_owner(ev.to_progress(event), self._calls) or event.tool
        if key not in self._tasks:
            self._tasks[key] = self._bars.add_task(label, total=100, note="")
        self._bars.update(
            self._tasks[key],
            completed=event.progress,
            description=label,
            note=event.message or "",
        )

    def _stop_bars(self) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def _line(self, text: str) -> None:
        self._end_line()
        self.console.print(Text(text, style="dim"))

    def _note(self, text: str) -> None:
        self._stop_bars()
        self._end_line()
        self.err.print(text, style="yellow", markup=False, highlight=False)

    def _end_line(self) -> None:
        if self._mid_line:
            self.console.print()
            self._mid_line = False
