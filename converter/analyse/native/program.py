"""Evaluate ``__getitem__`` (and the helper methods it calls) into a ``Program``.

Only straight-line code is modelled: assignments, helper calls and one final ``return``. The
return value becomes the structure of tf expressions the generated map function returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.chain import ClassChain, Member
from seq2tfdata.analyse.dtypes import Names
from seq2tfdata.analyse.native.evaluate import Evaluator, Value
from seq2tfdata.analyse.native.loops import run_fill_loop
from seq2tfdata.analyse.native.rows import as_scalar
from seq2tfdata.analyse.native.values import (
    AttrValue,
    BufferValue,
    IndexValue,
    NotNative,
    Permutation,
    Program,
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
    """``if self.flag:`` blocks: the flag is read when the dataset is built, and a variable
    the branches set differently becomes a trace-time ``a if flag else b``. A condition computed
    in the pipeline (a random draw, a statistic of the batch) becomes a ``tf.cond``."""
    condition = _condition(node.test, evaluator)
    if isinstance(condition, TensorValue):
        condition = evaluator.bind("condition", condition)
    branches = []
    guards = evaluator.guards
    for block, guard in ((node.body, condition.code), (node.orelse, f"not {condition.code}")):
        branch = dict(env)
        evaluator.env = branch
        if isinstance(condition, TensorValue):
            evaluator.cond_depth += 1
        else:
            evaluator.guards = (*guards, guard)
        try:
            if isinstance(block, cst.If):
                _run_if(block, evaluator, branch)
            elif block is not None:
                statements = block.body.body if isinstance(block, cst.Else) else block.body  # type: ignore[union-attr]
                for statement in statements:
                    if isinstance(statement, cst.If):
                        _run_if(statement, evaluator, branch)
                        continue
                    if not isinstance(statement, cst.SimpleStatementLine) or m.findall(statement, m.Return()):
                        raise NotNative(statement, "a branch holds more than plain assignments")
                    for small in statement.body:
                        _run_small(small, evaluator, branch, is_first=False)
        finally:
            evaluator.env = env
            evaluator.guards = guards
            if isinstance(condition, TensorValue):
                evaluator.cond_depth -= 1
        branches.append(branch)
    taken, skipped = branches
    for name in [name for name in taken if name in skipped]:
        first, second = taken[name], skipped[name]
        if first == second:
            env[name] = first
        elif isinstance(first, TensorValue) and isinstance(second, TensorValue) and isinstance(condition, TensorValue):
            tf = evaluator.tf
            env[name] = evaluator.bind(name, TensorValue(f"{tf}.cond({condition.code}, lambda: {first.code}, lambda: {second.code})"))
        elif isinstance(first, TensorValue) and isinstance(second, TensorValue):
            env[name] = evaluator.bind(name, TensorValue(f"({first.code} if {condition.code} else {second.code})"))
        else:
            raise NotNative(node, f"`{name}` differs between the branches in a way the pipeline cannot select")


def _condition(test: cst.BaseExpression, evaluator: Evaluator) -> ScalarValue | TensorValue:
    """A Python value known when the dataset is built, or a 0-d tensor tested for truth."""
    if isinstance(test, cst.BooleanOperation):
        parts = [_condition(side, evaluator) for side in (test.left, test.right)]
        word = "and" if isinstance(test.operator, cst.And) else "or"
        if all(isinstance(p, ScalarValue) for p in parts):
            return ScalarValue(f"({parts[0].code} {word} {parts[1].code})", all(p.literal for p in parts))  # type: ignore[union-attr]
        tf = evaluator.tf
        operands = [f"bool({p.code})" if isinstance(p, ScalarValue) else p.code for p in parts]
        return TensorValue(f"{tf}.math.logical_{word}({operands[0]}, {operands[1]})")
    condition = as_scalar(evaluator.expr(test))
    if isinstance(condition, TensorValue):
        # numpy tests a 0-d array for truth as non-zero; tf.cond needs a bool.
        return TensorValue(f"{evaluator.tf}.cast({condition.code}, {evaluator.tf}.bool)")
    if not isinstance(condition, ScalarValue):
        raise NotNative(test, f"`{_code(test)}` is not known when the dataset is built")
    return condition


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
                    env[element.value.value] = value  # type: ignore[union-attr]
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
    value = evaluator.batch_value(node)
    if isinstance(value, RowList) and value.array:
        return evaluator.row_output(value.value)
    if isinstance(value, RowList):
        raise NotNative(node, f"returns the Python list `{_code(node)}`, which Keras reads as a tuple of arrays")
    if isinstance(value, BufferValue):
        raise NotNative(node, f"returns `{_code(node)}` before every row of it is filled")
    if isinstance(value, (TensorValue, AttrValue)):
        return value
    if isinstance(value, tuple | dict):
        return value
    raise NotNative(node, f"returns `{_code(node)}`, which is not an array")


def leaves(structure: object) -> list[object]:
    if isinstance(structure, tuple):
        return [leaf for part in structure for leaf in leaves(part)]
    if isinstance(structure, dict):
        return [leaf for part in structure.values() for leaf in leaves(part)]
    return [structure]
