"""Turn a ``path/to/file.py:NAME`` spec into the callable it names."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from seq2tfdata.verify.report import VerifyError

_module_numbers = itertools.count()


def load_factory(spec: str) -> Callable[..., Any]:
    """Import the file in ``spec`` as a fresh module and return its attribute ``NAME``.

    Every call imports the file again under a new module name, so two specs naming the same
    file (or a file edited between calls) never share module state.
    """
    path_text, separator, name = spec.rpartition(":")
    if not separator or not path_text or not name:
        raise VerifyError(f"expected FILE.py:NAME, got {spec!r}")
    path = Path(path_text)
    if not path.is_file():
        raise VerifyError(f"{path}: no such file")
    module = _import_file(path)
    try:
        factory = getattr(module, name)
    except AttributeError:
        raise VerifyError(f"{path}: no attribute named {name!r}") from None
    if not callable(factory):
        raise VerifyError(f"{path}:{name} is a {type(factory).__name__}, not a callable")
    return factory


def _import_file(path: Path) -> ModuleType:
    module_name = f"_seq2tfdata_verify_{next(_module_numbers)}_{path.stem}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    if module_spec is None or module_spec.loader is None:
        raise VerifyError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(module_spec)
    # Registered before running, because dataclasses and pickling look the module up by name.
    sys.modules[module_name] = module
    directory = str(path.resolve().parent)
    sys.path.insert(0, directory)
    try:
        module_spec.loader.exec_module(module)
    except (Exception, SystemExit) as error:  # sys.exit() at import time fails this file only
        del sys.modules[module_name]
        raise VerifyError(f"{path}: importing failed: {type(error).__name__}: {error}") from error
    finally:
        # Only imports made while the module body runs see its siblings; that covers the
        # usual top-of-file ``from helpers import ...``.
        sys.path.remove(directory)
    return module
