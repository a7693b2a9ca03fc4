"""A run that converts nothing starts fast: the CLI loads libcst and the analysis only when a
file is really converted, so a warm cache (a pre-commit run over unchanged files) never pays
for them. Errors these very contents give (a syntax error) are cached too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli_samples import GOOD

PROBE = """
import json, sys
from seq2tfdata.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "libcst": "libcst" in sys.modules}), file=sys.stderr)
"""


def _run(args: list[str], cache: Path) -> tuple[int, bool, str]:
    environment = {**os.environ, "SEQ2TFDATA_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=environment, check=False
    )
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    return probe["code"], probe["libcst"], done.stdout


def test_importing_the_command_line_loads_no_libcst() -> None:
    code = "import sys, seq2tfdata.cli.main; print('libcst' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_warm_check_converts_nothing_and_loads_no_libcst(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (project / "data.py").write_text(GOOD)
    (project / "broken.py").write_text("from keras.utils import Sequence\nclass A(Sequence:\n")
    (project / "plain.py").write_text("def f():\n    return 1\n")
    args = ["convert", str(project), "--check", "--output-format", "json", "-j", "1"]
    cold_code, cold_libcst, cold_report = _run(args, tmp_path / "cache")
    warm_code, warm_libcst, warm_report = _run(args, tmp_path / "cache")
    assert cold_libcst and not warm_libcst
    assert cold_code == warm_code == 123  # the syntax error, reported again from the cache
    cold, warm = json.loads(cold_report), json.loads(warm_report)
    assert (cold["classes"], cold["errors"], cold["summary"]) == (warm["classes"], warm["errors"], warm["summary"])
    assert cold["summary"]["errors"] == 1 and cold["classes"]
