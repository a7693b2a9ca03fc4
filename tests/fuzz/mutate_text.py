"""Mutations below the syntax: line breaks, whitespace, unicode, and sheer size.

Python accepts all of these (CR-only files, form feeds in indentation, a BOM, no final newline,
non-ASCII names), and each is a place where a text-based tool quietly loses the user's bytes.
The size strategies are bounded: a few hundred terms, a thousand statements, one 12,000-operator
chain; each makes a single input slow, so the registry draws them rarely.
"""

from __future__ import annotations

import random
import re

from tests.fuzz.edits import insert_in_function, insert_lines, random_line_index
from tests.fuzz.lines import BOM, content, ending, split_lines
from tests.fuzz.mutate_code import rename_to

_NON_ASCII_NAMES = ("données", "δx", "变量", "Größe", "ﬁle", "ℌ", "Ⅸ", "_ñ", "İ", "ǅ")


def _with_endings(text: str, pick) -> str:
    lines = split_lines(text)
    return "".join(content(line) + (pick(i) if ending(line) else "") for i, line in enumerate(lines))


def crlf_endings(text: str, rng: random.Random) -> str:
    return _with_endings(text, lambda i: "\r\n")


def cr_endings(text: str, rng: random.Random) -> str:
    return _with_endings(text, lambda i: "\r")


def mixed_endings(text: str, rng: random.Random) -> str:
    choices = [rng.choice(("\n", "\r\n", "\r")) for _ in range(len(split_lines(text)))]
    return _with_endings(text, lambda i: choices[i])


def tab_indentation(text: str, rng: random.Random) -> str:
    """Every four leading spaces become a tab, consistently, so the code still parses."""
    return re.sub(r"(?m)^(?:    )+", lambda m: "\t" * (len(m.group()) // 4), text)


def form_feeds(text: str, rng: random.Random) -> str:
    """A form feed at the start of some lines (Python resets the indentation count there)."""
    lines = split_lines(text)
    for index in rng.sample(range(len(lines)), k=min(len(lines), rng.randint(1, 4))):
        lines[index] = "\f" + lines[index]
    return "".join(lines)


def leading_bom(text: str, rng: random.Random) -> str:
    return text if text.startswith(BOM) else BOM + text


def no_final_newline(text: str, rng: random.Random) -> str:
    return text.rstrip("\r\n")


def trailing_cr(text: str, rng: random.Random) -> str:
    return text + "\r"


def trailing_whitespace(text: str, rng: random.Random) -> str:
    lines = split_lines(text)
    for index in rng.sample(range(len(lines)), k=min(len(lines), 5)):
        lines[index] = content(lines[index]) + rng.choice((" ", "\t", " \f", "  ")) + ending(lines[index])
    return "".join(lines)


def non_ascii_identifiers(text: str, rng: random.Random) -> str:
    return rename_to(text, rng, _NON_ASCII_NAMES)


def lone_surrogate(text: str, rng: random.Random) -> str:
    """A string holding an unpaired surrogate: a Python ``str`` can, no UTF-8 file can."""
    snippet = rng.choice(("marker = '\ud800'", "marker = '\udfff' + 'x'", "# comment \udc80"))
    return insert_in_function(text, rng, [snippet])


def odd_unicode_characters(text: str, rng: random.Random) -> str:
    """Characters ``str.splitlines`` breaks at, or that render misleadingly, in comments and strings."""
    odd = rng.choice(("\u2028", "\u2029", "\x85", "\x0b", "\x1c", "\u202e", "\u200b", "\ufeff"))
    snippet = rng.choice((f"# odd {odd} character", f"label = 'odd {odd} character'"))
    return insert_lines(text, random_line_index(text, rng), [snippet])


def long_sum(text: str, rng: random.Random) -> str:
    terms = " + ".join(f"v{i}" for i in range(400))
    return insert_in_function(text, rng, [f"total = {terms}"])


def many_statements(text: str, rng: random.Random) -> str:
    return insert_lines(text, len(split_lines(text)), [f"value_{i} = {i}" for i in range(1000)])


def deep_chain(text: str, rng: random.Random) -> str:
    """One expression 12,000 operators deep, in one of the shapes parsers recurse on."""
    depth = 12_000
    shape = rng.choice(("sum", "attribute", "subscript", "not", "strings", "and"))
    expression = {
        "sum": " + ".join(["1"] * (depth + 1)),
        "attribute": "a" + ".b" * depth,
        "subscript": "a" + "[0]" * depth,
        "not": "not " * depth + "a",
        "strings": " ".join(["'s'"] * (depth + 1)),
        "and": " and ".join(["a"] * (depth + 1)),
    }[shape]
    return insert_in_function(text, rng, [f"deep = {expression}"])
