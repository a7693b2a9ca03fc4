"""Runtime equivalence harness: does ``seq.to_tf_dataset()`` yield what the Sequence yields?

This is the one part of the package that imports TensorFlow, and only inside functions, so
that importing ``converter`` stays cheap.
"""

from seq2tfdata.verify.load import load_factory
from seq2tfdata.verify.report import Mismatch, VerifyError, VerifyReport
from seq2tfdata.verify.run import available_devices, verify_equivalence

__all__ = [
    "Mismatch",
    "VerifyError",
    "VerifyReport",
    "available_devices",
    "load_factory",
    "verify_equivalence",
]
