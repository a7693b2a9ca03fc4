"""black's spelling of a generated method: double quotes, spaced complex slices, hugged simple
powers, no parentheses around a whole right-hand side (``render.layout`` splits long lines)."""

from __future__ import annotations

import libcst as cst

_EMPTY = cst.Module([])


def code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


class BlackSpelling(cst.CSTTransformer):
    """Double quotes, spaced complex slices, hugged simple powers, as black writes them."""

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        return updated_node.with_changes(value=_without_redundant_parentheses(updated_node.value))

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        if updated_node.value is None:
            return updated_node
        return updated_node.with_changes(value=_without_redundant_parentheses(updated_node.value))

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        return updated_node.with_changes(value=double_quoted(updated_node.value))

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.Subscript:
        complex_slice = any(_is_complex(part) for element in updated_node.slice for part in _slice_parts(element))
        elements = [
            element.with_changes(slice=_spaced(element.slice, complex_slice))
            if isinstance(element.slice, cst.Slice)
            else element
            for element in updated_node.slice
        ]
        return updated_node.with_changes(slice=elements)

    def leave_BinaryOperation(
        self, original_node: cst.BinaryOperation, updated_node: cst.BinaryOperation
    ) -> cst.BinaryOperation:
        if not isinstance(updated_node.operator, cst.Power):
            return updated_node
        hug = _simple_power_operand(updated_node.left) and _simple_power_operand(updated_node.right)
        space = cst.SimpleWhitespace("" if hug else " ")
        return updated_node.with_changes(
            operator=cst.Power(whitespace_before=space, whitespace_after=space)
        )


_ATOMS_IN_PARENTHESES = (
    cst.IfExp, cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.BinaryOperation, cst.Comparison,
    cst.BooleanOperation, cst.UnaryOperation, cst.Integer, cst.Float, cst.SimpleString,
)


def _without_redundant_parentheses(value: cst.BaseExpression) -> cst.BaseExpression:
    """black drops the parentheses around a whole right-hand side (it adds its own to split)."""
    if len(value.lpar) == 1 and isinstance(value, _ATOMS_IN_PARENTHESES) and "\n" not in code(value):
        return value.with_changes(lpar=[], rpar=[])
    return value


def double_quoted(literal: str) -> str:
    """black's preferred quotes: double, unless that needs more escapes."""
    prefix_length = len(literal) - len(literal.lstrip("rRbBuUfF"))
    prefix, body = literal[:prefix_length], literal[prefix_length:]
    if body[:3] in ('"""', "'''") or not body.startswith("'") or prefix != prefix.lower():
        return literal
    inner = body[1:-1]
    if '"' in inner or "\\'" in inner:
        return literal
    return f'{prefix}"{inner}"'


def _slice_parts(element: cst.SubscriptElement) -> list[cst.BaseExpression]:
    part = element.slice
    if isinstance(part, cst.Slice):
        return [value for value in (part.lower, part.upper, part.step) if value is not None]
    return [part.value] if isinstance(part, cst.Index) else []


def _is_complex(node: cst.BaseExpression) -> bool:
    """Anything beyond a name or a (signed) number makes black space a slice's colons."""
    if isinstance(node, (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)):
        return False
    if isinstance(node, cst.UnaryOperation):
        return _is_complex(node.expression)
    return True


def _spaced(part: cst.Slice, complex_slice: bool) -> cst.Slice:
    def colon(before: bool, after: bool) -> cst.Colon:
        return cst.Colon(
            whitespace_before=cst.SimpleWhitespace(" " if before else ""),
            whitespace_after=cst.SimpleWhitespace(" " if after else ""),
        )

    if not complex_slice:
        return part.with_changes(first_colon=colon(False, False), second_colon=_second(part, colon(False, False)))
    # ``x[a + 1 :]``, ``x[: f(y)]``, ``x[a : b]``: a space on each side that has an operand.
    first = colon(part.lower is not None, part.upper is not None)
    second = colon(part.upper is not None, part.step is not None)
    return part.with_changes(first_colon=first, second_colon=_second(part, second))


def _second(part: cst.Slice, colon: cst.Colon) -> cst.Colon | cst.MaybeSentinel:
    return colon if isinstance(part.second_colon, cst.Colon) else part.second_colon


def _simple_power_operand(node: cst.BaseExpression) -> bool:
    """black hugs ``**`` between names, numbers, attribute chains and their negations."""
    if isinstance(node, (cst.Name, cst.Integer, cst.Float)):
        return not node.lpar
    if isinstance(node, cst.Attribute):
        return not node.lpar and _simple_power_operand(node.value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return not node.lpar and isinstance(node.expression, (cst.Integer, cst.Float))
    return False
