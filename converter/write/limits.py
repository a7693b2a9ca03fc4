"""Signals during a run: Ctrl-C always stops it, each file gets a time budget, and a write that is
not atomic is never cut in half.

Python delivers a signal as an exception raised wherever the main thread happens to be. Where that
is inside a ``finally`` block that fails in turn (libcst's position bookkeeping does, with a
KeyError about the node it was writing) or inside a finalizer (whose exceptions Python only
prints), the exception is lost or replaced, and the converter's own ``except Exception`` guards
then report an ordinary error and carry on. So the handlers here also *record* that the signal
came, and whoever runs the jobs checks that record after each file, whatever the file's outcome.

Only the main thread can receive signals; elsewhere (and where ``setitimer`` does not exist, as
on Windows) these helpers do nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# After the deadline the alarm repeats this often, until one lands where its exception is not lost.
_REALARM_SECONDS = 0.25

_interrupted = False


class OverBudget(BaseException):
    """Raised in a job whose time is up. A BaseException, as KeyboardInterrupt is, so that the
    converter's ``except Exception`` guards, which turn a crash into an error result, let it pass."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stop_on_interrupt() -> Iterator[None]:
    """Within the block, Ctrl-C raises KeyboardInterrupt as usual and is also remembered, for
    :func:`raise_if_interrupted`. The CLI's handler: installed only over Python's default one, so
    a run started with SIGINT ignored (``nohup``) keeps ignoring it."""
    global _interrupted
    _interrupted = False
    if not _in_main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _on_interrupt(signum: int, frame: object) -> None:
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    """Raise KeyboardInterrupt if a Ctrl-C arrived under :func:`stop_on_interrupt`, even one whose
    exception library code lost or turned into another error."""
    if _interrupted:
        raise KeyboardInterrupt


@dataclass
class Budget:
    seconds: float
    armed: bool = True
    expired: bool = False  # the alarm went off, whether or not its exception got through


_budget: Budget | None = None


@contextmanager
def time_budget(seconds: float | None) -> Iterator[Budget | None]:
    """Raise :class:`OverBudget` in the block once ``seconds`` have passed (None or 0: no limit).

    Yields the :class:`Budget`, or None where no alarm can be set (or one is already running).
    The caller should treat ``budget.expired`` as over budget even when the block ended normally.
    """
    global _budget
    unavailable = not hasattr(signal, "setitimer") or not _in_main_thread() or _budget is not None
    if not seconds or unavailable:
        yield None
        return
    budget = Budget(seconds)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _budget = budget
    signal.setitimer(signal.ITIMER_REAL, seconds, _REALARM_SECONDS)
    try:
        yield budget
    finally:
        budget.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _budget = None


def _on_alarm(signum: int, frame: object) -> None:
    budget = _budget
    if budget is not None and budget.armed:
        budget.expired = True
        raise OverBudget(budget.seconds)


def end_budget() -> None:
    """The job's work is done and its side effects begin (a write): from here on its budget can no
    longer interrupt it. Raises :class:`OverBudget` if the budget ran out already."""
    budget = _budget
    if budget is None:
        return
    budget.armed = False
    if budget.expired:
        raise OverBudget(budget.seconds)


_DEFERRED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM that arrive inside the block take effect when it ends, as they would
    have (handler called, or the default action); for a write that must not stop half way."""
    if not _in_main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {}
    for number in _DEFERRED_SIGNALS:
        current = signal.getsignal(number)
        if current is signal.SIG_DFL or callable(current):
            previous[number] = signal.signal(number, lambda signum, frame: arrived.append(signum))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    for number in dict.fromkeys(arrived):
        handler = previous[number]
        if callable(handler):
            handler(number, None)
        else:  # the default action, now that the default disposition is back
            signal.raise_signal(number)
