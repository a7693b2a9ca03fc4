"""Run one job per file, in this process or in a process pool, with results in input order.

Results come back in the order of the input files whatever order the workers finish in, so a
report is the same for ``-j 1`` and ``-j 8``. A job that raises, or a worker process that dies,
gives an error outcome for its files; the batch itself only raises on Ctrl-C.
"""

from __future__ import annotations

import math
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from converter.model import ClassFinding

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

    @classmethod
    def from_exception(cls, path: Path, error: BaseException) -> FileOutcome:
        detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return cls(path, error=f"internal error: {type(error).__name__}: {error}", detail=detail)


Job = Callable[[Path, OptionsT], FileOutcome]


def run_batch(
    job: Job[OptionsT],
    paths: Sequence[Path],
    options: OptionsT,
    *,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[FileOutcome]:
    """Run ``job(path, options)`` for every path; outcome ``i`` belongs to ``paths[i]``.

    ``job`` must be a module-level function and ``options`` picklable when ``jobs != 1``.
    ``jobs`` defaults to the number of CPUs.
    """
    workers = _worker_count(jobs, len(paths))
    if workers > 1:
        try:
            executor = ProcessPoolExecutor(max_workers=workers)
        except (OSError, NotImplementedError):  # no working multiprocessing here
            workers = 1
    if workers <= 1:
        return _run_in_process(job, paths, options, on_progress)
    with executor:
        return _run_in_pool(executor, workers, job, paths, options, on_progress)


def _worker_count(jobs: int | None, file_count: int) -> int:
    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    if sys.platform == "win32":
        workers = min(workers, _WINDOWS_MAX_WORKERS)
    return max(1, min(workers, file_count))


def _run_in_process(
    job: Job[OptionsT],
    paths: Sequence[Path],
    options: OptionsT,
    on_progress: ProgressCallback | None,
) -> list[FileOutcome]:
    outcomes = []
    for path in paths:
        outcomes.append(_run_one(job, path, options))
        if on_progress:
            on_progress(len(outcomes), len(paths))
    return outcomes


def _run_in_pool(
    executor: ProcessPoolExecutor,
    workers: int,
    job: Job[OptionsT],
    paths: Sequence[Path],
    options: OptionsT,
    on_progress: ProgressCallback | None,
) -> list[FileOutcome]:
    size = max(1, min(_MAX_CHUNK, math.ceil(len(paths) / (workers * _CHUNKS_PER_WORKER))))
    chunks = [list(paths[start : start + size]) for start in range(0, len(paths), size)]
    futures: dict[Future[list[FileOutcome]], int] = {}
    try:
        for number, chunk in enumerate(chunks):
            futures[executor.submit(_run_chunk, job, chunk, options)] = number
        results: list[list[FileOutcome] | None] = [None] * len(chunks)
        done = 0
        for future in as_completed(futures):
            number = futures[future]
            try:
                results[number] = future.result()
            except Exception as error:  # the worker died, or the job could not be pickled
                failed = [FileOutcome.from_exception(path, error) for path in chunks[number]]
                results[number] = failed
            done += len(chunks[number])
            if on_progress:
                on_progress(done, len(paths))
    except KeyboardInterrupt:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    return [outcome for chunk_results in results for outcome in chunk_results or ()]


def _run_chunk(job: Job[OptionsT], paths: list[Path], options: OptionsT) -> list[FileOutcome]:
    return [_run_one(job, path, options) for path in paths]


def _run_one(job: Job[OptionsT], path: Path, options: OptionsT) -> FileOutcome:
    try:
        return job(path, options)
    except Exception as error:
        return FileOutcome.from_exception(path, error)
