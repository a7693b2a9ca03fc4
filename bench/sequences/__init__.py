"""Sequences as users write them, one per benchmark workload.

`bench.anchors` reads each file's text and converts it with seq2tfdata at run time; the classes
are written the usual way on purpose, not to suit the converter.
"""
