"""``[tool.seq2tfdata]`` in ``pyproject.toml``: where it is and what it holds. Pure: no
printing; a malformed file raises :class:`ConfigError`, which the CLI turns into exit 2."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: tomli, where installed; without it only tables are refused
    try:
        import tomli as tomllib  # type: ignore[no-redef]
    except ImportError:
        tomllib = None  # type: ignore[assignment]

PYPROJECT = "pyproject.toml"
TABLE = ("tool", "seq2tfdata")


class ConfigError(ValueError):
    """The configuration cannot be read or holds an option that is not valid."""


def find_pyproject(paths: Iterable[Path]) -> Path | None:
    """The nearest ``pyproject.toml`` at or above the deepest directory common to ``paths``
    (black's project root), or ``None``."""
    absolute = [path.resolve() for path in paths]
    if not absolute:
        absolute = [Path.cwd()]
    directories = [path if path.is_dir() else path.parent for path in absolute]
    common = Path(*_common_parts(directories))
    for directory in (common, *common.parents):
        candidate = directory / PYPROJECT
        if candidate.is_file():
            return candidate
    return None


def _common_parts(directories: list[Path]) -> tuple[str, ...]:
    common = directories[0].parts
    for directory in directories[1:]:
        parts = directory.parts
        length = next((i for i, (a, b) in enumerate(zip(common, parts)) if a != b), min(len(common), len(parts)))
        common = common[:length]
    return common


def load_table(path: Path) -> dict[str, object]:
    """The ``[tool.seq2tfdata]`` table of ``path`` (empty when absent), keys with ``-`` read as ``_``."""
    try:
        with path.open("rb") as stream:
            data = stream.read()
        if tomllib is None:
            if b"seq2tfdata" in data:
                raise ConfigError(f"{path}: reading [tool.seq2tfdata] on Python 3.10 needs `pip install tomli`")
            return {}
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    table: object = document
    for key in TABLE:
        table = table.get(key, {}) if isinstance(table, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.seq2tfdata] must be a table")
    return {key.replace("-", "_"): value for key, value in table.items()}
