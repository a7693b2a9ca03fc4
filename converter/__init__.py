"""seq2tfdata: convert Keras Sequence / PyDataset classes into tf.data pipelines."""

from seq2tfdata.core import convert_source
from seq2tfdata.model import ClassFinding, Options, Reason, Result, Tier

__all__ = ["ClassFinding", "Options", "Reason", "Result", "Tier", "convert_source"]
__version__ = "0.1.0"
