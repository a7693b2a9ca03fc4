"""Every construct taught for issue 12 (``tests/constructs.py``): its fast example takes the fast
path, its other example must not, and both give the Sequence's batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.constructs import CONSTRUCTS, Construct, Example
from tests.fixture_cases import converted_module, verified

CASES = [
    pytest.param(construct, example, fast, id=f"{construct.name}-{'fast' if fast else 'not-fast'}")
    for construct in CONSTRUCTS
    for example, fast in ((construct.fast, True), (construct.not_fast, False))
]


def test_every_construct_has_both_examples_and_a_reason() -> None:
    names = [construct.name for construct in CONSTRUCTS]
    assert len(set(names)) == len(names)
    for construct in CONSTRUCTS:
        assert construct.fast.source != construct.not_fast.source, construct.name
        assert construct.fast.fast_marker == construct.not_fast.fast_marker, construct.name
        assert construct.why_not.strip(), construct.name


@pytest.mark.parametrize(("construct", "example", "fast"), CASES)
def test_only_the_fast_example_takes_the_fast_path(
    construct: Construct, example: Example, fast: bool, tmp_path: Path
) -> None:
    code, module = converted_module(example.source, example.tier, tmp_path)
    method = code[code.index("def to_tf_dataset"):]
    assert (example.fast_marker in method) == fast, construct.why_not
    verified(module, "build", tmp_path, epochs=2)
