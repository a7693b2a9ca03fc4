"""Evaluate ``__getitem__`` (and the helper methods it calls) into a ``Program``.

Only straight-line code is modelled: assignments, helper calls and one final ``return``. The
return value becomes the structure of tf expressions the generated map function returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from seq2tfdata.analyse.chain import ClassChain, Member
from seq2tfdata.analyse.dtypes import Names
from seq2tfdata.analyse.native.evaluate import Evaluator, Value
from seq2tfdata.analyse.native.branches import run_if
from seq2tfdata.analyse.native.loops import run_fill_loop
from seq2tfdata.analyse.native.program_facts import Program
from seq2tfdata.analyse.native.values import (
    AttrValue,
    BufferValue,
    IndexValue,
    ListValue,
    NotNative,
    Permutation,
    RowList,
    ScalarValue,
    TensorValue,
)

_MAX_INLINE_DEPTH = 4
_code = cst.Module([]).code_for_node


@dataclass
class BatchFunction:
    """The result of evaluating ``__getitem__``."""

    program: Program
    structure: object  # TensorValue / AttrValue leaves in tuples and dicts


def evaluate_getitem(
    chain: ClassChain,
    getitem: cst.FunctionDef,
    names: Names,
    tf: str,
    permutation: Permutation | None = None,
    allow_python_rows: bool = False,
    functions=None,
) -> BatchFunction:
    program = Program(permutation=permutation, reserved=frozenset({tf}))

    def run(member: Member, args: list[Value], depth: int, caller: Evaluator | None = None) -> object:
        func = member.node
        assert isinstance(func, cst.FunctionDef)
        params = [p.name.value for p in func.params.params]
        if func.params.star_arg not in (None, cst.MaybeSentinel.DEFAULT) or func.params.star_kwarg or func.params.kwonly_params:
            raise NotNative(func, f"`{func.name.value}` takes *args, **kwargs or keyword-only arguments")
        if len(params) - 1 != len(args):
            raise NotNative(func, f"`{func.name.value}` is called with {len(args)} arguments; only plain positional calls are followed")
        env: dict[str, Value] = dict(zip(params[1:], args))

        def inline(name: str, call_args: list[Value], call: cst.Call, via_super: bool) -> Value:
            target = chain.lookup_after(member.owner, name) if via_super else chain.lookup(name)
            if target is None or not isinstance(target.node, cst.FunctionDef) or depth >= _MAX_INLINE_DEPTH:
                raise NotNative(call, f"`{'super()' if via_super else 'self'}.{name}(...)` cannot be followed")
            if any(arg.keyword for arg in call.args):
                raise NotNative(call, f"`self.{name}(...)` is called with keyword arguments")
            return run(target, call_args, depth + 1, evaluator)

        evaluator = Evaluator(names, program, tf, env, inline, chain, allow_python_rows, functions)
        if caller is not None:
            # An inlined helper runs where it is called: per row, or inside a branch.
            evaluator.row_depth, evaluator.guards, evaluator.cond_depth = caller.row_depth, caller.guards, caller.cond_depth
        return _run_body(func, evaluator, env, top_level=depth == 0)

    entry = chain.lookup("__getitem__")
    assert entry is not None and entry.node is getitem
    structure = run(entry, [IndexValue(0)], 0)
    return BatchFunction(program, structure)


def _run_body(func: cst.FunctionDef, evaluator: Evaluator, env: dict[str, Value], top_level: bool) -> object:
    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else [func.body]
    statements = list(body)
    for position, statement in enumerate(statements):
        if isinstance(statement, cst.For):
            run_fill_loop(statement, evaluator, env, _run_if)
            continue
        if isinstance(statement, cst.If):
            _run_if(statement, evaluator, env)
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            kind = type(statement).__name__.lower()
            raise NotNative(statement, f"`{kind}` statement in `{func.name.value}` is not straight-line code")
        for small in statement.body:
            if isinstance(small, cst.Return):
                if position != len(statements) - 1 or small.value is None:
                    raise NotNative(small, "returns early or returns nothing")
                # A helper may hand back any value; only __getitem__'s result must be arrays.
                return _structure(small.value, evaluator) if top_level else evaluator.expr(small.value)
            _run_small(small, evaluator, env, is_first=position == 0)
    raise NotNative(func, f"`{func.name.value}` does not end with a return")


def _run_if(node: cst.If, evaluator: Evaluator, env: dict[str, Value]) -> None:
    run_if(node, evaluator, env, _run_branch_statement)


def _run_branch_statement(small: cst.BaseSmallStatement, evaluator, env: dict[str, Value]) -> None:
    _run_small(small, evaluator, env, is_first=False)


def _run_small(small: cst.BaseSmallStatement, evaluator: Evaluator, env: dict[str, Value], is_first: bool) -> None:
    if isinstance(small, cst.Pass):
        return
    if isinstance(small, cst.Expr) and is_first and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
        return
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            env[target.value] = evaluator.bind(target.value, evaluator.batch_value(small.value))
            return
        if isinstance(target, (cst.Tuple, cst.List)) and all(isinstance(e.value, cst.Name) for e in target.elements):
            if isinstance(small.value, (cst.Tuple, cst.List)):
                values = [evaluator.expr(e.value) for e in small.value.elements]
            else:
                # A helper that returns a tuple, e.g. ``X, y = self._load(ids)``.
                returned = evaluator.expr(small.value)
                values = list(returned) if isinstance(returned, tuple) else []
            if len(values) == len(target.elements):
                for element, value in zip(target.elements, values):
                    name = element.value.value  # type: ignore[union-attr]
                    # A variable an ``if`` assigns is one local on both sides.
                    env[name] = evaluator.bind(name, value) if name in evaluator.branch_locals else value
                return
    raise NotNative(small, f"`{_code(small)}` is not a plain assignment the pipeline can replay")


def _structure(node: cst.BaseExpression, evaluator: Evaluator) -> object:
    if isinstance(node, (cst.Tuple, cst.List)):
        if any(isinstance(e, cst.StarredElement) for e in node.elements):
            raise NotNative(node, "returns a starred element")
        return tuple(_structure(e.value, evaluator) for e in node.elements)
    if isinstance(node, cst.Dict):
        out = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                raise NotNative(node, "returns a dict whose keys are not string literals")
            out[element.key.evaluated_value] = _structure(element.value, evaluator)
        return out
    return _returned(evaluator.batch_value(node), node, evaluator)


def _returned(value: Value, node: cst.BaseExpression, evaluator: Evaluator) -> object:
    """A returned value as the batch's structure; a tuple or dict built in a variable holds
    values of any kind, so each is made an array the same way."""
    if isinstance(value, ListValue) and not any(isinstance(item, ScalarValue) for item in value.items):
        return tuple(_returned(part, node, evaluator) for part in value.items)
    if isinstance(value, tuple):
        return tuple(_returned(part, node, evaluator) for part in value)
    if isinstance(value, dict):
        return {key: _returned(part, node, evaluator) for key, part in value.items()}
    if isinstance(value, RowList) and value.array:
        return evaluator.row_output(value.value, name=value.name)
    if isinstance(value, RowList):
        raise NotNative(node, f"returns the Python list `{_code(node)}`, which Keras reads as a tuple of arrays")
    if isinstance(value, BufferValue):
        raise NotNative(node, f"returns `{_code(node)}` before every row of it is filled")
    if isinstance(value, (TensorValue, AttrValue)):
        return value
    raise NotNative(node, f"returns `{_code(node)}`, which is not an array")


def leaves(structure: object) -> list[object]:
    if isinstance(structure, tuple):
        return [leaf for part in structure for leaf in leaves(part)]
    if isinstance(structure, dict):
        return [leaf for part in structure.values() for leaf in leaves(part)]
    return [structure]
