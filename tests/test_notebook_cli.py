"""Notebooks through the real CLI: cell magics, import placement and ``--fix-call-sites``."""

from __future__ import annotations

import json
from pathlib import Path

from seq2tfdata.cli.main import main

SEQUENCE = [
    "class Gen(keras.utils.Sequence):\n",
    "    def __init__(self, x, batch_size=2, **kwargs):\n",
    "        super().__init__(**kwargs)\n",
    "        self.x, self.batch_size = x, batch_size\n",
    "\n",
    "    def __len__(self):\n",
    "        return math.ceil(len(self.x) / self.batch_size)\n",
    "\n",
    "    def __getitem__(self, idx):\n",
    "        return self.x[idx * self.batch_size:(idx + 1) * self.batch_size]\n",
]


def _code(source: list[str], count: int) -> dict:
    return {"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": [], "source": source}


def _write(path: Path, *sources: list[str]) -> Path:
    cells = [_code(source, count) for count, source in enumerate(sources, 1)]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    return path


def _sources(path: Path) -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]]


def test_cell_magics_and_leading_line_magics_are_kept(tmp_path: Path) -> None:
    first = ["%load_ext autoreload\n", "%autoreload 2\n", "import math\n", "import keras"]
    path = _write(tmp_path / "explore.ipynb", first, ["%%time\n", *SEQUENCE], ["%%bash\n", "echo class X:\n"])
    assert main(["convert", str(path), "--write"]) == 1
    cells = _sources(path)
    # The generated code needs numpy and tensorflow: imported after the line magics.
    assert cells[0].startswith("%load_ext autoreload\n%autoreload 2\nimport ")
    assert "import tensorflow as tf\n" in cells[0] and cells[0].endswith("import math\nimport keras")
    assert cells[1].startswith("%%time\nclass Gen(keras.utils.Sequence):\n")
    assert "    def to_tf_dataset(self):\n" in cells[1]
    assert cells[2] == "%%bash\necho class X:\n"
    assert main(["convert", str(path), "--check"]) == 0  # converted once, stable


def test_imports_do_not_go_into_a_leading_timeit_cell(tmp_path: Path) -> None:
    timed = ["%%timeit -n1 -r1\n", "sum(range(10))\n"]
    path = _write(tmp_path / "timed.ipynb", timed, ["import math\n", "import keras\n"], SEQUENCE)
    assert main(["convert", str(path), "--write"]) == 1
    cells = _sources(path)
    assert cells[0] == "".join(timed)
    assert cells[1].startswith("import ") and "import tensorflow as tf\n" in cells[1]


def test_fix_call_sites_in_a_notebook(tmp_path: Path) -> None:
    train = ["model.fit_generator(gen, epochs=2, workers=4)\n"]
    path = _write(tmp_path / "train.ipynb", ["import math\n", "import keras\n"], SEQUENCE,
                  ["gen = Gen([1, 2, 3])\n", "%time x = 1\n"], train)
    assert main(["convert", str(path), "--write", "--fix-call-sites"]) == 1
    cells = _sources(path)
    assert cells[3] == "model.fit(gen.to_tf_dataset(), epochs=2)\n"
    assert cells[2] == "gen = Gen([1, 2, 3])\n%time x = 1\n"


def test_fix_call_sites_in_a_notebook_for_a_class_of_the_project(tmp_path: Path) -> None:
    (tmp_path / "data.py").write_text("import math\nimport keras\n\n\n" + "".join(SEQUENCE))
    path = _write(tmp_path / "train.ipynb", ["from data import Gen\n"], ["model.fit_generator(Gen([1]))\n"])
    assert main(["convert", str(tmp_path), "--write", "--fix-call-sites"]) == 1
    assert _sources(path)[1] == "model.fit(Gen([1]).to_tf_dataset())\n"
