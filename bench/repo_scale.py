"""``python bench/repo_scale.py``: ``convert --check`` over a generated tf-keras-sized repository
(755 files, about 300k lines, three dozen Sequence classes with bases in other packages),
against a bare ``libcst.parse_module`` of its candidate files (those that mention ``Sequence``
or ``PyDataset``), per phase, cold and warm cache, ``-j 1`` and ``-j 2``.

Writes bench/results/repo_scale.md. Reports figures, asserts nothing: machines differ.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "repo_scale.md"
PACKAGES = ("layers", "engine", "optimizers", "losses", "metrics", "utils", "saving", "callbacks", "mixed")

BASE_MODULE = '''"""Shared data pipeline bases of {package}."""

import math

import numpy as np
from tensorflow import keras


class {name}(keras.utils.Sequence):
    def __init__(self, x, y, batch_size=32):
        self.x, self.y = np.asarray(x, dtype=np.float32), np.asarray(y)
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)
'''
CHILD_MODULE = '''"""Generator {index} of {package}."""

from typing import Sequence as TypingSequence

from {base_module} import {base}


class Batches{index:02d}({base}):
    def __getitem__(self, index):
        start = index * self.batch_size
        stop = start + self.batch_size
        return self.x[start:stop] * {scale}, self.y[start:stop]


def shapes(values: TypingSequence[int]) -> list[int]:
    return [value * {scale} for value in values]
'''


def _ordinary_module(rng: random.Random, index: int, lines: int) -> str:
    """Plain library code; one in eight mentions typing.Sequence, as real repositories do."""
    out = [f'"""Module {index}."""', "", "import math", "import os", ""]
    if index % 8 == 0:
        out[3:3] = ["from typing import Sequence"]
    n = 0
    while len(out) < lines:
        n += 1
        annotation = "Sequence[float]" if index % 8 == 0 else "list"
        out += ["", "", f"def op_{index}_{n}(values: {annotation}, scale={rng.randrange(1, 9)}):"]
        out += [f'    """Operation {n}."""', "    total = 0.0", "    for position, value in enumerate(values):"]
        out += ["        if position % 2:", "            total += value * scale", "        else:"]
        out += [f"            total -= math.sqrt(abs(value)) + {rng.random():.4f}", "    return total"]
        if n % 6 == 0:
            out += ["", "", f"class Layer{index}_{n}(object):", "    def __init__(self, units):"]
            out += ["        self.units = units"]
            out += ["", "    def call(self, inputs):", "        return [x * self.units for x in inputs]"]
    return "\n".join(out) + "\n"


def write_repository(root: Path, *, files: int = 755, lines: int = 300_000, seed: int = 0) -> int:
    """Write the repository; returns how many Sequence classes it defines."""
    rng = random.Random(seed)
    for package in PACKAGES:
        (root / "tf_keras" / package).mkdir(parents=True)
        (root / "tf_keras" / package / "__init__.py").write_text("", encoding="utf-8")
        (root / "tf_keras" / package / "data_base.py").write_text(
            BASE_MODULE.format(package=package, name=f"{package.title()}Base"), encoding="utf-8"
        )
    (root / "tf_keras" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'synthetic-tf-keras'\n", encoding="utf-8")
    classes = len(PACKAGES)
    for index in range(36):  # subclasses whose base lives in another package
        package, other = PACKAGES[index % len(PACKAGES)], PACKAGES[(index + 1) % len(PACKAGES)]
        text = CHILD_MODULE.format(
            index=index, package=package, base_module=f"tf_keras.{other}.data_base", base=f"{other.title()}Base",
            scale=rng.randrange(2, 9),
        )  # fmt: skip
        (root / "tf_keras" / package / f"generator_{index:02d}.py").write_text(text, encoding="utf-8")
        classes += 1
    remaining = files - 2 * len(PACKAGES) - 1 - 36
    for index in range(remaining):
        package = PACKAGES[index % len(PACKAGES)]
        text = _ordinary_module(rng, index, lines // remaining)
        (root / "tf_keras" / package / f"module_{index:03d}.py").write_text(text, encoding="utf-8")
    return classes


def bare_parse(root: Path) -> tuple[float, int]:
    """Seconds to ``libcst.parse_module`` every file that mentions Sequence or PyDataset."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.py"))]
    candidates = [t for t in texts if "Sequence" in t or "PyDataset" in t]
    started = time.perf_counter()
    for text in candidates:
        libcst.parse_module(text)
    return time.perf_counter() - started, len(candidates)


