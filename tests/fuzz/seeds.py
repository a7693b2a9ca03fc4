"""The texts every fuzz input starts from: real converter inputs and outputs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def seed_paths() -> list[Path]:
    fixtures = ROOT / "tests" / "fixtures"
    paths = [*fixtures.glob("*/input.py"), *fixtures.glob("*/expected.py"), *(ROOT / "examples").rglob("*.py")]
    # Sorted so that a seed number picks the same text on every machine.
    return sorted(paths)


def read_exact(path: Path) -> str:
    """The text as the converter's callers see it: no newline translation, BOM kept, and a lone
    surrogate (which a reproducer may hold) surviving the round trip through the file."""
    return path.read_bytes().decode("utf-8", errors="surrogatepass")


def write_exact(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))


def load_seeds() -> list[tuple[str, str]]:
    """``(name, text)`` for every seed, the name relative to the repository root."""
    return [(str(path.relative_to(ROOT)), read_exact(path)) for path in seed_paths()]
