"""Benchmark anchors (issue 12, point 4): each workload's Sequence, its conversions at every
tier, Keras' own PyDataset path and a hand-written tf.data pipeline, timed in one run."""
