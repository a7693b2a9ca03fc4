"""Dotted module names of files, and the names an import may use for a class in one."""

from __future__ import annotations

from pathlib import PurePath


def module_name(relative_path: PurePath) -> str:
    """``pkg/data/base.py`` -> ``pkg.data.base`` (``pkg/__init__.py`` -> ``pkg``)."""
    parts = list(relative_path.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def importable_names(module: str, class_name: str) -> set[str]:
    """Every name an import may use for the class: the repository root need not be the
    import root (``src.pkg.base.Base`` is imported as ``pkg.base.Base``)."""
    parts = module.split(".") if module else []
    return {".".join([*parts[start:], class_name]) for start in range(len(parts) + 1)}


def resolve_relative(name: str, module: str, is_package: bool = False) -> str:
    """``.base.Base`` imported in ``pkg.child`` -> ``pkg.base.Base``."""
    level = len(name) - len(name.lstrip("."))
    package = module.split(".") if module else []
    package = package if is_package else package[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)]
    return ".".join([*package, name.lstrip(".")])
