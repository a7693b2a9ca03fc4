"""Which converted class, if any, a name in one module refers to.

Classes are told apart by their qualified names (``pkg.data.DataGenerator``), never by their
simple names: two files may each define a ``DataGenerator``, and only one of them may be a
converted Sequence. A name refers to a converted class when it is that class defined in this
very module, or imported from the module that defines it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from libcst.metadata import QualifiedName, QualifiedNameSource

from seq2tfdata.find.modules import resolve_relative


def qualified(module: str, name: str) -> str:
    return f"{module}.{name}" if module else name


@dataclass(frozen=True)
class ConvertedClasses:
    """The converted classes of a repository, seen from ``module`` (the file being fixed).

    ``names`` are ``module.qualname`` as :func:`qualified` builds them from the module names the
    pre-pass gives files (``seq2tfdata.write.prepass.module_for``); a class of a module without a
    name is just its qualname (``Gen``, ``outer.<locals>.Gen``) and only matches in that module.
    """

    names: frozenset[str]
    module: str = ""
    is_package: bool = False

    @classmethod
    def of(cls, names: Iterable[str], module: str = "", is_package: bool = False) -> ConvertedClasses:
        return cls(frozenset(names), module, is_package)

    @cached_property
    def simple_names(self) -> frozenset[str]:
        return frozenset(name.rpartition(".")[2] for name in self.names)

    def absolute(self, name: QualifiedName) -> str:
        """``name`` as the repository knows it: with this module's name for a class defined
        here, resolved for a relative import."""
        if name.source is QualifiedNameSource.LOCAL:
            return qualified(self.module, name.name)
        if name.name.startswith("."):
            return resolve_relative(name.name, self.module, self.is_package)
        return name.name

    def match(self, name: QualifiedName) -> str | None:
        """The converted class ``name`` refers to, or None."""
        full = self.absolute(name)
        if name.source is QualifiedNameSource.LOCAL:
            return full if full in self.names else None
        if name.source is not QualifiedNameSource.IMPORT:
            return None
        return next((c for c in sorted(self.names) if "<locals>" not in c and _same_module_path(full, c)), None)

    def spelled_like(self, simple_names: Iterable[str]) -> list[str]:
        """The converted classes whose simple name is one of ``simple_names``."""
        wanted = set(simple_names)
        return sorted(name for name in self.names if name.rpartition(".")[2] in wanted)


def _same_module_path(imported: str, defined: str) -> bool:
    """Whether an import of ``imported`` reaches the class named ``defined`` by the pre-pass.

    The directory the run was given need not be the import root: ``src/pkg/data.py`` is module
    ``pkg.data`` for a run over ``src`` but is imported as ``data`` by a script beside it, and
    ``data`` for a run over ``src/pkg`` but imported as ``pkg.data``. So one name must end with
    the other, and the shorter must still name a module and its class.
    """
    shorter, longer = sorted((imported, defined), key=lambda name: name.count("."))
    if shorter.count(".") < 1:
        return False
    return longer == shorter or longer.endswith("." + shorter)
