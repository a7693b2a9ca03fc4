"""Code kept around from the Keras 2 days."""
