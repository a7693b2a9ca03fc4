"""seq2tfdata: convert Keras Sequence / PyDataset classes into tf.data pipelines."""

from seq2tfdata.model import ClassFinding, Options, Reason, Result, Tier

__all__ = ["ClassFinding", "Options", "Reason", "Result", "Tier", "convert_source"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # The converter (libcst and the analysis) loads on first use, so that a command that finds
    # nothing to convert (a warm cache, a pre-commit run on unchanged files) starts fast.
    if name == "convert_source":
        from seq2tfdata.core import convert_source

        return convert_source
    raise AttributeError(f"module 'seq2tfdata' has no attribute {name!r}")
