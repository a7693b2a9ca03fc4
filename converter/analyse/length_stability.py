"""Does ``len()`` stay the same from one epoch to the next?

``assert_cardinality`` fixes the batch count when the dataset is built; a Sequence whose
``__getitem__`` or epoch hooks write an attribute that ``__len__``/``num_batches`` reads (a
``self.batch_size`` shrunk on the last batch, a list re-sampled in ``on_epoch_end``) changes
its length between epochs, and then the count must stay unknown.
"""

from __future__ import annotations

import libcst as cst

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.native.state import AttributeWrite, attribute_reads, attribute_writes
from seq2tfdata.analyse.purity import EPOCH_HOOKS
from seq2tfdata.analyse.reach import reachable_methods

LENGTH_METHODS = ("__len__", "num_batches")


def length_instability(chain: ClassChain) -> str | None:
    """Why the batch count may change between epochs, or None when it provably does not."""
    change = length_change(chain)
    if change is None:
        return None
    func, write = change
    if write is None:
        return "__len__ is defined in another file"
    return f"{func.name.value}() changes self.{write.attribute}, which the batch count reads"


def length_change(chain: ClassChain) -> tuple[cst.FunctionDef, AttributeWrite | None] | None:
    """The method and write that may change the batch count between epochs (no write: the
    count is read in another file); None when it provably stays. A shuffle in place or rows
    reordered by a permutation of all of them keep it."""
    length_code = [func for name in LENGTH_METHODS for func in reachable_methods(chain, name)]
    if not length_code:
        return None if chain.complete else (chain.cls.node, None)  # type: ignore[return-value]
    read = set().union(*(attribute_reads(func) for func in length_code))
    for entry in ("__getitem__", *EPOCH_HOOKS):
        for func in reachable_methods(chain, entry):
            for write in attribute_writes(func):
                if write.attribute in read and not write.keeps_length:
                    return func, write
    return None