def whole_run(root: Path, jobs: int, cache: Path | None) -> tuple[float, int]:
    """Wall seconds of the whole ``seq2tfdata convert --check`` process, and its exit status."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "seq2tfdata", "convert", str(root), "--check", "-j", str(jobs)]
    if cache is None:
        command.append("--no-cache")
    else:
        environment["SEQ2TFDATA_CACHE_DIR"] = str(cache)
    started = time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode


def phases(root: Path, jobs: int, cache_dir: Path) -> dict[str, float]:
    """Seconds per phase, in this process (so without start-up and imports)."""
    from seq2tfdata.model import Tier
    from seq2tfdata.write.cache import Cache
    from seq2tfdata.write.convert_file import ConvertJob
    from seq2tfdata.write.gather import gather_files
    from seq2tfdata.write.incremental import convert_candidates
    from seq2tfdata.write.prepass import repository_sequence_bases

    os.environ["SEQ2TFDATA_CACHE_DIR"] = str(cache_dir)
    cache = Cache.open()
    times = {}
    started = time.perf_counter()
    files = gather_files([root]).files
    times["gather"] = time.perf_counter() - started
    started = time.perf_counter()
    prepass = repository_sequence_bases(files, [root], jobs=jobs, cache=cache)
    times["pre-pass"] = time.perf_counter() - started
    started = time.perf_counter()
    job = ConvertJob(max_tier=Tier.NATIVE, extra_sequence_bases=prepass.bases, roots=prepass.roots)
    outcomes = convert_candidates(files, prepass, job, jobs=jobs, cache=cache)
    cache.save()
    times["convert"] = time.perf_counter() - started
    times["changed files"] = sum(o.changed for o in outcomes)
    times["fully converted"] = len(prepass.candidates or ())
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=755)
    parser.add_argument("--lines", type=int, default=300_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        repo = work / "repo"
        classes = write_repository(repo, files=args.files, lines=args.lines)
        total_lines = sum(p.read_text(encoding="utf-8").count("\n") for p in repo.rglob("*.py"))
        total_files = sum(1 for _ in repo.rglob("*.py"))
        parse_seconds, candidates = bare_parse(repo)
        rows = []
        for jobs in (1, 2):
            cache = work / f"cache_j{jobs}"
            no_cache, status = whole_run(repo, jobs, None)
            cold, _ = whole_run(repo, jobs, cache)
            warm, _ = whole_run(repo, jobs, cache)
            rows.append((jobs, no_cache, cold, warm, status))
        phase_rows = {}
        for jobs in (1, 2):
            cache = work / f"phases_j{jobs}"
            phase_rows[(jobs, "cold")] = phases(repo, jobs, cache)
            phase_rows[(jobs, "warm")] = phases(repo, jobs, cache)
    text = _markdown(total_files, total_lines, classes, candidates, parse_seconds, rows, phase_rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


def _markdown(files, lines, classes, candidates, parse_seconds, rows, phase_rows) -> str:
    out = [
        "# Repository-scale speed (bench/repo_scale.py)",
        "",
        f"Synthetic repository: {files} files, {lines:,} lines, {classes} Sequence classes "
        f"(36 with their base in another package). {candidates} files mention Sequence/PyDataset; "
        f"a bare `libcst.parse_module` of them takes **{parse_seconds:.2f} s**.",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}.",
        "",
        "## Whole process, `seq2tfdata convert REPO --check` (wall seconds)",
        "",
        "| -j | --no-cache | cold cache | warm cache | cold / bare parse | warm / cold | exit |",
        "|---|---|---|---|---|---|---|",
    ]
    for jobs, no_cache, cold, warm, status in rows:
        ratios = f"{cold / parse_seconds:.2f}x | {warm / cold:.2f}x"
        out.append(f"| {jobs} | {no_cache:.2f} | {cold:.2f} | {warm:.2f} | {ratios} | {status} |")
    out += ["", "## Per phase, in process (seconds; no interpreter start-up or imports)", ""]
    out += ["| -j | cache | gather | pre-pass | convert | files fully converted |", "|---|---|---|---|---|---|"]
    for (jobs, state), times in phase_rows.items():
        seconds = " | ".join(f"{times[phase]:.2f}" for phase in ("gather", "pre-pass", "convert"))
        out.append(f"| {jobs} | {state} | {seconds} | {times['fully converted']} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
