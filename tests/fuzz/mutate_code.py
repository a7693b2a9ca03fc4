"""Mutations of the code itself: lines moved about, names changed, bases swapped, odd statements.

Every strategy takes ``(text, rng)`` and returns the mutated text; none of them needs the result
to parse (an unparsable input is a case too), but most keep it parsable so that the converter's
analysis, not only its syntax-error path, gets the hostile input.
"""

from __future__ import annotations

import io
import keyword
import random
import re
import tokenize

from tests.fuzz.edits import insert_at_top, insert_in_function, insert_lines, random_line_index
from tests.fuzz.lines import split_lines

_IDENTIFIER = re.compile(r"\b[^\W\d]\w*\b")
_CLASS_HEADER = re.compile(r"([ \t]*class[ \t]+\w+)[ \t]*(?:\([^()\r\n]*\))?[ \t]*:")
_NOT_NAMES = set(keyword.kwlist) | set(keyword.softkwlist)
# Names the converter itself uses or looks for, so that a rename can collide with them.
_NEW_NAMES = ("renamed", "Sequence", "PyDataset", "tf", "keras", "np", "self", "to_tf_dataset", "x_table", "sequence")

# Each Keras spelling with the import that makes it resolve, then look-alikes that must not convert.
BASE_SPELLINGS = (
    ("keras.utils.Sequence", "import keras"),
    ("tf.keras.utils.Sequence", "import tensorflow as tf"),
    ("keras.utils.PyDataset", "import keras"),
    ("S", "from tensorflow.keras.utils import Sequence as S"),
    ("collections.abc.Sequence", "import collections.abc"),
    ("object", None),
    ("", None),
)

# Payloads that must stay inert: the ``open`` line is text inside a string, at column 0.
ODD_STATEMENTS = (
    ['note = """', "\0open('/tmp/x','w').write('x')", '\0"""'],
    ["'''", "\0open('/tmp/x','w').write('x')", "'''"],
    ['"""', "\0    return open('/tmp/x','w').write('x')", '\0"""'],
    ["global fuzz_counter"],
    ["class Inner:", "    def method(self):", "        return 1"],
    ["class Inner(keras.utils.Sequence):", "    def __getitem__(self, index):", "        return index"],
    ["pass"],
    ["a = 1; b = 2; del a, b"],
    ["x = \\", "    1"],
)


def delete_line(text: str, rng: random.Random) -> str:
    lines = split_lines(text)
    if lines:
        del lines[rng.randrange(len(lines))]
    return "".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = split_lines(text)
    if lines:
        index = rng.randrange(len(lines))
        lines.insert(index, lines[index])
    return "".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    lines = split_lines(text)
    if len(lines) >= 2:
        first = rng.randrange(len(lines) - 1)
        second = first + 1 if rng.random() < 0.5 else rng.randrange(len(lines))
        lines[first], lines[second] = lines[second], lines[first]
    return "".join(lines)


def rename_identifier(text: str, rng: random.Random) -> str:
    return rename_to(text, rng, _NEW_NAMES)


def rename_to(text: str, rng: random.Random, new_names: tuple[str, ...]) -> str:
    """Every whole-word occurrence of one name, strings and comments included, becomes another."""
    names = sorted(_code_names(text) - _NOT_NAMES)
    if not names:
        return text
    old, new = rng.choice(names), rng.choice(new_names)
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, text)


def _code_names(text: str) -> set[str]:
    """Names in the code, not words of its comments and docstrings (all words, if it does not tokenize)."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        return {token.string for token in tokens if token.type == tokenize.NAME}
    except (tokenize.TokenError, SyntaxError):
        return set(_IDENTIFIER.findall(text))


def rebase_class(text: str, rng: random.Random) -> str:
    """One class gets another base: a Keras spelling (with its import) or a look-alike."""
    headers = list(_CLASS_HEADER.finditer(text))
    if not headers:
        return text
    header = rng.choice(headers)
    base, needs = rng.choice(BASE_SPELLINGS)
    replaced = header.group(1) + (f"({base}):" if base else ":")
    text = text[: header.start()] + replaced + text[header.end():]
    return insert_at_top(text, [needs]) if needs else text


def insert_odd_statement(text: str, rng: random.Random) -> str:
    return insert_in_function(text, rng, list(rng.choice(ODD_STATEMENTS)))


def insert_blank_or_comment(text: str, rng: random.Random) -> str:
    line = rng.choice(("", "# a comment", "    # an indented comment", "\\"))
    return insert_lines(text, random_line_index(text, rng), [line])
