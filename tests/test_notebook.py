"""Notebook conversion: cells in and out, IPython lines kept, everything else untouched."""

from __future__ import annotations

import copy
import json
import re

import libcst
import pytest

from seq2tfdata.write.notebook import NotebookError, convert_notebook, locate_line

IMPORT_CELL = ["import numpy as np\n", "from keras.utils import Sequence"]
CLASS_CELL = ["class Gen(Sequence):\n", "    def __len__(self):\n", "        return 1"]
METHOD = "    def to_tf_dataset(self):\n        return None\n"


def fake_convert(code: str) -> str:
    """Adds a method to ``Sequence`` subclasses, but only if ``Sequence`` is imported in the
    text it is given, like the real converter; it also insists on valid Python."""
    libcst.parse_module(code)
    if "from keras.utils import Sequence" not in code:
        return code
    return re.sub(r"(?m)^(class \w+\(Sequence\):\n(?:[ \t]+.*\n|\n)*)", rf"\1{METHOD}", code)


def _notebook(*cells: dict, language: str = "python") -> dict:
    return {
        "cells": list(cells),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": language, "name": "python3"},
            "language_info": {"name": language, "version": "3.11.7"},
            "custom": {"ratio": 0.1, "note": "ünïcødé"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _code(source, *, count: int | None = 1, outputs: list | None = None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "id": f"cell-{count}",
        "metadata": {"tags": ["keep"], "scrolled": True},
        "outputs": outputs if outputs is not None else [],
        "source": source,
    }


OUTPUT = {
    "name": "stdout",
    "output_type": "stream",
    "text": ["from keras.utils import Sequence\n", "\u001b[31mred\u001b[0m\n"],
}
MARKDOWN = {"cell_type": "markdown", "id": "md", "metadata": {}, "source": ["# Title ✓"]}


def _jupyter_text(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _cells(text: str) -> list[dict]:
    return json.loads(text)["cells"]


def test_base_imported_in_another_cell_is_recognised() -> None:
    notebook = _notebook(MARKDOWN, _code(IMPORT_CELL, count=1), _code(CLASS_CELL, count=2))
    converted = convert_notebook(_jupyter_text(notebook), fake_convert)
    cells = _cells(converted)
    assert cells[1]["source"] == IMPORT_CELL
    assert cells[2]["source"] == [*CLASS_CELL[:-1], "        return 1\n", *METHOD_LINES]
    assert "".join(cells[2]["source"]).endswith("return None")  # no trailing newline, as before


METHOD_LINES = ["    def to_tf_dataset(self):\n", "        return None"]


def test_cell_by_cell_does_not_see_other_cells() -> None:
    text = _jupyter_text(_notebook(_code(IMPORT_CELL), _code(CLASS_CELL, count=2)))
    assert convert_notebook(text, fake_convert, as_one_module=False) == text


def test_cell_by_cell_converts_self_contained_cells() -> None:
    cell = _code([*IMPORT_CELL[1:], "\n", *CLASS_CELL[:-1], "        return 1\n"])
    converted = convert_notebook(_jupyter_text(_notebook(cell)), fake_convert, as_one_module=False)
    assert "".join(_cells(converted)[0]["source"]).endswith(METHOD)


def test_everything_but_sources_is_untouched() -> None:
    notebook = _notebook(
        MARKDOWN,
        _code(IMPORT_CELL, count=7, outputs=[OUTPUT]),
        _code(CLASS_CELL, count=None),
    )
    original = _jupyter_text(notebook)
    converted = convert_notebook(original, fake_convert)
    assert converted != original
    after = json.loads(converted)
    before = copy.deepcopy(notebook)
    before["cells"][2]["source"] = after["cells"][2]["source"]
    assert after == before
    # Same layout: only the changed source lines differ from what Jupyter itself would write.
    assert converted == _jupyter_text(after)
    assert list(after["cells"][1]) == list(notebook["cells"][1])  # key order kept


def test_unchanged_notebook_is_returned_byte_identical() -> None:
    # Layout Python's json would not produce: it must not be re-serialised.
    text = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {},\n  "cells": [{"cell_type": "code",'
    text += ' "source": "x = 1", "metadata": {}, "outputs": [], "execution_count": 1.50}]}'
    assert convert_notebook(text, fake_convert) is text


def test_string_source_stays_a_string() -> None:
    source = "".join(IMPORT_CELL) + "\n\n" + "".join(CLASS_CELL) + "\n"
    converted = convert_notebook(_jupyter_text(_notebook(_code(source))), fake_convert)
    assert _cells(converted)[0]["source"] == source + METHOD


def test_two_space_indent_and_ascii_escapes_are_kept() -> None:
    notebook = _notebook(_code(IMPORT_CELL), _code(CLASS_CELL, count=2))
    original = json.dumps(notebook, indent=2, ensure_ascii=True)  # no final newline either
    converted = convert_notebook(original, fake_convert)
    assert converted == json.dumps(json.loads(converted), indent=2, ensure_ascii=True)
    assert converted.isascii()


def test_ipython_lines_survive_and_do_not_block_conversion() -> None:
    magic_cell = [
        "%matplotlib inline\n",
        "!pip install keras\n",
        "files = !ls\n",
        "if True:\n",
        "    %time x = 1\n",
        "Sequence?\n",
        *IMPORT_CELL,
    ]
    notebook = _notebook(_code(magic_cell), _code(CLASS_CELL, count=2))
    converted = convert_notebook(_jupyter_text(notebook), fake_convert)
    cells = _cells(converted)
    assert cells[0]["source"] == magic_cell
    assert "".join(cells[1]["source"]).endswith(METHOD.rstrip("\n"))


def test_modulo_continuation_is_not_mistaken_for_a_magic() -> None:
    cell = ["from keras.utils import Sequence\n", 'label = ("%d"\n', "         % 3)\n", *CLASS_CELL]
    converted = convert_notebook(_jupyter_text(_notebook(_code(cell))), fake_convert)
    assert _cells(converted)[0]["source"][:4] == cell[:4]
    assert "".join(_cells(converted)[0]["source"]).endswith("return None")


def test_cell_magics_and_broken_cells_are_left_out_untouched() -> None:
    bash = ["%%bash\n", "echo class Gen(Sequence):"]
    broken = ["def unfinished(:\n"]
    notebook = _notebook(_code(bash), _code(broken, count=2), _code(IMPORT_CELL, count=3))
    notebook["cells"].append(_code(CLASS_CELL, count=4))
    cells = _cells(convert_notebook(_jupyter_text(notebook), fake_convert))
    assert cells[0]["source"] == bash and cells[1]["source"] == broken
    assert "".join(cells[3]["source"]).endswith("return None")


def test_code_added_above_the_first_cell_goes_into_it() -> None:
    notebook = _notebook(MARKDOWN, _code(IMPORT_CELL), _code(CLASS_CELL, count=2))
    converted = convert_notebook(_jupyter_text(notebook), lambda code: "import tf\n" + code)
    assert _cells(converted)[1]["source"] == ["import tf\n", *IMPORT_CELL]
    assert _cells(converted)[2]["source"] == CLASS_CELL


def test_losing_a_cell_marker_is_an_error() -> None:
    notebook = _notebook(_code(IMPORT_CELL), _code(CLASS_CELL, count=2))
    with pytest.raises(NotebookError, match="cell boundaries"):
        convert_notebook(_jupyter_text(notebook), lambda code: code.split("\n", 1)[1])


def test_other_languages_and_formats() -> None:
    r_notebook = _jupyter_text(_notebook(_code(["library(x)"]), language="R"))
    assert convert_notebook(r_notebook, fake_convert) is r_notebook
    with pytest.raises(NotebookError, match="nbformat 4"):
        convert_notebook('{"nbformat": 3, "worksheets": []}', fake_convert)
    with pytest.raises(NotebookError, match="JSON"):
        convert_notebook("{", fake_convert)


def test_locate_line_maps_joined_lines_back_to_cells() -> None:
    seen: list[str] = []

    def remember(code: str) -> str:
        seen.append(code)
        return code

    notebook = _notebook(MARKDOWN, _code(IMPORT_CELL), _code(CLASS_CELL, count=2))
    convert_notebook(_jupyter_text(notebook), remember)
    (joined,) = seen
    class_line = joined.splitlines().index("class Gen(Sequence):") + 1
    assert locate_line(joined, class_line) == (2, 1)
    assert locate_line(joined, class_line + 2) == (2, 3)
    assert locate_line(joined, 2) == (1, 1)


# Cell magics: the magic lines stay, the Python under a magic that runs it here is converted.


@pytest.mark.parametrize("magic", ["%%time\n", "%%timeit -n1 -r1\n", "%%capture out\n", "%%capture\n%%time\n"])
def test_python_cell_magic_keeps_its_lines_and_converts_the_body(magic: str) -> None:
    cell = [*magic.splitlines(keepends=True), *IMPORT_CELL[1:], "\n", *CLASS_CELL]
    cells = _cells(convert_notebook(_jupyter_text(_notebook(_code(cell))), fake_convert))
    source = "".join(cells[0]["source"])
    assert source.startswith(magic + "from keras.utils import Sequence\n")
    assert source.endswith(METHOD.rstrip("\n"))


@pytest.mark.parametrize("magic", ["%%bash\n", "%%writefile gen.py\n", "%%html\n", "%%time\n%%bash\n"])
def test_other_cell_magics_stay_untouched(magic: str) -> None:
    cell = [*magic.splitlines(keepends=True), *IMPORT_CELL[1:], "\n", *CLASS_CELL]
    text = _jupyter_text(_notebook(_code(cell)))
    assert convert_notebook(text, fake_convert) is text


def test_line_magics_inside_a_cell_magic_body_are_kept() -> None:
    cell = ["%%time\n", "%load_ext autoreload\n", "!pip list\n", *IMPORT_CELL[1:], "\n", *CLASS_CELL]
    cells = _cells(convert_notebook(_jupyter_text(_notebook(_code(cell))), fake_convert))
    assert cells[0]["source"][:3] == cell[:3]
    assert "".join(cells[0]["source"]).endswith(METHOD.rstrip("\n"))


def _add_import(code: str) -> str:
    """Like the converter: a new import above everything when the module opens with no import."""
    return "import tensorflow as tf\n\n" + fake_convert(code)


def test_added_imports_go_after_leading_line_magics() -> None:
    first = ["%load_ext autoreload\n", "%autoreload 2\n", "\n", *IMPORT_CELL]
    cells = _cells(convert_notebook(_jupyter_text(_notebook(_code(first), _code(CLASS_CELL, count=2))), _add_import))
    assert cells[0]["source"][:3] == ["%load_ext autoreload\n", "%autoreload 2\n", "import tensorflow as tf\n"]
    assert cells[0]["source"][-2:] == IMPORT_CELL


def test_added_imports_go_below_a_cell_magic() -> None:
    first = ["%%time\n", *IMPORT_CELL]
    cells = _cells(convert_notebook(_jupyter_text(_notebook(_code(first), _code(CLASS_CELL, count=2))), _add_import))
    assert cells[0]["source"][:2] == ["%%time\n", "import tensorflow as tf\n"]


def test_added_imports_skip_a_timeit_cell_whose_names_stay_local() -> None:
    timed = ["%%timeit\n", "import numpy as np\n", "np.zeros(3)"]
    notebook = _notebook(_code(timed), _code(IMPORT_CELL, count=2), _code(CLASS_CELL, count=3))
    cells = _cells(convert_notebook(_jupyter_text(notebook), _add_import))
    assert cells[0]["source"] == timed
    assert cells[1]["source"][0] == "import tensorflow as tf\n"


def test_cell_by_cell_places_imports_after_magics_too() -> None:
    cell = ["%matplotlib inline\n", *IMPORT_CELL[1:], "\n", *CLASS_CELL]
    converted = convert_notebook(_jupyter_text(_notebook(_code(cell))), _add_import, as_one_module=False)
    assert _cells(converted)[0]["source"][:2] == ["%matplotlib inline\n", "import tensorflow as tf\n"]
