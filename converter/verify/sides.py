"""Run one side of the comparison: the Sequence by hand, or its ``to_tf_dataset()``.

Both runs catch whatever the user's code raises and record where it happened, so that the
comparison can still report the batches that matched before it.
"""

from __future__ import annotations

import inspect
import random
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from seq2tfdata.markers import DRAWS_NOTE, FALLBACK_WARNING, facts_in
from seq2tfdata.verify.normalize import Batch, normalize_batch
from seq2tfdata.verify.report import VerifyError

REFERENCE = "reference"
CONVERTED = "converted"
# The reference replayed under another seed, to see which epochs the Sequence shuffles.
PROBE = "probe"

# Base classes whose ``num_batches`` is only the default ``len(self)``.
_LIBRARY_MODULES = ("keras.", "tf_keras.", "tensorflow.")
_EXCEPTION_LINE = re.compile(r"[A-Za-z_][\w.]*: ")


@dataclass(frozen=True)
class SideError:
    """An exception from one side. ``after`` counts the batches that epoch delivered first."""

    side: str
    epoch: int
    batch: int | None
    after: int
    message: str


@dataclass
class SideRun:
    epochs: list[list[Batch]] = field(default_factory=list)
    error: SideError | None = None
    # The reference's batch count; None also for an infinite Sequence (see ``infinite``).
    num_batches: int | None = None
    infinite: bool = False
    # The converted pipeline reshuffles rows with tf.data, so its epochs match only as multisets.
    reshuffles: bool = False
    # The converted pipeline draws its own random numbers (augmentation), so where the Sequence's
    # draws change its samples, values cannot match.
    draws_random: bool = False
    # The warning of a native or hybrid pipeline that fell back to its generator pipeline.
    fallback: str | None = None


def reseed(seed: int) -> None:
    import tensorflow as tf

    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)
    keras = sys.modules.get("keras")
    if keras is not None:
        # Also resets Keras' global SeedGenerator behind unseeded ``keras.random`` calls.
        keras.utils.set_random_seed(seed)


def run_reference(
    factory: Callable[..., Any],
    *,
    seed: int,
    epochs: int,
    infinite_batches: int,
    scratch: Callable[[str], Path],
    role: str = REFERENCE,
) -> SideRun:
    """Play the epochs the way Keras' ``fit`` does, but by index (never ``iter(seq)``)."""
    run = SideRun()
    reseed(seed)
    try:
        sequence = call_factory(factory, scratch, role)
        run.num_batches = _batch_count(sequence)
    except Exception as error:
        run.error = _side_error(REFERENCE, 0, None, 0, error)
        return run
    run.infinite = run.num_batches is None
    for epoch in range(1 if run.infinite else epochs):
        batches: list[Batch] = []
        run.epochs.append(batches)
        try:
            # Re-read every epoch, as a pass over the dataset does: len() may change.
            limit = infinite_batches if run.infinite else (_batch_count(sequence) if epoch else run.num_batches)
        except Exception as error:
            run.error = _side_error(REFERENCE, epoch, None, 0, error)
            break
        run.error = _play_epoch(sequence, epoch, limit, batches, call_end=not run.infinite)
        if run.error is not None:
            break
    return run


def run_converted(
    factory: Callable[..., Any],
    *,
    seed: int,
    limits: list[int],
    device: str,
    scratch: Callable[[str], Path],
) -> SideRun:
    """One pass over a single ``to_tf_dataset()`` per epoch, reading at most ``limits[e]``."""
    import tensorflow as tf

    run = SideRun()
    reseed(seed)
    with tf.device(device):
        try:
            sequence = call_factory(factory, scratch, CONVERTED)
            generated = _generated_source(type(sequence))
            block = facts_in(generated)
            if block is not None:
                run.reshuffles, run.draws_random = block.reshuffles, block.draws
            else:  # a block written before the facts line (output version 3 and older)
                run.reshuffles = ".shuffle(num_rows, reshuffle_each_iteration=True)" in generated
                run.draws_random = DRAWS_NOTE in generated
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                dataset = sequence.to_tf_dataset()
            run.fallback = next((str(w.message) for w in caught if FALLBACK_WARNING in str(w.message)), None)
        except Exception as error:
            run.error = _side_error(CONVERTED, 0, None, 0, error)
            return run
        for epoch, limit in enumerate(limits):
            batches: list[Batch] = []
            run.epochs.append(batches)
            run.error = _drain(dataset, epoch, limit, batches)
            if run.error is not None:
                break
    return run


