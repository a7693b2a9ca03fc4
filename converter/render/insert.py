"""Put each planned ``to_tf_dataset`` at the end of its class, between marker comments."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from converter.markers import END_COMMENT, begin_comment, strip_generated_block


def with_generated_method(
    body: cst.IndentedBlock, method: cst.FunctionDef, fingerprint: str
) -> cst.IndentedBlock:
    """``body`` with any earlier generated block replaced by ``method``."""
    body = strip_generated_block(body)
    method = method.with_changes(
        leading_lines=[cst.EmptyLine(indent=False), cst.EmptyLine(comment=cst.Comment(begin_comment(fingerprint)))]
    )
    end_marker = cst.EmptyLine(indent=True, comment=cst.Comment(END_COMMENT))
    return body.with_changes(body=[*body.body, method], footer=[end_marker, *body.footer])


class InsertGeneratedMethods(cst.CSTTransformer):
    """Rewrites the classes named in ``methods`` (keyed by their original ClassDef node)."""

    def __init__(self, methods: Mapping[cst.ClassDef, tuple[cst.FunctionDef, str]]) -> None:
        super().__init__()
        self._methods = methods

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        planned = self._methods.get(original_node)
        if planned is None or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        method, fingerprint = planned
        return updated_node.with_changes(body=with_generated_method(updated_node.body, method, fingerprint))
