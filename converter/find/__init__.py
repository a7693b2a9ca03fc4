"""Discovery: which classes in a module are Keras Sequence / PyDataset subclasses."""

from seq2tfdata.find.sequences import SequenceClass, find_sequence_classes

__all__ = ["SequenceClass", "find_sequence_classes"]
