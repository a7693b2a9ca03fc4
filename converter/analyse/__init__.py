"""Analysis: what a Sequence class does, as far as its source shows."""
