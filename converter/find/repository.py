"""Sequence classes across files: a subclass of a Sequence defined in another module of the
repository is a Sequence too. Pure functions; the file walking is the caller's."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper

from seq2tfdata.find.modules import importable_names
from seq2tfdata.find.sequences import find_sequence_classes


def sequence_class_names(code: str, module: str, known_bases: frozenset[str]) -> set[str]:
    """Importable names of the module-level Sequence classes ``code`` defines."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(code))
    except cst.ParserSyntaxError:
        return set()
    names: set[str] = set()
    for cls in find_sequence_classes(wrapper, known_bases, module):
        if cls.is_sequence and "<locals>" not in cls.qualified_name:
            names |= importable_names(module, cls.qualified_name)
    return names
