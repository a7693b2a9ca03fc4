"""``if`` statements in batch code.

A condition known when the dataset is built (``if self.augment:``, ``if self.mode == "train":``)
is a trace-time ``if`` in the generated function too: one block, as the user wrote it, where each
variable the branches assign is one local both sides set. A condition computed in the pipeline (a
random draw, a statistic of the batch) becomes a ``tf.cond``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.native.rows import as_scalar
from seq2tfdata.analyse.native.statements import Binding
from seq2tfdata.analyse.native.values import NotNative, RowList, ScalarValue, TensorValue

_code = cst.Module([]).code_for_node
# Runs one plain statement of a branch (``program._run_small``) in the given environment.
SmallRunner = Callable[[cst.BaseSmallStatement, object, dict], None]


def run_if(node: cst.If, evaluator, env: dict, run_small: SmallRunner) -> None:
    condition = _condition(node.test, evaluator)
    if isinstance(condition, TensorValue):
        _run_cond(node, evaluator, env, evaluator.bind("condition", condition), run_small)
        return
    assigned = _assigned_names(node)
    added = [name for name in assigned if name not in evaluator.branch_locals]
    for name in added:
        local = evaluator.branch_locals[name] = _hoisted(name, env, evaluator)
        if local is not None:
            env[name] = TensorValue(local)
    try:
        taken, skipped = (
            _run_side(block, evaluator, env, run_small, guard=(node, side, condition.code))
            for block, side in ((node.body, True), (node.orelse, False))
        )
    finally:
        for name in added:
            del evaluator.branch_locals[name]
    for name in assigned:
        first, second = taken.get(name), skipped.get(name)
        if first is None or second is None:
            # Assigned on one side only and unset before: the user's code cannot read it after.
            env.pop(name, None)
        elif first == second:
            env[name] = first
        elif isinstance(first, TensorValue) and isinstance(second, TensorValue) and evaluator.cond_depth:
            # Inside a tf.cond's branch, which is one expression: a trace-time choice of two.
            env[name] = TensorValue(f"({first.code} if {condition.code} else {second.code})")
        else:
            raise NotNative(node, f"`{name}` differs between the branches in a way the pipeline cannot select")


def _hoisted(name: str, env: dict, evaluator) -> str | None:
    """The local both sides of an ``if`` assign for ``name``: the one it has, when reassigning it
    changes nothing else the function still reads; else a copy made before the ``if``. None when
    ``name`` holds no array yet."""
    value = env.get(name)
    if not isinstance(value, TensorValue) or evaluator.cond_depth:
        return None
    local = value.code
    others = [other for key, other in env.items() if key != name]
    # A row function returns its outputs after all its bindings, so its locals are never reused.
    if not evaluator.row_depth and local in evaluator.own_locals and not any(_reads(v, local) for v in others):
        return local
    copy = evaluator.program.fresh_name(name)
    evaluator.emit(Binding(copy, local))
    return copy


def _reads(value: object, local: str) -> bool:
    pattern = re.compile(rf"(?<![\w.]){re.escape(local)}(?!\w)")
    return any(pattern.search(leaf.code) for leaf in _tensor_leaves(value))


def _tensor_leaves(value: object) -> Iterator[TensorValue]:
    if isinstance(value, TensorValue):
        yield value
    elif isinstance(value, (tuple, list)):
        for part in value:
            yield from _tensor_leaves(part)
    elif isinstance(value, dict):
        for part in value.values():
            yield from _tensor_leaves(part)
    elif isinstance(value, RowList):
        yield from _tensor_leaves(value.value)


def _assigned_names(node: cst.If) -> list[str]:
    """Every variable a branch of ``node`` (or of an ``if`` inside it) assigns, in order."""
    names: list[str] = []
    for assign in m.findall(node, m.Assign()):
        for target in assign.targets:  # type: ignore[attr-defined]
            parts = target.target.elements if isinstance(target.target, (cst.Tuple, cst.List)) else [target.target]
            for part in parts:
                part = part.value if isinstance(part, cst.BaseElement) else part
                if isinstance(part, cst.Name) and part.value not in names:
                    names.append(part.value)
    return names


def _run_side(block, evaluator, env: dict, run_small: SmallRunner, guard) -> dict:
    """Runs one side of an ``if`` (its body, its ``else``, or an ``elif`` as a nested ``if``) in a
    copy of ``env``, returned; ``guard`` is the branch it runs in, or None inside a tf.cond."""
    branch = dict(env)
    outer_env, outer_guards = evaluator.env, evaluator.guards
    evaluator.env = branch
    if guard is None:
        evaluator.cond_depth += 1
    else:
        evaluator.guards = (*outer_guards, guard)
    try:
        if isinstance(block, cst.If):
            run_if(block, evaluator, branch, run_small)
        elif block is not None:
            statements = block.body.body if isinstance(block, cst.Else) else block.body
            for statement in statements:
                if isinstance(statement, cst.If):
                    run_if(statement, evaluator, branch, run_small)
                    continue
                if not isinstance(statement, cst.SimpleStatementLine) or m.findall(statement, m.Return()):
                    raise NotNative(statement, "a branch holds more than plain assignments")
                for small in statement.body:
                    run_small(small, evaluator, branch)
    finally:
        evaluator.env, evaluator.guards = outer_env, outer_guards
        if guard is None:
            evaluator.cond_depth -= 1
    return branch


def _run_cond(node: cst.If, evaluator, env: dict, condition: TensorValue, run_small: SmallRunner) -> None:
    taken, skipped = (_run_side(block, evaluator, env, run_small, guard=None) for block in (node.body, node.orelse))
    for name in [name for name in taken if name in skipped]:
        first, second = taken[name], skipped[name]
        if first == second:
            env[name] = first
        elif isinstance(first, TensorValue) and isinstance(second, TensorValue):
            tf = evaluator.tf
            cond = f"{tf}.cond({condition.code}, lambda: {first.code}, lambda: {second.code})"
            env[name] = evaluator.bind(name, TensorValue(cond))
        else:
            raise NotNative(node, f"`{name}` differs between the branches in a way the pipeline cannot select")


def _condition(test: cst.BaseExpression, evaluator) -> ScalarValue | TensorValue:
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

