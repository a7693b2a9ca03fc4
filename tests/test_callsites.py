from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest

from seq2tfdata.migrate import converted_class_names, fix_call_sites
from seq2tfdata.model import ClassFinding, Tier

# Qualified names, as the CLI passes them: `Gen` and `Val` are defined in `data`, and the
# module being fixed is `train` (which defines a converted `Gen` of its own in one case).
CONVERTED = frozenset({"data.Gen", "data.Val", "train.Gen"})
MODULE = "train"
RUNTIME_SCRIPT = Path(__file__).parent / "data" / "callsites_keras3.py.txt"


FIXES = [
    pytest.param(
        "from data import Gen\n"
        "model.fit_generator(Gen(x, y), epochs=2)\n",
        "from data import Gen\n"
        "model.fit(Gen(x, y).to_tf_dataset(), epochs=2)\n",
        id="fit_generator with a constructor call",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen(x, y)\n"
        "model.fit_generator(gen, steps_per_epoch=len(gen), epochs=2, shuffle=False)\n",
        "from data import Gen\n"
        "gen = Gen(x, y)\n"
        "model.fit(gen.to_tf_dataset(), steps_per_epoch=len(gen), epochs=2, shuffle=False)\n",
        id="fit_generator with a variable keeps len() and shuffle",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen(x, y)\n"
        "model.evaluate_generator(gen, steps=len(gen))\n"
        "model.predict_generator(gen, 3)\n",
        "from data import Gen\n"
        "gen = Gen(x, y)\n"
        "model.evaluate(gen.to_tf_dataset(), steps=len(gen))\n"
        "model.predict(gen.to_tf_dataset(), steps=3)\n",
        id="evaluate_generator and predict_generator",
    ),
    pytest.param(
        "from data import Gen, Val\n"
        "gen, val = Gen(), Val()\n"
        "g = Gen()\n"
        "v = Val()\n"
        "model.fit_generator(g, 10, 2, 1, None, v, 3)\n",
        "from data import Gen, Val\n"
        "gen, val = Gen(), Val()\n"
        "g = Gen()\n"
        "v = Val()\n"
        "model.fit(g.to_tf_dataset(), steps_per_epoch=10, epochs=2, verbose=1, callbacks=None, "
        "validation_data=v.to_tf_dataset(), validation_steps=3)\n",
        id="fit_generator positional arguments become keywords",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit_generator(generator=gen, epochs=2)\n",
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(x=gen.to_tf_dataset(), epochs=2)\n",
        id="generator= keyword becomes x=",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(gen, epochs=2)\n"
        "model.fit(x=gen)\n"
        "model.evaluate(gen)\n"
        "model.predict(Gen())\n",
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(gen.to_tf_dataset(), epochs=2)\n"
        "model.fit(x=gen.to_tf_dataset())\n"
        "model.evaluate(gen.to_tf_dataset())\n"
        "model.predict(Gen().to_tf_dataset())\n",
        id="fit evaluate predict with x positional or keyword",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(gen, epochs=2, workers=4, use_multiprocessing=True, max_queue_size=20)\n",
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(gen.to_tf_dataset(), epochs=2)\n",
        id="queue arguments removed from fit",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit_generator(\n"
        "    gen,\n"
        "    workers=4,\n"
        "    epochs=2,\n"
        "    use_multiprocessing=True,\n"
        ")\n",
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(\n"
        "    gen.to_tf_dataset(),\n"
        "    epochs=2,\n"
        ")\n",
        id="queue arguments removed across lines keep the trailing comma",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit_generator(gen,\n"
        "                    epochs=2,\n"
        "                    max_q_size=5, pickle_safe=True)\n",
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(gen.to_tf_dataset(),\n"
        "                    epochs=2)\n",
        id="keras 2.0 queue spellings removed without a trailing comma",
    ),
    pytest.param(
        "from data import Gen, Val\n"
        "gen = Gen()\n"
        "val = Val()\n"
        "model.fit(gen, validation_data=val, validation_steps=len(val))\n",
        "from data import Gen, Val\n"
        "gen = Gen()\n"
        "val = Val()\n"
        "model.fit(gen.to_tf_dataset(), validation_data=val.to_tf_dataset(), validation_steps=len(val))\n",
        id="validation_data instance",
    ),
    pytest.param(
        "from data import Val\n"
        "model.fit(x_train, y_train, validation_data=Val(), workers=2)\n",
        "from data import Val\n"
        "model.fit(x_train, y_train, validation_data=Val().to_tf_dataset(), workers=2)\n",
        id="validation_data alone is converted, data and workers are not ours",
    ),
    pytest.param(
        "from data import Gen as G\n"
        "import data\n"
        "import data as d\n"
        "model.fit(G())\n"
        "model.fit(data.Gen())\n"
        "model.fit(d.Val())\n",
        "from data import Gen as G\n"
        "import data\n"
        "import data as d\n"
        "model.fit(G().to_tf_dataset())\n"
        "model.fit(data.Gen().to_tf_dataset())\n"
        "model.fit(d.Val().to_tf_dataset())\n",
        id="classes imported under other names",
    ),
    pytest.param(
        "import keras\n"
        "class Gen(keras.utils.Sequence):\n"
        "    pass\n"
        "def train(model):\n"
        "    gen: Gen = Gen()\n"
        "    self.model.fit_generator(gen)\n"
        "    build().fit(gen)\n",
        "import keras\n"
        "class Gen(keras.utils.Sequence):\n"
        "    pass\n"
        "def train(model):\n"
        "    gen: Gen = Gen()\n"
        "    self.model.fit(gen.to_tf_dataset())\n"
        "    build().fit(gen.to_tf_dataset())\n",
        id="local class, annotated local variable, any receiver",
    ),
    pytest.param(
        "from data import Gen\n"
        "model.fit(Gen(model.predict_generator(Gen())))\n",
        "from data import Gen\n"
        "model.fit(Gen(model.predict(Gen().to_tf_dataset())).to_tf_dataset())\n",
        id="nested calls",
    ),
]

NOOPS = [
    pytest.param(
        "from data import Other\n"
        "gen = Other()\n"
        "model.fit_generator(gen, workers=2)\n"
        "model.fit(Other(), workers=2)\n",
        id="unknown class",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "gen = Gen(augment=True)\n"
        "model.fit_generator(gen)\n",
        id="reassigned variable",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "for gen in gens:\n"
        "    pass\n"
        "model.fit(gen)\n",
        id="variable rebound by a loop",
    ),
    pytest.param(
        "from data import Gen\n"
        "def outer():\n"
        "    gen = Gen()\n"
        "    def inner():\n"
        "        nonlocal gen\n"
        "        gen = other()\n"
        "    model.fit(gen)\n",
        id="variable rebound through nonlocal",
    ),
    pytest.param(
        "def train(model, gen):\n"
        "    model.fit_generator(gen, workers=2)\n"
        "    model.fit(gen)\n",
        id="parameter",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "def train(model):\n"
        "    model.fit(gen)\n",
        id="variable assigned in an enclosing scope",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "model.fit(gen.to_tf_dataset(), steps_per_epoch=len(gen), epochs=2)\n",
        id="already fixed",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = Gen()\n"
        "my_fit_generator(gen)\n"
        "model.my_fit_generator(gen)\n"
        "model.fit_generator_v2(gen, workers=2)\n"
        "fit(gen)\n",
        id="method names that merely look alike",
    ),
    pytest.param(
        "from data import Gen\n"
        "Gen = wrap(Gen)\n"
        "model.fit(Gen())\n",
        id="class name rebound to something else",
    ),
    pytest.param(
        "from data import Other as Gen\n"
        "model.fit(Gen())\n",
        id="alias of another class that is spelled like a converted one",
    ),
    pytest.param(
        "from data import *\n"
        "model.fit(Gen())\n",
        id="name from a star import",
    ),
    pytest.param(
        "from data import Gen\n"
        "gen = make_gen()\n"
        "model.fit(gen)\n"
        "model.fit(self.gen)\n"
        "model.fit(gens[0])\n",
        id="not a constructor call",
    ),
    pytest.param(
        "from data import Gen\n"
        "model.fit_generator(Gen(), *args)\n"
        "model.fit_generator(Gen(), **kwargs)\n",
        id="fit_generator with star arguments",
    ),
    pytest.param(
        "from data import Gen\n"
        "model.fit_generator(Gen(), 10, 2, 1, None, None, None, 1)\n",
        id="fit_generator positional arguments whose order changed between versions",
    ),
    pytest.param(
        "model.fit(x_train, y_train, validation_data=(x_val, y_val), shuffle=True)\n",
        id="arrays",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIXES)
def test_fix(before: str, after: str) -> None:
    result = fix_call_sites(before, CONVERTED, module=MODULE)
    assert result.error is None
    assert result.code == after
    assert result.fixes


@pytest.mark.parametrize(("before", "after"), FIXES)
def test_fix_is_idempotent(before: str, after: str) -> None:
    cst.parse_module(after)
    assert fix_call_sites(after, CONVERTED, module=MODULE).code == after


@pytest.mark.parametrize("source", NOOPS)
def test_noop(source: str) -> None:
    result = fix_call_sites(source, CONVERTED, module=MODULE)
    assert result.error is None
    assert result.code == source


def test_no_converted_classes_changes_nothing() -> None:
    source = "from data import Gen\nmodel.fit_generator(Gen(), workers=2)\n"
    assert fix_call_sites(source, frozenset()).code == source


def test_nested_class_named_by_its_qualified_name() -> None:
    source = "def outer():\n    class Gen(Base):\n        pass\n    model.fit(Gen())\n"
    result = fix_call_sites(source, frozenset({"outer.<locals>.Gen"}))
    assert result.code == source.replace("model.fit(Gen())", "model.fit(Gen().to_tf_dataset())")


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        pytest.param(
            "from data import Gen\ngen = Gen()\nmodel.fit(gen, workers=2, use_multiprocessing=True)\n",
            3,
            "removed `workers=2, use_multiprocessing=True`, which Keras 3 `.fit()` rejects: it belongs to the "
            "PyDataset constructor now, e.g. `super().__init__(workers=2, use_multiprocessing=True)` in `Gen.__init__`",
            id="removed queue arguments name their new home",
        ),
        pytest.param(
            "from data import Gen\nmodel.fit_generator(Gen(), pickle_safe=True)\n",
            2,
            "`super().__init__(use_multiprocessing=True)`",
            id="keras 2.0 spelling is translated",
        ),
        pytest.param(
            "def train(model, gen):\n    model.fit_generator(gen)\n",
            2,
            "left `.fit_generator()` unchanged (Keras 3 removed it): `gen` is a parameter, so its class cannot be proven",
            id="parameter",
        ),
        pytest.param(
            "from data import Gen\ngen = Gen()\ngen = Gen()\nmodel.fit(gen)\n",
            4,
            "left `gen` unchanged: `gen` is assigned 2 times in this scope",
            id="reassigned",
        ),
        pytest.param(
            "from data import Gen\ngen = Gen()\ndef f():\n    model.fit(gen)\n",
            4,
            "left `gen` unchanged: `gen` is assigned outside the scope that uses it",
            id="enclosing scope",
        ),
        pytest.param(
            "from data import *\nmodel.fit(Gen())\n",
            2,
            "`Gen` is not bound by an import or class statement in this file",
            id="star import",
        ),
        pytest.param(
            "from data import Gen\nGen = wrap(Gen)\nmodel.fit(Gen())\n",
            3,
            "`Gen` is also bound to something other than the class",
            id="rebound class name",
        ),
        pytest.param(
            "try:\n    from data import Gen\nexcept ImportError:\n    from old import Other as Gen\nmodel.fit(Gen())\n",
            5,
            "`Gen` may name ['data.Gen', 'old.Other']",
            id="conditional import",
        ),
        pytest.param(
            "def train(model, data):\n    model.fit(data, workers=4)\n",
            2,
            "left `workers=4` in place although Keras 3 `.fit()` rejects it: `data` is a parameter",
            id="queue argument left with unknown data",
        ),
        pytest.param(
            "from data import Gen\nmodel.fit(Gen(), **options)\n",
            2,
            "check the `**` argument: Keras 3 `.fit()` rejects `workers=` and the like",
            id="double star argument of a rewritten call",
        ),
        pytest.param(
            "model.fit_generator(make(), 1, 2, 1, None, None, None, 1)\n",
            1,
            "left `.fit_generator()` unchanged (Keras 3 removed it): `make()` does not construct a converted class",
            id="generator function",
        ),
    ],
)
def test_notes(source: str, line: int, expected: str) -> None:
    fixes = fix_call_sites(source, CONVERTED, path="train.py", module=MODULE).fixes
    assert any(fix.line == line and expected in fix.message for fix in fixes), fixes


def test_unrelated_calls_get_no_notes() -> None:
    source = (
        "from data import Other\nfrom lib import Else as Gen\n"
        "model.fit(x, y)\nscaler.fit(Other())\nmodel.predict(x)\nmodel.fit(Gen())\n"
    )
    assert fix_call_sites(source, CONVERTED, module=MODULE).fixes == ()


def test_converted_class_names_leave_out_skipped_classes() -> None:
    findings = [
        ClassFinding("Gen", 1, 7, Tier.NATIVE),
        ClassFinding("outer.<locals>.Val", 5, 11, Tier.GENERATOR),
        ClassFinding("Base", 9, 7, Tier.SKIPPED),
    ]
    assert converted_class_names(findings, "pkg.data") == {"pkg.data.Gen", "pkg.data.outer.<locals>.Val"}
    assert converted_class_names(findings) == {"Gen", "outer.<locals>.Val"}


def test_fix_renders_with_path() -> None:
    fixes = fix_call_sites("from data import Gen\nmodel.fit(Gen())\n", CONVERTED, module=MODULE).fixes
    assert [fix.render("t.py") for fix in fixes] == [
        "t.py:2:11: passes `Gen().to_tf_dataset()`: Gen has a generated `to_tf_dataset()`"
    ]


def test_syntax_error_is_reported_not_raised() -> None:
    result = fix_call_sites("def broken(:\n", CONVERTED, path="bad.py")
    assert result.code == "def broken(:\n"
    assert not result.changed
    assert result.error is not None and result.error.startswith("bad.py:1:")


@pytest.mark.filterwarnings("ignore:`shuffle=True` was passed")
def test_keras3_runs_the_fixed_call_and_rejects_the_original() -> None:
    keras = pytest.importorskip("keras")
    if int(keras.__version__.split(".")[0]) < 3:
        pytest.skip("needs Keras 3")
    script = RUNTIME_SCRIPT.read_text(encoding="utf-8")
    original_call = "model.fit(gen, steps_per_epoch=len(gen), epochs=2, workers=2, use_multiprocessing=True)"
    assert original_call in script
    with pytest.raises(TypeError, match="workers"):
        exec(compile(script, str(RUNTIME_SCRIPT), "exec"), {"__name__": "before"})

    result = fix_call_sites(script, frozenset({"Batches"}))
    assert result.error is None
    assert "history = model.fit(gen.to_tf_dataset(), steps_per_epoch=len(gen), epochs=2)\n" in result.code
    namespace: dict[str, object] = {"__name__": "after"}
    exec(compile(result.code, "after", "exec"), namespace)
    assert len(namespace["history"].history["loss"]) == 2


def test_a_class_spelled_like_a_converted_one_in_another_module_is_left_alone_with_a_note() -> None:
    converted = frozenset({"a.DataGenerator"})
    local = "class DataGenerator:\n    pass\nmodel.fit(DataGenerator(x))\n"
    imported = "from lib import DataGenerator\nmodel.fit_generator(DataGenerator(x))\n"
    for source, module in ((local, "b"), (imported, "c")):
        result = fix_call_sites(source, converted, "f.py", module=module)
        assert result.code == source
        assert any("not the converted `a.DataGenerator`" in fix.message for fix in result.fixes), result.fixes
    # The class itself, in its own module or imported from it (absolutely or relatively), is fixed.
    for source, module in (
        ("class DataGenerator(Base):\n    pass\nmodel.fit(DataGenerator(x))\n", "a"),
        ("from a import DataGenerator\nmodel.fit(DataGenerator(x))\n", "c"),
        ("from .a import DataGenerator\nmodel.fit(DataGenerator(x))\n", "c"),
        ("import a\nmodel.fit(a.DataGenerator(x))\n", "c"),
    ):
        assert ".to_tf_dataset())" in fix_call_sites(source, converted, module=module).code, source


def test_fix_call_sites_resolves_classes_across_the_repository_by_qualified_name(tmp_path: Path) -> None:
    from seq2tfdata.cli.main import main

    (tmp_path / "a.py").write_text(
        "import keras\n\n\nclass DataGenerator(keras.utils.Sequence):\n"
        "    def __len__(self):\n        return 2\n\n    def __getitem__(self, index):\n        return [index]\n"
    )
    unrelated = "class DataGenerator:\n    pass\n\n\ndef train(model, x):\n    model.fit(DataGenerator(x))\n"
    (tmp_path / "b.py").write_text(unrelated)
    (tmp_path / "c.py").write_text("from a import DataGenerator\n\n\ndef train(model):\n    model.fit(DataGenerator())\n")
    report = tmp_path / "r.json"
    assert main(["convert", str(tmp_path), "--write", "--fix-call-sites", "--report", str(report)]) == 1
    assert (tmp_path / "b.py").read_text() == unrelated
    assert "model.fit(DataGenerator().to_tf_dataset())" in (tmp_path / "c.py").read_text()
    notes = json.loads(report.read_text())["call_sites"]
    assert any(
        note["path"].endswith("b.py") and "here is `b.DataGenerator`, not the converted `a.DataGenerator`" in note["message"]
        for note in notes
    ), notes
