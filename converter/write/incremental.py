"""Run the conversion over only the files that need it, reusing cached outcomes.

A file the pre-pass found no candidate class in is never parsed; a file whose outcome for these
very contents, options and cross-file bases is cached is not converted again. Outcomes come back
in the order of ``files``, as :func:`~seq2tfdata.write.batch.run_batch` gives them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from seq2tfdata.write.batch import FileOutcome, ProgressCallback, run_batch
from seq2tfdata.write.cache import Cache, key_of
from seq2tfdata.write.convert_file import ConvertJob, convert_file
from seq2tfdata.write.prepass import PrePass, module_for

NO_CANDIDATE = "no class here can be a Sequence subclass (pre-pass)"


def convert_candidates(
    files: list[Path],
    prepass: PrePass,
    job: ConvertJob,
    *,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
    cache: Cache | None = None,
) -> list[FileOutcome]:
    cache = cache or Cache(None)
    bases_key = key_of(sorted(job.extra_sequence_bases))
    outcomes: dict[Path, FileOutcome] = {}
    pending: list[Path] = []
    keys: dict[Path, str] = {}
    for path in files:
        if path in prepass.over_budget:
            # A file the pre-pass already gave up on would only run out of time again.
            outcomes[path] = FileOutcome.over_budget(path, timeout or 0)
        elif prepass.candidates is not None and path not in prepass.candidates:
            outcomes[path] = FileOutcome(path, skipped=NO_CANDIDATE)
        else:
            key = _outcome_key(path, prepass, job, bases_key)
            cached = cache.outcomes.get(key) if key else None
            if isinstance(cached, FileOutcome):
                outcomes[path] = replace(cached, path=path)
            else:
                pending.append(path)
                if key:
                    keys[path] = key
    done = run_batch(convert_file, pending, job, jobs=jobs, on_progress=on_progress, timeout=timeout)
    for path, outcome in zip(pending, done):
        outcomes[path] = outcome
        if path in keys and _reusable(outcome, job):
            cache.outcomes.put(keys[path], outcome)
    return [outcomes[path] for path in files]


def _outcome_key(path: Path, prepass: PrePass, job: ConvertJob, bases_key: str) -> str | None:
    digest = prepass.digests.get(path)
    if digest is None:
        return None
    module = module_for(path, job.roots)
    return key_of("outcome", digest, path.as_posix(), module, job.max_tier.value, job.max_bytes, job.write, job.diff, bases_key)


def _reusable(outcome: FileOutcome, job: ConvertJob) -> bool:
    """An error these contents always give (a syntax error) is reused; one a time budget or a
    crash gave is not, nor a change that must really be made; ``--check`` may reuse "would
    change"."""
    if outcome.over_limit or outcome.detail:
        return False
    return not outcome.changed or not (job.write or job.diff)
