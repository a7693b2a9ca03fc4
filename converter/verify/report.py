"""What a verification run found: the first mismatch, if any, and how the run was done."""

from __future__ import annotations

from dataclasses import dataclass

MISMATCH_KINDS = ("structure", "dtype", "shape", "values", "count", "error")


class VerifyError(Exception):
    """The verification could not be set up (bad factory spec, unavailable device, bad option).

    A Sequence or dataset that *fails while running* is not a ``VerifyError``: that is reported
    as a mismatch of kind ``error`` so that one broken class does not hide the others.
    """


@dataclass(frozen=True)
class Mismatch:
    """The first place where the converted dataset differs from the Sequence.

    ``epoch`` and ``batch`` count from 0; ``batch`` is None when the difference is not tied to
    one batch (an epoch compared as a multiset of samples, a batch count, a failing hook).
    ``leaf_path`` addresses the leaf inside a batch, e.g. ``[0]["input_ids"]``; it is empty for
    a batch that is a single array. ``side`` says which side raised, for kind ``error``.
    """

    epoch: int
    batch: int | None
    leaf_path: str
    kind: str
    expected: str
    actual: str
    max_abs_diff: float | None = None
    first_index: tuple[int, ...] | None = None
    side: str | None = None

    def render(self) -> str:
        where = f"epoch {self.epoch}"
        if self.batch is not None:
            where += f", batch {self.batch}"
        if self.leaf_path:
            where += f", leaf {self.leaf_path}"
        if self.kind == "error":
            return f"ERROR raised by the {self.side} side at {where}: {self.actual}"
        text = f"MISMATCH ({self.kind}) at {where}: expected {self.expected}, got {self.actual}"
        details = []
        if self.first_index:
            details.append(f"first difference at index {self.first_index}")
        if self.max_abs_diff is not None:
            details.append(f"max abs diff {self.max_abs_diff:g}")
        return f"{text} ({', '.join(details)})" if details else text


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of comparing one Sequence with its ``to_tf_dataset()``.

    ``batches_per_epoch`` counts the reference batches compared in each epoch.
    ``unordered_epochs`` lists the epochs compared as multisets of samples.
    ``drawn_epochs`` lists the epochs where both sides draw their own random numbers (the
    Sequence's samples change with the seed): those are compared by structure, dtype and shape.
    ``sampled_epochs`` lists the epochs that are random subsets of the rows on both sides (shuffled,
    last partial batch dropped): each converted sample must be one the Sequence serves.
    ``infinite`` is True when the Sequence has ``num_batches = None``: then only the first
    ``batches_per_epoch[0]`` batches of a single epoch were compared.
    """

    ok: bool
    device: str
    epochs: int
    batches_per_epoch: list[int]
    unordered_epochs: tuple[int, ...] = ()
    mismatch: Mismatch | None = None
    infinite: bool = False
    drawn_epochs: tuple[int, ...] = ()
    sampled_epochs: tuple[int, ...] = ()
    # Set when the native or hybrid pipeline found an assumption broken by the data and the
    # Sequence was served by its generator pipeline instead: the warning it gave.
    fallback: str | None = None

    def render(self) -> str:
        lines = [self._summary()]
        if self.infinite:
            lines.append(
                f"  infinite dataset: only the first {self._first_count()} batches "
                "of one epoch were compared"
            )
        if self.unordered_epochs:
            epochs = ", ".join(str(epoch) for epoch in self.unordered_epochs)
            lines.append(f"  compared as multisets (the Sequence shuffles): epoch {epochs}")
        if self.sampled_epochs:
            epochs = ", ".join(str(epoch) for epoch in self.sampled_epochs)
            lines.append(
                "  compared as random subsets of the Sequence's rows (it shuffles and drops the last"
                f" partial batch): epoch {epochs}"
            )
        if self.drawn_epochs:
            epochs = ", ".join(str(epoch) for epoch in self.drawn_epochs)
            lines.append(
                f"  compared by structure, dtype and shape only (random augmentation): epoch {epochs};"
                " verify with augmentation off to compare values"
            )
        if self.fallback is not None:
            lines.append(f"  served by the generator fallback: {self.fallback}")
        if self.mismatch is not None:
            lines.append(f"  {self.mismatch.render()}")
        return "\n".join(lines)

    def _summary(self) -> str:
        status = "OK" if self.ok else "FAILED"
        counts = ", ".join(str(count) for count in self.batches_per_epoch) or "none"
        return (
            f"{status}: {self.epochs} epoch(s) on {self.device}, "
            f"reference batches per epoch: {counts}"
        )

    def _first_count(self) -> int:
        return self.batches_per_epoch[0] if self.batches_per_epoch else 0
