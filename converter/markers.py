"""The comments that fence a generated ``to_tf_dataset`` and the fingerprint they carry.

The fingerprint hashes everything the generated method was derived from (the class without the
generated block, its in-module ancestors, the converter's output version and options), so a reader
or a pre-commit hook can tell a stale block from a current one without re-running the analysis.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from seq2tfdata.model import OUTPUT_VERSION

METHOD_NAME = "to_tf_dataset"
BEGIN_PREFIX = "# seq2tfdata: begin generated to_tf_dataset"
END_COMMENT = "# seq2tfdata: end generated to_tf_dataset"
# Said by a generated pipeline that draws its own random numbers; ``verify`` reads it to compare
# augmented epochs by structure, dtype and shape rather than by value.
DRAWS_NOTE = "Random draws (augmentation) use tf.random stateless ops"
# Ends the warning a native or hybrid pipeline gives when the data breaks one of its assumptions
# and the generator pipeline serves the Sequence instead; ``verify`` reports such a fallback.
FALLBACK_WARNING = "to_tf_dataset() falls back to a generator pipeline"


@dataclass(frozen=True)
class BlockFacts:
    """What ``verify`` must know of a generated pipeline, written into the block as one line."""

    tier: str
    reshuffles: bool  # tf.data may reorder rows each pass (then epochs match as multisets)
    draws: bool  # the pipeline draws its own random numbers (augmentation)


_FACTS_LINE = re.compile(r"# seq2tfdata: tier=(native|hybrid|generator); reshuffles=(yes|no); draws=(yes|no)$", re.M)


def facts_comment(facts: BlockFacts) -> str:
    yes_no = {True: "yes", False: "no"}
    return f"# seq2tfdata: tier={facts.tier}; reshuffles={yes_no[facts.reshuffles]}; draws={yes_no[facts.draws]}"


def facts_in(source: str) -> BlockFacts | None:
    """The facts line of a generated method's source, or None (a block from before version 4)."""
    match = _FACTS_LINE.search(source)
    if match is None:
        return None
    return BlockFacts(match.group(1), match.group(2) == "yes", match.group(3) == "yes")


BEGIN_SUFFIX = "do not edit"


def begin_comment(fingerprint: str) -> str:
    return f"{BEGIN_PREFIX} (fingerprint {fingerprint}; {BEGIN_SUFFIX})"


def fingerprint(sources: Iterable[str]) -> str:
    digest = hashlib.sha256(OUTPUT_VERSION.encode())
    for source in sources:
        digest.update(b"\0")
        digest.update(source.encode())
    return digest.hexdigest()[:12]


# Blocks written before output version 5 end their begin line with "edits inside are overwritten".
_BEGIN_LINE = re.compile(
    re.escape(BEGIN_PREFIX) + r" \(fingerprint ([0-9a-f]{12}); (?:do not edit|edits inside are overwritten)\)"
)


def fingerprint_in(func: cst.FunctionDef) -> str | None:
    """The fingerprint of a generated method: a ``to_tf_dataset`` right below the exact begin
    line this tool writes. A comment that only starts like it is the user's."""
    if func.name.value != METHOD_NAME or not func.leading_lines or func.decorators:
        return None
    comment = func.leading_lines[-1].comment
    match = _BEGIN_LINE.fullmatch(comment.value) if comment is not None else None
    return match.group(1) if match else None


def _ends_block(lines: Iterable[cst.EmptyLine]) -> bool:
    return any(line.comment is not None and line.comment.value == END_COMMENT for line in lines)


def generated_indices(body: cst.IndentedBlock) -> list[int]:
    """Where the class body holds a whole generated block: the begin line above the method and
    the end line right after it (in the footer, or above the next statement). Half a block is
    left alone, as user code."""
    found = []
    for index, statement in enumerate(body.body):
        if not isinstance(statement, cst.FunctionDef) or fingerprint_in(statement) is None:
            continue
        after = body.footer if index + 1 == len(body.body) else body.body[index + 1].leading_lines
        if _ends_block(after):
            found.append(index)
    return found


def _without_end_marker(lines: Iterable[cst.EmptyLine]) -> list[cst.EmptyLine]:
    # Only the first end line after a block is its own, with the blank lines above it (a
    # formatter may add one); any other end line is a user comment.
    kept: list[cst.EmptyLine] = []
    dropped = False
    for line in lines:
        if not dropped and line.comment is not None and line.comment.value == END_COMMENT:
            dropped = True
            while kept and kept[-1].comment is None:
                kept.pop()
            continue
        kept.append(line)
    return kept


def _user_lines_above(leading_lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The lines above a generated method's begin comment that are the user's: all but the one
    blank line this tool writes above it."""
    lines = leading_lines[:-1]
    if lines and lines[-1].comment is None:
        lines.pop()
    return lines


def strip_generated_block(body: cst.IndentedBlock) -> cst.IndentedBlock:
    """The class body without the generated methods and their end markers, which sit either in
    the block's footer or in front of the statement that follows the method. Comments the user
    put above a begin line stay, in front of what follows the block."""
    generated = set(generated_indices(body))
    if not generated:
        return body
    statements: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []
    for index, statement in enumerate(body.body):
        lines = list(statement.leading_lines)
        if index - 1 in generated:
            lines = _without_end_marker(lines)
        if index in generated:
            carried += _user_lines_above(lines)
            continue
        statements.append(statement.with_changes(leading_lines=[*carried, *lines]))
        carried = []
    footer = list(body.footer)
    if len(body.body) - 1 in generated:
        footer = [*carried, *_without_end_marker(footer)]
    if not statements:
        statements = [cst.SimpleStatementLine([cst.Pass()])]
    return body.with_changes(body=statements, footer=footer)


def hand_written_method(body: cst.BaseSuite) -> cst.FunctionDef | None:
    if not isinstance(body, cst.IndentedBlock):
        return None
    generated = set(generated_indices(body))
    for index, statement in enumerate(body.body):
        if isinstance(statement, cst.FunctionDef) and statement.name.value == METHOD_NAME:
            if index not in generated:
                return statement
    return None
