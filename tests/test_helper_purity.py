"""Module-level helpers called by batch code are read before the hybrid tier parallelises them:
an impure helper keeps the class at the generator tier; a helper from another module is noted as
assumed pure."""

from __future__ import annotations

import pytest

from seq2tfdata import convert_source

TEMPLATE = """
import numpy as np
import keras
{imports}

{helper}


class Rows(keras.utils.Sequence):
    def __init__(self, ids, batch_size=2, **kwargs):
        super().__init__(**kwargs)
        self.ids = ids
        self.batch_size = batch_size

    def __len__(self):
        return len(self.ids) // self.batch_size

    def __getitem__(self, idx):
        ids = self.ids[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([{call} for i in ids])
"""

COUNTER = "SEEN = []\n\n\ndef load(i):\n    SEEN.append(i)\n    return np.full(3, i)\n"
IMPURE = [
    pytest.param(COUNTER, "load(i)", "calls .append() on `SEEN` (module-level state)", id="appends-to-module-list"),
    pytest.param(
        "COUNT = 0\n\n\ndef load(i):\n    global COUNT\n    COUNT += 1\n    return np.full(3, COUNT)\n",
        "load(i)", "rebinds module-level state", id="global-counter",
    ),
    pytest.param(
        "def load(i):\n    return np.full(3, i) + np.random.rand()\n", "load(i)", "draws random numbers", id="random-draw",
    ),
    pytest.param(
        "CACHE = {}\n\n\ndef load(i):\n    CACHE[i] = np.full(3, i)\n    return CACHE[i]\n",
        "load(i)", "assigns into `CACHE`", id="writes-into-module-dict",
    ),
    pytest.param(
        "def inner(row):\n    row.sort()\n    return row\n\n\ndef load(i):\n    return inner([3, 1, i])\n",
        "load(i)", "helper `inner()` calls .sort() on `row` (its argument state)", id="transitive-argument-mutation",
    ),
]


@pytest.mark.parametrize(("helper", "call", "reason"), IMPURE)
def test_impure_helper_is_never_parallelised(helper: str, call: str, reason: str) -> None:
    converted = convert_source(TEMPLATE.format(imports="", helper=helper, call=call))
    (finding,) = converted.findings
    assert finding.tier.value == "generator", finding.reasons
    assert any(reason in r.message for r in finding.reasons), finding.reasons


def test_pure_helper_runs_per_row_in_the_hybrid_tier() -> None:
    helper = "def load(i):\n    values = [i, i + 1, i + 2]\n    values.reverse()\n    return np.asarray(values) * 2\n"
    converted = convert_source(TEMPLATE.format(imports="", helper=helper, call="load(i)"))
    (finding,) = converted.findings
    assert finding.tier.value == "hybrid", finding.reasons
    assert "Assumed pure" not in converted.code


def test_helper_from_another_module_is_noted_as_assumed_pure() -> None:
    converted = convert_source(TEMPLATE.format(imports="from myrepo.features import load", helper="", call="load(i)"))
    (finding,) = converted.findings
    assert finding.tier.value == "hybrid", finding.reasons
    assert "# Assumed pure, as they are defined in other modules: myrepo.features.load." in converted.code


BATCH_TEMPLATE = """
import math

import numpy as np
import keras

{helper}


class Signals(keras.utils.Sequence):
    def __init__(self, x, batch_size=3, **kwargs):
        super().__init__(**kwargs)
        self.x = x
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        batch = self.x[idx * self.batch_size:(idx + 1) * self.batch_size]
        batch = batch * 2
        return treat(batch), batch


def build(tmp_path):
    return Signals(np.arange(20, dtype=np.float32).reshape(10, 2))
"""


def test_pure_per_batch_step_alone_runs_in_numpy_function(tmp_path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    helper = "def treat(batch):\n    return np.sort(batch, axis=1)[:, ::-1].copy()\n"
    converted = convert_source(BATCH_TEMPLATE.format(helper=helper))
    (finding,) = converted.findings
    assert finding.tier.value == "hybrid", finding.reasons
    assert "python_batch_0(batch)" in converted.code and "batch = " in converted.code
    module = tmp_path / "signals.py"
    module.write_text(converted.code, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()


@pytest.mark.parametrize(
    ("helper", "reason"),
    [
        pytest.param("def treat(batch):\n    batch -= batch.mean()\n    return batch\n", "updates `batch` (its argument state)", id="in-place"),
        pytest.param("LOG = []\n\n\ndef treat(batch):\n    LOG.append(len(batch))\n    return batch\n", "module-level", id="logs"),
    ],
)
def test_impure_per_batch_step_keeps_the_class_at_the_generator_tier(helper: str, reason: str) -> None:
    converted = convert_source(BATCH_TEMPLATE.format(helper=helper))
    (finding,) = converted.findings
    assert finding.tier.value == "generator", finding.reasons
    assert any(reason in r.message for r in finding.reasons), finding.reasons
