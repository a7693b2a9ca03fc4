"""Checking inputs in worker processes, each under a time limit.

A conversion that hangs, or one that takes the interpreter down (a C stack overflow in a parser,
a SIGSEGV), must count as a failure of that input, not end the run: each input runs in a worker
process, and the parent replaces a worker that overran (``timeout``) or died (``crash``).
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Iterator
from multiprocessing.connection import wait

from tests.fuzz.properties import Failure, check

# Fork would copy whatever the parent holds (pytest may have imported TensorFlow and its threads).
_CONTEXT = multiprocessing.get_context("spawn")


def _serve(connection) -> None:
    try:
        while True:
            connection.send(check(connection.recv()))
    except (EOFError, BrokenPipeError):
        return  # the parent is gone


class _Worker:
    def __init__(self) -> None:
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.deadline = 0.0

    def submit(self, index: int, text: str, timeout: float) -> None:
        self.index, self.deadline = index, time.monotonic() + timeout
        self.connection.send(text)

    def receive(self) -> list[Failure]:
        try:
            return self.connection.recv()
        except (EOFError, ConnectionError):
            self.process.join(5)
            return [Failure("crash", f"the worker died ({_describe_exit(self.process.exitcode)})")]

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


class CheckPool:
    """``jobs`` workers, kept across calls (a spawned worker takes a second to import libcst)."""

    def __init__(self, jobs: int, timeout: float) -> None:
        self.jobs, self.timeout = max(1, jobs), timeout
        self.workers: list[_Worker] = []

    def __enter__(self) -> CheckPool:
        self.workers = [_Worker() for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc_info) -> None:
        for worker in self.workers:
            worker.stop()

    def check_all(self, texts: list[str]) -> Iterator[tuple[int, list[Failure]]]:
        """``(index, failures)`` for every text, in the order they finish."""
        queue = list(enumerate(texts))[::-1]
        while queue or self._busy():
            for worker in self.workers:
                if worker.index is None and queue:
                    worker.submit(*queue.pop(), self.timeout)
            soonest = min(w.deadline for w in self._busy()) - time.monotonic()
            ready = wait([w.connection for w in self._busy()], timeout=max(0.0, soonest))
            for position, worker in enumerate(self.workers):
                if worker.index is None:
                    continue
                if worker.connection in ready:
                    failures = worker.receive()
                elif time.monotonic() >= worker.deadline:
                    failures = [Failure("timeout", f"no result within {self.timeout:g} s")]
                else:
                    continue
                index, worker.index = worker.index, None
                if failures and failures[0].kind in ("crash", "timeout"):
                    worker.stop()
                    self.workers[position] = _Worker()
                yield index, failures

    def check_each(self, texts: list[str]) -> list[list[Failure]]:
        """The failures of every text, in the order of ``texts``."""
        results: list[list[Failure]] = [[] for _ in texts]
        for index, failures in self.check_all(texts):
            results[index] = failures
        return results

    def _busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.index is not None]
