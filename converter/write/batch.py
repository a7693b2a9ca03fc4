"""Run one job per file, in this process or in a process pool, with results in input order.

Results come back in the order of the input files whatever order the workers finish in, so a
report is the same for ``-j 1`` and ``-j 8``. A job that raises, or a worker process that dies,
gives an error outcome for its files, and a job that runs past its time budget an error outcome
for its file; the batch itself only raises on Ctrl-C, which only the calling process receives:
workers ignore SIGINT and are terminated, so the first Ctrl-C stops the whole run at once.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from seq2tfdata.model import ClassFinding
from seq2tfdata.write.limits import OverBudget, raise_if_interrupted, time_budget

OptionsT = TypeVar("OptionsT")
ProgressCallback = Callable[[int, int], None]

# Windows cannot wait on more handles than this (black caps its pool the same way).
_WINDOWS_MAX_WORKERS = 61
# About this many chunks per worker: few enough to keep pickling overhead low, enough that a
# worker stuck on one huge file does not leave the others idle.
_CHUNKS_PER_WORKER = 4
_MAX_CHUNK = 16


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file. ``error`` set means it failed; ``skipped`` gives the reason
    it was not converted (for example the text prefilter); ``diff`` is for ``--diff`` runs."""

    path: Path
    changed: bool = False
    findings: tuple[ClassFinding, ...] = ()
    error: str | None = None
    skipped: str | None = None
    diff: str = ""
    detail: str = ""  # a traceback, when the job itself crashed
    notes: tuple[str, ...] = ()  # call-site fixes made, or why one was not
    over_limit: bool = False  # skipped for its size or its time, so later passes skip it too

    @classmethod
    def from_exception(cls, path: Path, error: BaseException) -> FileOutcome:
        detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return cls(path, error=f"internal error: {type(error).__name__}: {error}", detail=detail)

    @classmethod
    def over_budget(cls, path: Path, seconds: float) -> FileOutcome:
        message = f"{path.as_posix()}: took longer than {seconds:g} s; skipped (raise the budget with --timeout)"
        return cls(path, error=message, over_limit=True)


Job = Callable[[Path, OptionsT], FileOutcome]


def run_batch(
    job: Job[OptionsT],
    paths: Sequence[Path],
    options: OptionsT,
    *,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
) -> list[FileOutcome]:
    """Run ``job(path, options)`` for every path; outcome ``i`` belongs to ``paths[i]``.

    ``job`` must be a module-level function and ``options`` picklable when ``jobs != 1``.
    ``jobs`` defaults to the number of CPUs. ``timeout`` is each file's budget in seconds (None:
    none); a job past it is stopped and reported, unless it already began writing.
    """
    workers = _worker_count(jobs, len(paths))
    if workers > 1:
        try:
            executor = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
        except (OSError, NotImplementedError):  # no working multiprocessing here
            workers = 1
    if workers <= 1:
        return _run_in_process(job, paths, options, on_progress, timeout)
    try:
        with executor:
            return _run_in_pool(executor, workers, _Work(job, options, timeout), paths, on_progress)
    except KeyboardInterrupt:
        # Also a Ctrl-C while the pool shuts down after the last file: an interrupted shutdown
        # leaves idle workers behind that the interpreter's exit would wait for forever.
        _stop_workers(executor)
        raise


def _worker_count(jobs: int | None, file_count: int) -> int:
    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    if sys.platform == "win32":
        workers = min(workers, _WINDOWS_MAX_WORKERS)
    return max(1, min(workers, file_count))


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what it means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@dataclass(frozen=True)
class _Work:
    job: Job
    options: object
    timeout: float | None


def _run_in_process(
    job: Job[OptionsT],
    paths: Sequence[Path],
    options: OptionsT,
    on_progress: ProgressCallback | None,
    timeout: float | None,
) -> list[FileOutcome]:
    outcomes = []
    for path in paths:
        outcomes.append(_run_one(job, path, options, timeout))
        if on_progress:
            on_progress(len(outcomes), len(paths))
    return outcomes