def _generated_source(cls: type) -> str:
    """The source of ``to_tf_dataset``, which says how the native tier built the pipeline."""
    try:
        return inspect.getsource(cls.to_tf_dataset)
    except (AttributeError, OSError, TypeError):
        return ""


def factory_arity(factory: Callable[..., Any]) -> int:
    """0 or 1: whether the factory wants a scratch directory as its one positional argument."""
    if not callable(factory):
        raise VerifyError(f"the factory must be callable, got {type(factory).__name__}")
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return 0
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = sum(p.kind in positional and p.default is p.empty for p in parameters)
    if required > 1:
        raise VerifyError(
            f"the factory must take 0 or 1 positional arguments, it requires {required}"
        )
    return required


def call_factory(factory: Callable[..., Any], scratch: Callable[[str], Path], role: str) -> Any:
    """The factory's Sequence. Its ``sys.exit()`` and a result that is no Sequence become
    ordinary exceptions, so that they fail this factory's run and not the whole ``verify``."""
    try:
        made = factory(scratch(role)) if factory_arity(factory) else factory()
    except SystemExit as exit:
        raise RuntimeError(f"the factory called sys.exit({exit.code!r})") from None
    kind = type(made)
    has_length = hasattr(kind, "__len__") or hasattr(kind, "num_batches")
    # A list or an array has __getitem__ and __len__ too, but is data, not a Sequence.
    is_data = kind.__module__ in ("builtins", "numpy")
    if is_data or not hasattr(kind, "__getitem__") or not has_length:
        raise TypeError(
            f"the factory returned a {kind.__name__}, not a Sequence "
            "(an instance of a class with __getitem__ and __len__ or num_batches)"
        )
    return made


def _batch_count(sequence: Any) -> int | None:
    if _defines_num_batches(type(sequence)):
        count = sequence.num_batches
        return None if count is None else int(count)
    return len(sequence)


def _defines_num_batches(cls: type) -> bool:
    for klass in cls.__mro__:
        if "num_batches" in vars(klass):
            return not klass.__module__.startswith(_LIBRARY_MODULES)
    return False


def _play_epoch(
    sequence: Any, epoch: int, limit: int, batches: list[Batch], *, call_end: bool
) -> SideError | None:
    try:
        _call_hook(sequence, "on_epoch_begin")
    except Exception as error:
        return _side_error(REFERENCE, epoch, None, 0, error)
    for index in range(limit):
        try:
            batches.append(normalize_batch(sequence[index]))
        except Exception as error:
            return _side_error(REFERENCE, epoch, index, index, error)
    try:
        if call_end:
            _call_hook(sequence, "on_epoch_end")
    except Exception as error:
        return _side_error(REFERENCE, epoch, None, len(batches), error)
    return None


def _call_hook(sequence: Any, name: str) -> None:
    hook = getattr(sequence, name, None)
    if callable(hook):
        hook()


def _drain(dataset: Any, epoch: int, limit: int, batches: list[Batch]) -> SideError | None:
    try:
        iterator = iter(dataset)
    except Exception as error:
        return _side_error(CONVERTED, epoch, None, 0, error)
    for index in range(limit):
        try:
            element = next(iterator)
        except StopIteration:
            return None
        except Exception as error:
            return _side_error(CONVERTED, epoch, index, index, error)
        try:
            batches.append(normalize_batch(element))
        except Exception as error:
            return _side_error(CONVERTED, epoch, index, index, error)
    return None


def _side_error(
    side: str, epoch: int, batch: int | None, after: int, error: Exception
) -> SideError:
    return SideError(side, epoch, batch, after, describe_exception(error))


def describe_exception(error: BaseException, limit: int = 300) -> str:
    """``Type: message`` in one line; for a tf.data op error, the Python error it wraps."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = f"{type(error).__name__}: {lines[0] if lines else ''}"
    if lines and lines[0].startswith("{{function_node"):
        # from_generator re-raises a generator's exception as an op error whose text ends
        # with the original traceback; its last "Type: message" line is the useful part.
        raised = [line for line in lines[1:] if _EXCEPTION_LINE.match(line)]
        inner = raised[-1] if raised else lines[0].split("}}", 1)[-1].strip()
        text = f"{inner} (raised inside tf.data as {type(error).__name__})"
    return text if len(text) <= limit else text[: limit - 3] + "..."
