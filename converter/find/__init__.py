"""Discovery: which classes in a module are Keras Sequence / PyDataset subclasses."""

from converter.find.sequences import SequenceClass, find_sequence_classes

__all__ = ["SequenceClass", "find_sequence_classes"]
