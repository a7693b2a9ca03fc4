"""Check at run time that ``seq.to_tf_dataset()`` yields exactly the batches of the Sequence."""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import replace
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from seq2tfdata.verify.compare import (
    Tolerance,
    compare_epoch_exact,
    compare_epoch_multiset,
    compare_epoch_structure,
    describe_count,
)
from seq2tfdata.verify.report import Mismatch, VerifyError, VerifyReport
from seq2tfdata.verify.subsets import compare_epoch_subset
from seq2tfdata.verify.sides import (
    PROBE,
    SideError,
    SideRun,
    factory_arity,
    run_converted,
    run_reference,
)

ORDERS = ("auto", "exact", "multiset")
DEVICES = ("auto", "cpu", "gpu")


def available_devices() -> list[str]:
    """The devices ``verify_equivalence`` can run on here: ``["cpu"]`` or ``["cpu", "gpu"]``."""
    import tensorflow as tf

    return ["cpu", "gpu"] if tf.config.list_physical_devices("GPU") else ["cpu"]


def verify_equivalence(
    factory: Callable[..., Any],
    *,
    epochs: int = 2,
    device: str = "auto",
    atol: float = 0.0,
    rtol: float = 0.0,
    order: str = "auto",
    seed: int = 0,
    workdir: str | Path | None = None,
    infinite_batches: int = 8,
    on_step: Callable[[str], None] = lambda step: None,
) -> VerifyReport:
    """Run ``factory()`` as a Sequence and again through ``to_tf_dataset()``, and compare.

    ``factory`` returns a Sequence instance; if it requires one positional argument it gets a
    fresh scratch directory per instance (under ``workdir`` when given, else under a temporary
    directory removed afterwards). Global RNGs are re-seeded with ``seed`` before each side.

    ``order="auto"`` compares an epoch as a multiset of samples only when the Sequence itself
    shuffles it, which is detected by replaying the Sequence under another seed.
    An infinite Sequence (``num_batches`` None) is compared on its first ``infinite_batches``
    batches of one epoch. Raises ``VerifyError`` only for bad arguments; whatever the
    Sequence or the dataset raise is reported as a mismatch of kind ``error``. ``on_step`` hears
    of each long step as it starts (the CLI shows them with the elapsed time).
    """
    _check_options(epochs, order, atol, rtol, infinite_batches)
    factory_arity(factory)
    device_name = _resolve_device(device)
    tolerance = Tolerance(atol=atol, rtol=rtol)
    with _scratch_dirs(workdir) as scratch:
        on_step(f"playing {epochs} epoch(s) of the Sequence")
        reference = run_reference(
            factory, seed=seed, epochs=epochs, infinite_batches=infinite_batches, scratch=scratch
        )
        converted = SideRun()
        probe = None
        drawn: tuple[int, ...] = ()
        sampled: tuple[int, ...] = ()
        pool: list = []
        if reference.epochs:
            if order == "auto":
                on_step("replaying the Sequence under another seed")
                probe = run_reference(
                    factory,
                    seed=seed + 1,
                    epochs=epochs,
                    infinite_batches=infinite_batches,
                    scratch=scratch,
                    role=PROBE,
                )
            sampled = _sampled_epochs(reference, probe)
            if sampled:
                # Every row should be seen somewhere: a few more replays of the Sequence.
                replays = [
                    run_reference(factory, seed=seed + 2 + extra, epochs=epochs, infinite_batches=infinite_batches, scratch=scratch, role=PROBE)
                    for extra in range(_EXTRA_REPLAYS)
                ]
                pool = [e for run in (reference, probe, *replays) if run is not None for e in run.epochs]
            limits = _read_limits(reference, epochs, infinite_batches)
            device_spec = f"/{device_name.upper()}:0"
            on_step(f"iterating to_tf_dataset() for {epochs} pass(es) on {device_name}")
            converted = run_converted(factory, seed=seed, limits=limits, device=device_spec, scratch=scratch)
            if converted.draws_random and order == "auto":
                # Whether the pipeline's draws are switched on shows in the pipeline itself: its
                # samples change with TensorFlow's seed. The Sequence may seed numpy in its factory.
                redrawn = run_converted(factory, seed=seed + 1, limits=limits, device=device_spec, scratch=scratch)
                drawn = _drawn_epochs(converted, redrawn)
    unordered = _unordered_epochs(order, reference, probe)
    if order == "auto" and converted.reshuffles:
        unordered = tuple(range(len(reference.epochs)))
    mismatch = _first_mismatch(reference, converted, unordered, tolerance, drawn)
    subsets = ()
    if mismatch is not None and sampled and not drawn:
        # Exactly or as multisets the epochs differ; as random subsets of the rows they may not.
        subsets = sampled
        mismatch = _first_mismatch(reference, converted, unordered, tolerance, (), (sampled, pool))
    return VerifyReport(
        ok=mismatch is None,
        device=device_name,
        epochs=len(reference.epochs) if reference.infinite else epochs,
        batches_per_epoch=[len(batches) for batches in reference.epochs],
        unordered_epochs=tuple(epoch for epoch in unordered if epoch not in drawn and epoch not in subsets),
        drawn_epochs=drawn,
        sampled_epochs=subsets,
        mismatch=mismatch,
        infinite=reference.infinite,
        fallback=converted.fallback,
    )


