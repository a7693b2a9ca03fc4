"""Edits to the argument list of one call that keep its formatting (commas, line breaks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from seq2tfdata.migrate.provenance import TO_TF_DATASET


@dataclass
class CallEdit:
    """What to change in one call; argument indices are those of the call before the edit."""

    new_method: str | None = None
    keywords: dict[int, str] = field(default_factory=dict)  # give (or rename) the argument's keyword
    wrap: set[int] = field(default_factory=set)  # pass ``value.to_tf_dataset()`` instead
    drop: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.new_method or self.keywords or self.wrap or self.drop)


def apply_edit(call: cst.Call, edit: CallEdit) -> cst.Call:
    args = list(call.args)
    for index, keyword in edit.keywords.items():
        args[index] = _with_keyword(args[index], keyword)
    for index in edit.wrap:
        args[index] = args[index].with_changes(value=to_dataset(args[index].value))
    func = call.func
    if edit.new_method and isinstance(func, cst.Attribute):
        func = func.with_changes(attr=cst.Name(edit.new_method))
    return call.with_changes(func=func, args=_without(args, edit.drop))


def to_dataset(value: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=cst.Attribute(value=value, attr=cst.Name(TO_TF_DATASET)))


def index_of(args: Sequence[cst.Arg], keyword: str, position: int | None = None) -> int | None:
    """Where the argument for parameter ``keyword`` (at ``position`` if passed positionally) is."""
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            return index
    if position is None:
        return None
    for index, arg in enumerate(args[: position + 1]):
        if arg.keyword is not None or arg.star:
            return None
        if index == position:
            return index
    return None


def _with_keyword(arg: cst.Arg, keyword: str) -> cst.Arg:
    if arg.keyword is not None:
        return arg.with_changes(keyword=cst.Name(keyword))
    tight = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    return arg.with_changes(keyword=cst.Name(keyword), equal=tight)


def _without(args: list[cst.Arg], drop: set[int]) -> list[cst.Arg]:
    kept = [arg for index, arg in enumerate(args) if index not in drop]
    if kept and len(args) - 1 in drop:
        # The dropped last argument carried the trailing comma (or its absence) and the line
        # break before ``)``; the new last argument takes them over.
        last = args[-1]
        kept[-1] = kept[-1].with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg)
    return kept
