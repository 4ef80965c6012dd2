"""Progress for long work: a rich bar on a terminal, periodic plain lines otherwise, none
with ``--quiet``. Failures are printed as one ``briefkit: error:`` line each in every mode
(above the bar on a terminal)."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any, Literal, TextIO

Mode = Literal["rich", "plain", "none"]
PLAIN_EVERY = 10.0
"""Seconds between plain progress lines."""


def choose_mode(quiet: bool, stream: TextIO | None = None) -> Mode:
    """``none`` with --quiet, ``rich`` when the stream is a terminal, else ``plain``."""
    if quiet:
        return "none"
    stream = stream or sys.stderr
    return "rich" if stream.isatty() else "plain"


class Progress:
    """Counts work items as they finish and shows it in the chosen mode."""

    def __init__(self, label: str, mode: Mode, stream: TextIO | None = None) -> None:
        self.label, self.mode = label, mode
        self.stream = stream or sys.stderr
        self.done = self.failed = 0
        self.total = 0
        self.started = time.monotonic()
        self._last_line = self.started
        self._rich: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.mode == "rich":
            # Imported here: rich costs ~40 ms of start-up; only this path needs it.
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            # Imported here: rich costs ~40 ms of start-up; only this path needs it.
            from rich.progress import Progress as RichProgress

            self._rich = RichProgress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[failures]}"),
                console=Console(file=self.stream),
                transient=False,
            )
            self._rich.__enter__()
            self._task = self._rich.add_task(self.label, total=None, rate="", failures="")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._rich.__exit__(kind, value, traceback)

    def rate(self) -> float:
        """Items per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, total: int, failed: bool = False, message: str = "") -> None:
        """One more item finished (``message``: its error line, when it failed)."""
        self.total = total
        self.done += 1
        self.failed += int(failed)
        if failed and message:
            self.error(message)
        if self._rich is not None:
            failures = f"[red]{self.failed} failed" if self.failed else ""
            self._rich.update(
                self._task,
                total=total,
                completed=self.done,
                rate=f"{self.rate():.1f}/s",
                failures=failures,
            )
        elif self.mode == "plain" and time.monotonic() - self._last_line >= PLAIN_EVERY:
            self._line()

    def error(self, message: str) -> None:
        """One error line, shown in every mode."""
        line = f"briefkit: error: {message}"
        if self._rich is not None:
            self._rich.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def _line(self) -> None:
        self._last_line = time.monotonic()
        failed = f", {self.failed} failed" if self.failed else ""
        print(
            f"briefkit: {self.label}: {self.done}/{self.total} done{failed}, "
            f"{self.rate():.1f} files/s",
            file=self.stream,
            flush=True,
        )


class Stages:
    """Progress of one long conversion on a terminal: a bar while inputs are read, then a
    spinner while the document is laid out and written. Nothing when piped or quiet."""

    def __init__(self, mode: Mode, output: str, stream: TextIO | None = None) -> None:
        self.enabled = mode == "rich"
        self.output = output
        self.stream = stream or sys.stderr
        self._bar: Any = None
        self._task: Any = None

    def read(self, done: int, total: int) -> None:
        """An input was read."""
        if not self.enabled or total < 2:
            return
        if self._bar is None:
            # Imported here: rich costs ~40 ms of start-up; only this path needs it.
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("reading", total=total)
        self._bar.update(self._task, completed=done)
        if done == total:
            self._bar.update(self._task, description=f"writing {self.output}", total=None)

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