def _check_options(
    epochs: int, order: str, atol: float, rtol: float, infinite_batches: int
) -> None:
    if epochs < 1:
        raise VerifyError(f"epochs must be at least 1, got {epochs}")
    if order not in ORDERS:
        raise VerifyError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    if atol < 0 or rtol < 0:
        raise VerifyError("atol and rtol must not be negative")
    if infinite_batches < 1:
        raise VerifyError(f"infinite_batches must be at least 1, got {infinite_batches}")


def _resolve_device(device: str) -> str:
    if device not in DEVICES:
        raise VerifyError(f"device must be one of {', '.join(DEVICES)}, got {device!r}")
    available = available_devices()
    if device == "auto":
        return available[-1]
    if device not in available:
        raise VerifyError(f"device {device!r} requested but TensorFlow sees no {device.upper()}")
    return device


@contextlib.contextmanager
def _scratch_dirs(workdir: str | Path | None) -> Iterator[Callable[[str], Path]]:
    """Yield a maker of fresh directories, one per factory call, named after its role."""
    with contextlib.ExitStack() as stack:
        if workdir is None:
            temporary = tempfile.TemporaryDirectory(
                prefix="seq2tfdata-verify-", ignore_cleanup_errors=True
            )
            parent = Path(stack.enter_context(temporary))
        else:
            parent = Path(workdir)
            parent.mkdir(parents=True, exist_ok=True)
        yield lambda role: Path(tempfile.mkdtemp(prefix=f"{role}-", dir=parent))


def _read_limits(reference: SideRun, epochs: int, infinite_batches: int) -> list[int]:
    if reference.infinite:
        return [infinite_batches]
    # One batch more than expected, so a dataset that is too long shows up without running
    # forever; asking for it is also what lets a generator reach its ``on_epoch_end()``.
    assert reference.num_batches is not None
    return [len(batches) + 1 for batches in reference.epochs] + [reference.num_batches + 1] * (epochs - len(reference.epochs))


def _unordered_epochs(order: str, reference: SideRun, probe: SideRun | None) -> tuple[int, ...]:
    if order == "exact":
        return ()
    if order == "multiset":
        return tuple(range(len(reference.epochs)))
    if probe is None:
        return ()
    replayed = probe.epochs
    if probe.error is not None:
        # An epoch the probe did not finish says nothing about shuffling.
        replayed = replayed[: probe.error.epoch]
    exact = Tolerance()
    return tuple(
        epoch
        for epoch, (first, second) in enumerate(zip(reference.epochs, replayed))
        if compare_epoch_exact(first, second, epoch, exact) is not None
    )


_EXTRA_REPLAYS = 3


def _sampled_epochs(reference: SideRun, probe: SideRun | None) -> tuple[int, ...]:
    """Epochs whose rows, not just their order, change with the seed: the Sequence serves a random
    subset of its rows (it shuffles and drops the last partial batch) or augments them."""
    if probe is None or reference.infinite:
        return ()
    exact = Tolerance()
    return tuple(
        epoch
        for epoch, (first, second) in enumerate(zip(reference.epochs, probe.epochs))
        if compare_epoch_exact(first, second, epoch, exact) is not None
        and compare_epoch_multiset(first, second, epoch, exact) is not None
    )


def _drawn_epochs(converted: SideRun, redrawn: SideRun) -> tuple[int, ...]:
    """Epochs whose samples, not just their order, change with the seed: random augmentation."""
    exact = Tolerance()
    return tuple(
        epoch
        for epoch, (first, second) in enumerate(zip(converted.epochs, redrawn.epochs))
        if compare_epoch_multiset(first, second, epoch, exact) is not None
    )


def _first_mismatch(
    reference: SideRun,
    converted: SideRun,
    unordered: tuple[int, ...],
    tolerance: Tolerance,
    drawn: tuple[int, ...] = (),
    subsets: tuple[tuple[int, ...], list] = ((), []),
) -> Mismatch | None:
    errors = [run.error for run in (reference, converted) if run.error is not None]
    # min() keeps the first of equals, so the reference wins a tie.
    error = min(errors, key=lambda e: (e.epoch, e.after), default=None)
    for epoch, expected in enumerate(reference.epochs):
        actual = converted.epochs[epoch] if epoch < len(converted.epochs) else []
        if error is not None and error.epoch == epoch:
            shared = min(error.after, len(expected), len(actual))
            if epoch not in unordered:
                found = compare_epoch_exact(expected[:shared], actual[:shared], epoch, tolerance)
                if found is not None:
                    return found
            return _error_mismatch(error)
        compare = compare_epoch_multiset if epoch in unordered else compare_epoch_exact
        if epoch in drawn:
            compare = compare_epoch_structure
        if epoch in subsets[0]:
            pool = subsets[1]
            compare = lambda want, got, index, _: compare_epoch_subset(want, got, index, pool)  # noqa: E731
        found = compare(expected, actual, epoch, tolerance)
        if found is not None and found.kind == "count" and len(actual) > len(expected):
            # Reading stopped one batch past the reference; the dataset may be endless.
            found = replace(found, actual=f"more than {describe_count(len(expected))}")
        if found is not None:
            return found
    return _error_mismatch(error) if error is not None else None


def _error_mismatch(error: SideError) -> Mismatch:
    return Mismatch(
        epoch=error.epoch,
        batch=error.batch,
        leaf_path="",
        kind="error",
        expected="no exception",
        actual=error.message,
        side=error.side,
    )
