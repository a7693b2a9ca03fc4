"""Put each planned ``to_tf_dataset`` at the end of its class, between marker comments."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from seq2tfdata.markers import END_COMMENT, begin_comment, generated_indices, strip_generated_block
from seq2tfdata.render.layout import INDENT, laid_out
from seq2tfdata.render.newlines import blank_line, comment_line, with_newlines
from seq2tfdata.sameness import syntax_form


def with_generated_method(
    body: cst.IndentedBlock, method: cst.FunctionDef, fingerprint: str, newline: str | None = None
) -> cst.IndentedBlock:
    """``body`` with any earlier generated block replaced by ``method``; ``newline``: the break
    generated lines carry explicitly (see ``newlines``).

    A block with ``method``'s syntax tree is kept as it is, a formatter's line breaks and
    blank lines included; only its begin line gets the new fingerprint."""
    same = _same_block(body, method)
    if same is not None:
        return _with_fingerprint(body, same, fingerprint)
    body = strip_generated_block(body)
    # What closed the class body (the user's trailing comments, or those that stood above an
    # old begin line) stays above the block, in the order it was written.
    above = [*body.footer, blank_line(newline, indent=False), comment_line(begin_comment(fingerprint), newline)]
    method = with_newlines(method, newline).with_changes(leading_lines=above)
    # black and ruff format want a blank line between a method and a comment below it.
    end_marker = [blank_line(newline, indent=False), comment_line(END_COMMENT, newline)]
    return body.with_changes(body=[*body.body, method], footer=end_marker)


def _same_block(body: cst.IndentedBlock, method: cst.FunctionDef) -> int | None:
    """Where the body's one generated block is, when it is ``method`` formatted otherwise."""
    blocks = generated_indices(body)
    if len(blocks) != 1:
        return None
    # Comments count (they carry the block's facts line and notes), not the begin line above it.
    existing = body.body[blocks[0]].with_changes(leading_lines=())
    same = syntax_form(existing, comments=True) == syntax_form(method.with_changes(leading_lines=()), comments=True)
    return blocks[0] if same else None


def _with_fingerprint(body: cst.IndentedBlock, index: int, fingerprint: str) -> cst.IndentedBlock:
    method = body.body[index]
    begin = method.leading_lines[-1]
    if begin.comment is not None and begin.comment.value == begin_comment(fingerprint):
        return body
    lines = [*method.leading_lines[:-1], begin.with_changes(comment=cst.Comment(begin_comment(fingerprint)))]
    statements = list(body.body)
    statements[index] = method.with_changes(leading_lines=lines)
    return body.with_changes(body=statements)


class InsertGeneratedMethods(cst.CSTTransformer):
    """Rewrites the classes named in ``methods`` (keyed by their original ClassDef node)."""

    def __init__(self, methods: Mapping[cst.ClassDef, tuple[cst.FunctionDef, str]], newline: str | None = None) -> None:
        super().__init__()
        self._methods = methods
        self._newline = newline
        # Columns the current statement starts at, as black indents it.
        self._depth = 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._depth += len(INDENT)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        self._depth -= len(INDENT)
        return updated_node

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        planned = self._methods.get(original_node)
        if planned is None or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        method, fingerprint = planned
        method = laid_out(method, depth=self._depth + len(INDENT))
        return updated_node.with_changes(body=with_generated_method(updated_node.body, method, fingerprint, self._newline))
