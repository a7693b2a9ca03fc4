import atexit
import os
import shutil
import tempfile

# TensorFlow's C++ start-up logging drowns pytest output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# The suite never writes to the user's cache; subprocesses inherit the variable.
_CACHE = tempfile.mkdtemp(prefix="seq2tfdata-test-cache-")
os.environ["SEQ2TFDATA_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
