"""Options every subcommand shares (-q/-v, --config) and the exclude patterns' parsing."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence

OUTPUT_FORMATS = ("text", "json", "github", "sarif")


def regex(text: str) -> str:
    """An argparse type: a pattern that compiles, so a bad one is a usage error (exit 2)."""
    try:
        re.compile(text)
    except re.error as error:
        raise argparse.ArgumentTypeError(f"not a regular expression: {text!r} ({error})") from None
    return text


class Patterns(argparse.Action):
    """A repeatable pattern option. The first use on the command line replaces the value the
    configuration gave (the CLI wins); later uses add to it. With ``extend=True`` (for
    ``--extend-exclude``) the command line always adds to the configuration."""

    def __init__(self, option_strings: Sequence[str], dest: str, extend: bool = False, **kwargs: object) -> None:
        kwargs.setdefault("default", [])
        super().__init__(option_strings, dest, **kwargs)  # type: ignore[arg-type]
        self.extend = extend

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # type: ignore[no-untyped-def]
        seen = f"_seen_{self.dest}"
        current = list(getattr(namespace, self.dest, None) or [])
        if not self.extend and not getattr(namespace, seen, False):
            current = []
        setattr(namespace, seen, True)
        setattr(namespace, self.dest, [*current, values])


def combined(patterns: Iterable[str]) -> str | None:
    """One regular expression matching where any of ``patterns`` does."""
    patterns = [pattern for pattern in patterns if pattern]
    if not patterns:
        return None
    return patterns[0] if len(patterns) == 1 else "|".join(f"(?:{pattern})" for pattern in patterns)


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    loudness.add_argument(
        "-v", "--verbose", action="store_true", help="also say which files were skipped and why; progress in logs too"
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="read options from this TOML file's [tool.seq2tfdata] (default: the nearest pyproject.toml)",
    )
