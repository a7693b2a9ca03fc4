"""The comments that fence a generated ``to_tf_dataset`` and the fingerprint they carry.

The fingerprint hashes everything the generated method was derived from (the class without the
generated block, its in-module ancestors, the converter's output version and options), so a reader
or a pre-commit hook can tell a stale block from a current one without re-running the analysis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import libcst as cst

METHOD_NAME = "to_tf_dataset"
BEGIN_PREFIX = "# seq2tfdata: begin generated to_tf_dataset"
END_COMMENT = "# seq2tfdata: end generated to_tf_dataset"
# Said by a generated pipeline that draws its own random numbers; ``verify`` reads it to compare
# augmented epochs by structure, dtype and shape rather than by value.
DRAWS_NOTE = "Random draws (augmentation) use tf.random stateless ops"
# Ends the warning a native or hybrid pipeline gives when the data breaks one of its assumptions
# and the generator pipeline serves the Sequence instead; ``verify`` reports such a fallback.
FALLBACK_WARNING = "to_tf_dataset() serves it through a generator pipeline instead of tf.data ops"
# Bump when templates change what they emit, so existing blocks are regenerated.
OUTPUT_VERSION = "3"


def begin_comment(fingerprint: str) -> str:
    return f"{BEGIN_PREFIX} (fingerprint {fingerprint}; edits inside are overwritten)"


def fingerprint(sources: Iterable[str]) -> str:
    digest = hashlib.sha256(OUTPUT_VERSION.encode())
    for source in sources:
        digest.update(b"\0")
        digest.update(source.encode())
    return digest.hexdigest()[:12]


def fingerprint_in(func: cst.FunctionDef) -> str | None:
    for line in func.leading_lines:
        if line.comment is not None and line.comment.value.startswith(BEGIN_PREFIX):
            words = line.comment.value.replace(";", " ").split()
            return words[words.index("(fingerprint") + 1] if "(fingerprint" in words else ""
    return None


def is_generated(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.FunctionDef) and fingerprint_in(statement) is not None


def _without_end_marker(lines: Iterable[cst.EmptyLine]) -> list[cst.EmptyLine]:
    kept = [line for line in lines if not (line.comment and line.comment.value == END_COMMENT)]
    return kept


def strip_generated_block(body: cst.IndentedBlock) -> cst.IndentedBlock:
    """The class body without the generated method and its end marker, which sits either in
    the block's footer or in front of the statement that follows the method."""
    statements: list[cst.BaseStatement] = []
    removed = False
    for statement in body.body:
        if is_generated(statement):
            removed = True
            continue
        if removed and statement.leading_lines:
            statement = statement.with_changes(
                leading_lines=_without_end_marker(statement.leading_lines)
            )
        statements.append(statement)
    if not removed:
        return body
    if not statements:
        statements = [cst.SimpleStatementLine([cst.Pass()])]
    return body.with_changes(body=statements, footer=_without_end_marker(body.footer))


def hand_written_method(body: cst.BaseSuite) -> cst.FunctionDef | None:
    if not isinstance(body, cst.IndentedBlock):
        return None
    for statement in body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == METHOD_NAME:
            if not is_generated(statement):
                return statement
    return None
