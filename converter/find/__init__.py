"""Discovery: which classes in a module are Keras Sequence / PyDataset subclasses
(``find.sequences``, on libcst), and the cheap ``ast`` summaries the cross-file index is built
from (``find.summary``, ``find.repository``), which a run that converts nothing needs alone."""
