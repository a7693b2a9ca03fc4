"""Data loading for the toy classifiers."""
