"""What the command-line tests share: a Sequence every tier converts, and running the CLI as a
user does, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

GOOD = textwrap.dedent(
    """\
    import keras


    class Gen(keras.utils.Sequence):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return [index]
    """
)


def run_cli(*argv: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m seq2tfdata ARGV...`` outside CI (so progress shows as on a terminal's log)."""
    env = {**os.environ, "CI": ""}
    return subprocess.run(
        [sys.executable, "-m", "seq2tfdata", *argv], cwd=cwd, input=stdin, capture_output=True, text=True, env=env
    )