def _run_in_pool(
    executor: ProcessPoolExecutor,
    workers: int,
    work: _Work,
    paths: Sequence[Path],
    on_progress: ProgressCallback | None,
) -> list[FileOutcome]:
    size = max(1, min(_MAX_CHUNK, math.ceil(len(paths) / (workers * _CHUNKS_PER_WORKER))))
    chunks = [list(paths[start : start + size]) for start in range(0, len(paths), size)]
    futures: dict[Future[list[FileOutcome]], int] = {}
    try:
        for number, chunk in enumerate(chunks):
            futures[executor.submit(_run_chunk, work, chunk)] = number
        results: list[list[FileOutcome] | None] = [None] * len(chunks)
        done = 0
        for future in as_completed(futures):
            number = futures[future]
            try:
                results[number] = future.result()
            except Exception as error:  # the worker died, or the job could not be pickled
                failed = [FileOutcome.from_exception(path, error) for path in chunks[number]]
                results[number] = failed
            raise_if_interrupted()
            done += len(chunks[number])
            if on_progress:
                on_progress(done, len(paths))
    except KeyboardInterrupt:
        _stop_workers(executor)
        raise
    return [outcome for chunk_results in results for outcome in chunk_results or ()]


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started and terminate the workers: waiting for their current files
    could take minutes. A worker in the middle of a non-atomic write finishes it first
    (``limits.signals_deferred``); an atomic one leaves at most a temp file, removed later."""
    # ``_processes`` is private, but the executor has no public way to stop running work. It
    # must be read before ``shutdown``, which drops it.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


def _run_chunk(work: _Work, paths: list[Path]) -> list[FileOutcome]:
    return [_run_one(work.job, path, work.options, work.timeout) for path in paths]


def _run_one(job: Job[OptionsT], path: Path, options: OptionsT, timeout: float | None) -> FileOutcome:
    try:
        with time_budget(timeout) as budget:
            try:
                outcome = job(path, options)
            except Exception as error:
                outcome = FileOutcome.from_exception(path, error)
            if budget is not None and budget.expired:
                # The alarm's exception was lost or turned into an error result on the way.
                raise OverBudget(budget.seconds)
    except OverBudget as over:
        outcome = FileOutcome.over_budget(path, over.seconds)
    # Likewise for a Ctrl-C: whatever the job made of it, the run stops here.
    raise_if_interrupted()
    return outcome


ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")


def map_in_order(
    function: Callable[[ItemT], ResultT], items: Sequence[ItemT], *, jobs: int | None = None
) -> list[ResultT]:
    """``[function(item) for item in items]``, in ``jobs`` processes when that is worth it.

    For cheap pure functions (the pre-pass summaries): ``function`` must not raise, and a dead
    worker makes the whole map fall back to running here. Ctrl-C stops it as :func:`run_batch`.
    """
    workers = _worker_count(jobs, len(items) // _MIN_ITEMS_PER_WORKER)
    if workers <= 1:
        return _map_here(function, items)
    size = max(1, math.ceil(len(items) / (workers * _CHUNKS_PER_WORKER)))
    chunks = [list(items[start : start + size]) for start in range(0, len(items), size)]
    try:
        executor = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    except (OSError, NotImplementedError):
        return _map_here(function, items)
    try:
        with executor:
            try:
                mapped = executor.map(_map_chunk, [function] * len(chunks), chunks)
                return [result for chunk in mapped for result in chunk]
            except KeyboardInterrupt:
                raise
            except Exception:  # noqa: BLE001 - a worker died or could not pickle: do it here
                return _map_here(function, items)
    except KeyboardInterrupt:
        _stop_workers(executor)  # also when Ctrl-C lands in the pool's shutdown
        raise


# Starting a worker and sending it the texts costs about as much as summarising this many
# files with ``ast`` (measured by bench/repo_scale.py on 2 cores).
_MIN_ITEMS_PER_WORKER = 200


def _map_here(function: Callable[[ItemT], ResultT], items: Sequence[ItemT]) -> list[ResultT]:
    results = []
    for item in items:
        results.append(function(item))
        raise_if_interrupted()
    return results


def _map_chunk(function: Callable[[ItemT], ResultT], chunk: list[ItemT]) -> list[ResultT]:
    return [function(item) for item in chunk]
