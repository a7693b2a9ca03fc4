"""``remove_generated``: the inverse of ``convert_source``, a pure ``str -> str`` function.

It strips every whole generated ``to_tf_dataset`` block (``markers.strip_generated_block``, the
reading the fingerprint is computed from) and then the imports a conversion adds
(``render.imports.add_imports``: ``import tensorflow as tf``, ``import numpy as np``,
``import warnings``) when nothing left in the module uses the name they bind. So
``remove_generated(convert_source(code).code) == code`` for every file whose imports were laid
out the way ``add_imports`` leaves them; text that holds no generated block comes back as given.

One layout cannot be told apart afterwards: an import run followed directly by a class (no blank
line) gets a blank line from the conversion, and that blank line is kept.
"""

from __future__ import annotations

import libcst as cst

from seq2tfdata.form_feeds import with_user_lines, without_form_feeds
from seq2tfdata.markers import BEGIN_PREFIX, generated_indices, strip_generated_block
from seq2tfdata.render.imports import names_used

BOM = "\ufeff"
# What a conversion may import: (module, names it can be bound to by add_imports).
_ADDED_IMPORTS = {"tensorflow": {"tf", "tensorflow"}, "numpy": {"np", "numpy"}, "warnings": {"warnings"}}


def remove_generated(code: str) -> str:
    """``code`` without the blocks and imports seq2tfdata generated; unchanged if it cannot be
    parsed (removal never raises on user input)."""
    if BEGIN_PREFIX not in code:
        return code
    bom = BOM if code.startswith(BOM) else ""
    user_body = code[len(bom):]
    body = without_form_feeds(user_body)
    ending = body[len(body.rstrip("\r\n")):]
    try:
        module = cst.parse_module(body)
    except (cst.ParserSyntaxError, RecursionError):
        return code
    if module.code.rstrip("\r\n") != body.rstrip("\r\n"):
        return code  # libcst would not print the file back exactly; leave it to the user
    stripper = _StripBlocks()
    stripped = module.visit(stripper)
    if not stripper.removed:
        return code
    stripped = _without_unused_added_imports(stripped)
    restored = with_user_lines(user_body, body, stripped.code)
    return bom + restored.rstrip("\r\n") + ending


class _StripBlocks(cst.CSTTransformer):
    def __init__(self) -> None:
        super().__init__()
        self.removed = 0

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        body = updated_node.body
        if not isinstance(body, cst.IndentedBlock) or not generated_indices(body):
            return updated_node
        self.removed += len(generated_indices(body))
        return updated_node.with_changes(body=strip_generated_block(body))


def _added_binding(statement: cst.BaseStatement) -> str | None:
    """The name bound by a top-level line of the exact shape ``add_imports`` writes."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not isinstance(node, cst.Import) or len(node.names) != 1 or statement.leading_lines:
        return None
    if statement.trailing_whitespace.comment is not None:
        return None  # a comment on the line is the user's, so the line is too
    alias = node.names[0]
    if not isinstance(alias.name, cst.Name) or alias.name.value not in _ADDED_IMPORTS:
        return None
    if alias.asname is None:
        bound = alias.name.value
    elif isinstance(alias.asname.name, cst.Name):
        bound = alias.asname.name.value
    else:
        return None
    return bound if bound in _ADDED_IMPORTS[alias.name.value] else None


def _without_unused_added_imports(module: cst.Module) -> cst.Module:
    candidates = {index: _added_binding(statement) for index, statement in enumerate(module.body)}
    candidates = {index: name for index, name in candidates.items() if name is not None}
    if not candidates:
        return module
    rest = module.with_changes(body=[s for i, s in enumerate(module.body) if i not in candidates])
    used = names_used(rest)
    unused = {index for index, name in candidates.items() if name not in used}
    if not unused:
        return module
    return module.with_changes(body=[s for i, s in enumerate(module.body) if i not in unused])
