"""Native-tier analysis: model what ``__getitem__`` computes as tf.data operations."""
