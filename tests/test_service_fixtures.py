"""Native pipelines run in the tf.data service; generator and hybrid ones are known not to."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from seq2tfdata.markers import FALLBACK_WARNING
from tests.fixture_cases import REAL_WORLD_PREFIX, factories, fixture_cases


def _cases(marker: str) -> list:
    cases = []
    for case in fixture_cases():
        expected = (case / "expected.py").read_text(encoding="utf-8")
        if marker in expected and "def build(" in expected:
            cases.append(pytest.param(case, id=case.name))
    return cases


def _build(case: Path, tmp_path: Path, factory_name: str = "build"):
    from seq2tfdata.verify import load_factory

    module = tmp_path / f"service_{case.name}.py"
    shutil.copyfile(case / "expected.py", module)
    data = tmp_path / "data"
    data.mkdir()
    return load_factory(f"{module}:{factory_name}")(data)


def _samples(batches: list) -> list[bytes]:
    """Every sample of a pass as bytes, sorted: the service may interleave batches differently."""
    import tensorflow as tf

    samples = []
    for batch in batches:
        leaves = [np.asarray(leaf) for leaf in tf.nest.flatten(batch)]
        for row in range(len(leaves[0]) if leaves[0].ndim else 1):
            samples.append(b"|".join(leaf[row].tobytes() if leaf.ndim else leaf.tobytes() for leaf in leaves))
    return sorted(samples)


@pytest.mark.parametrize("case", _cases("(native tier)"))
def test_native_fixture_runs_through_the_tf_data_service(case: Path, tmp_path: Path) -> None:
    from seq2tfdata.verify.service import is_service_compatible, run_through_service

    # Samples are compared with augmentation off; augmented pipelines are checked below.
    sequence = _build(case, tmp_path, factories(case)[-1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = sequence.to_tf_dataset()
    if any(FALLBACK_WARNING in str(warning.message) for warning in caught):
        # A real-world class whose data breaks a native assumption is served by its generator
        # pipeline, which the service check must then refuse rather than run.
        assert case.name.startswith(REAL_WORLD_PREFIX), "an own fixture fell back"
        assert is_service_compatible(dataset)[0] is False
        return
    assert is_service_compatible(dataset) == (True, "")
    local = list(dataset.as_numpy_iterator())
    (remote,) = run_through_service(dataset, epochs=1)
    assert len(remote) == len(local)
    assert _samples(remote) == _samples(local)


def _augmenting_cases() -> list:
    return [case for case in _cases("(native tier)") if "build_plain" in factories(case.values[0])]


@pytest.mark.parametrize("case", _augmenting_cases())
def test_augmenting_native_fixture_draws_the_same_in_the_tf_data_service(case: Path, tmp_path: Path) -> None:
    """Under TensorFlow's global seed a pass draws the same augmentations locally and in the service."""
    import tensorflow as tf

    from seq2tfdata.verify.service import is_service_compatible, run_through_service

    tf.random.set_seed(7)
    dataset = _build(case, tmp_path).to_tf_dataset()
    assert is_service_compatible(dataset) == (True, "")
    local = list(dataset.as_numpy_iterator())
    (remote,) = run_through_service(dataset, epochs=1)
    assert len(remote) == len(local)
    assert _samples(remote) == _samples(local)
    assert _samples(list(dataset.as_numpy_iterator())) != _samples(local), "a second pass draws anew"


@pytest.mark.parametrize("case", _cases("(generator tier)")[:1] + _cases("(hybrid tier)")[:1])
def test_python_backed_tiers_are_reported_incompatible(case: Path, tmp_path: Path) -> None:
    from seq2tfdata.verify.service import is_service_compatible

    compatible, op = is_service_compatible(_build(case, tmp_path).to_tf_dataset())
    assert not compatible and op
