"""``make demo``: convert a copy of examples/, verify every converted class, print the report.

It drives the real command line, as a user would, and fails loudly if any step does not do what
the README promises.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The converted copy lives outside the checkout: the repository's .gitignore would hide it from
# the converter's file walk, exactly as it hides build output in a user's repository.
OUT = Path(tempfile.gettempdir()) / "seq2tfdata-demo" / "examples"
REPORTS = ROOT / "out"
CLI = [sys.executable, "-m", "seq2tfdata"]


def _factories(factories_file: Path) -> list[str]:
    tree = ast.parse(factories_file.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "FACTORIES" for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise SystemExit(f"{factories_file} has no FACTORIES list")


def _run(command: list[str]) -> int:
    print("$ seq2tfdata " + " ".join(command[3:]), flush=True)
    # Run beside the copy so that reports show project-relative paths.
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=OUT.parent, env=environment).returncode


def main() -> int:
    shutil.rmtree(OUT.parent, ignore_errors=True)
    shutil.copytree(ROOT / "examples", OUT, ignore=shutil.ignore_patterns("__pycache__"))
    broken = sorted(p for p in OUT.rglob("*.py") if "broken" in p.name)
    broken_before = {p: p.read_bytes() for p in broken}
    REPORTS.mkdir(exist_ok=True)
    report = REPORTS / "demo-report.md"

    code = _run([*CLI, "convert", OUT.name, "--write", "--fix-call-sites", "--report", str(report)])
    # 123: the intentionally broken example file is reported; everything else is still converted.
    expected = 123 if broken else 1
    if code != expected:
        print(f"demo: convert exited {code}, expected {expected}", file=sys.stderr)
        return 1
    if any(p.read_bytes() != data for p, data in broken_before.items()):
        print("demo: a file that does not parse was modified", file=sys.stderr)
        return 1
    recheck = REPORTS / "demo-recheck.json"
    _run([*CLI, "convert", OUT.name, "--check", "--report", str(recheck)])
    if json.loads(recheck.read_text(encoding="utf-8"))["summary"]["files_changed"] != 0:
        print("demo: converting the converted project again is not a no-op", file=sys.stderr)
        return 1

    factories = OUT / "factories.py"
    specs = [f"{factories.relative_to(OUT.parent)}:{name}" for name in _factories(factories)]
    if _run([*CLI, "verify", *specs, "--epochs", "2"]) != 0:
        print("demo: verification failed", file=sys.stderr)
        return 1

    # The rewritten call sites (model.fit(gen.to_tf_dataset(), ...)) train under Keras 3.
    print("$ python -m src.train   # in the converted copy", flush=True)
    if subprocess.run([sys.executable, "-m", "src.train"], cwd=OUT).returncode != 0:
        print("demo: the converted training script failed", file=sys.stderr)
        return 1

    print()
    print(report.read_text(encoding="utf-8"))
    print(f"demo: converted project in {OUT}, report in {report.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
