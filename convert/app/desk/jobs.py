"""Long work off the event loop: reading sources in threads, building in a worker process.

A job has a kind, a state and a progress count the page polls; its result is an edit the
desk applies when it is done (new cards, a built briefing) and a message for the page.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ...model.errors import BriefkitError

KEEP_FINISHED = 50
"""Finished jobs kept per briefing for the page to show."""


@dataclasses.dataclass
class Job:
    """One piece of long work for one briefing."""

    id: int
    briefing: str
    label: str
    state: str = "queued"
    """queued, running, done or failed."""
    done: int = 0
    total: int = 0
    message: str = ""
    started: float = dataclasses.field(default_factory=time.monotonic)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "message": self.message,
        }


class Progress:
    """What a running job's code sees: counts and a note, set from its thread."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def total(self, count: int) -> None:
        self.job.total = count

    def advance(self, note: str = "") -> None:
        self.job.done += 1
        if note:
            self.job.message = note


def _watch_parent() -> None:
    """In the worker process: end when the desk's process is gone (a worker left behind
    would hold the terminal and the files it had open)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def build_in_worker(manifest: str, images: str) -> tuple[dict[str, str], list[str]]:
    """``briefkit build`` of ``manifest`` (in the worker process): outputs and warnings."""
    from ..briefing import build, load_manifest

    warnings: list[str] = []
    _, written = build(load_manifest(Path(manifest)), None, warnings.append, images)
    return {fmt: str(path) for fmt, path in written.items()}, warnings


class Jobs:
    """Every job of the desk, and the pools that run them."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.jobs: dict[int, Job] = {}
        self.threads: Executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="desk")
        self._builder: ProcessPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def builder(self) -> Executor:
        """One worker process for builds (spawned: no fork of a threaded server)."""
        if self._builder is None:
            self._builder = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_watch_parent,
            )
        return self._builder

    def of(self, briefing: str) -> list[Job]:
        with self._lock:
            return [job for job in self.jobs.values() if job.briefing == briefing]

    def start(
        self,
        briefing: str,
        label: str,
        work: Callable[[Progress], Any],
        finish: Callable[[Any], str],
        *,
        in_process: bool = False,
        process_args: tuple[Any, ...] = (),
    ) -> Job:
        """Run ``work`` (in a thread, or ``build_in_worker(*process_args)`` in the worker
        process when ``in_process``); ``finish`` turns its result into the job's message."""
        job = self._new(briefing, label)
        loop = asyncio.get_running_loop()

        async def run() -> None:
            job.state = "running"
            try:
                if in_process:
                    result = await loop.run_in_executor(
                        self.builder, build_in_worker, *process_args
                    )
                else:
                    result = await loop.run_in_executor(self.threads, work, Progress(job))
                job.message = await loop.run_in_executor(self.threads, finish, result)
                job.state = "done"
            except BriefkitError as exc:
                job.state, job.message = "failed", " ".join(str(exc).split())
            except Exception as exc:  # shown on the page, never a traceback
                job.state = "failed"
                text = " ".join(str(exc).split())[:200]
                job.message = f"internal error: {type(exc).__name__}: {text}"
            with self._lock:
                self._forget_old(briefing)

        task = loop.create_task(run())
        self._tasks.add(task)  # kept until done: the loop holds only weak references
        task.add_done_callback(self._tasks.discard)
        return job

    def record(self, briefing: str, label: str, message: str) -> Job:
        """A job done already (work the request itself did): its message for the page."""
        return self._new(briefing, label, state="done", message=message)

    def _new(self, briefing: str, label: str, **fields: Any) -> Job:
        """A job of ``briefing``, listed; its finished ones beyond the last ``KEEP_FINISHED`` go."""
        with self._lock:
            job = Job(next(self._ids), briefing, label, **fields)
            self.jobs[job.id] = job
            self._forget_old(briefing)
        return job

    def _forget_old(self, briefing: str) -> None:
        finished = [
            j.id
            for j in self.jobs.values()
            if j.briefing == briefing and j.state in ("done", "failed")
        ]
        for job_id in finished[:-KEEP_FINISHED]:
            del self.jobs[job_id]

    def shutdown(self) -> None:
        self.threads.shutdown(wait=False, cancel_futures=True)
        if self._builder is not None:
            self._builder.shutdown(wait=False, cancel_futures=True)
