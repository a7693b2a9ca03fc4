import os

# TensorFlow's C++ start-up logging drowns pytest output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
