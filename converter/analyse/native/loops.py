"""The fill loop of the classic data generator, as one per-row step.

    for i, ID in enumerate(list_IDs_temp):
        X[i,] = np.load('data/' + ID + '.npy')
        y[i] = self.labels[ID]

Each buffer row becomes one output of the per-row map function, cast to the buffer's dtype and
broadcast to its row shape exactly as numpy's item assignment does; batching then stacks the
rows into the same buffer.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.native.pad_loops import PaddedBuffer, fill_padded_row
from seq2tfdata.analyse.native.values import BufferValue, NotNative, PadSpec, TensorValue

_code = cst.Module([]).code_for_node


def run_fill_loop(loop: cst.For, evaluator, env: dict, run_if) -> None:
    target = loop.target
    if not (
        m.matches(target, m.Tuple(elements=[m.Element(m.Name()), m.Element(m.Name())]))
        and m.matches(loop.iter, m.Call(func=m.Name("enumerate"), args=[m.Arg(keyword=None)]))
        and loop.orelse is None
    ):
        raise NotNative(loop, "only `for i, item in enumerate(batch_items):` fill loops are followed")
    item_value = evaluator.row_item(loop.iter.args[0].value)  # type: ignore[union-attr]
    position, item = (e.value.value for e in target.elements)  # type: ignore[union-attr]
    inner = dict(env)
    inner[item] = item_value
    evaluator.env = inner
    evaluator.row_depth += 1
    filled: dict[str, str] = {}
    padding: dict[str, PadSpec] = {}
    try:
        for statement in loop.body.body:  # type: ignore[union-attr]
            if isinstance(statement, cst.If):
                # Per-row choices such as augmentation; buffer rows are filled outside them.
                run_if(statement, evaluator, inner)
                continue
            if not isinstance(statement, cst.SimpleStatementLine):
                raise NotNative(statement, "the fill loop contains a nested block")
            for small in statement.body:
                _run_row_statement(small, evaluator, inner, position, filled, padding)
    finally:
        evaluator.env = env
        evaluator.row_depth -= 1
    program = evaluator.program
    for name, code in filled.items():
        # The buffer's name, unless a column or another output of the pipeline has it.
        output = program.fresh_name(name)
        program.sample_outputs[output] = code
        if name in padding:
            program.padding[output] = padding[name]
        if isinstance(env.get(name), BufferValue):
            program.buffers.append(output)
        env[name] = TensorValue(output)


def _run_row_statement(
    small, evaluator, env: dict, position: str, filled: dict[str, str], padding: dict[str, PadSpec]
) -> None:
    if isinstance(small, cst.Pass):
        return
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        raise NotNative(small, f"`{_code(small)}` in the fill loop is not an assignment")
    target = small.targets[0].target
    if isinstance(target, cst.Name):
        env[target.value] = evaluator.bind(target.value, evaluator.expr(small.value))
        return
    if not isinstance(target, cst.Subscript) or not isinstance(target.value, cst.Name):
        raise NotNative(small, f"`{_code(target)}` is not a buffer row")
    buffer = env.get(target.value.value)
    if isinstance(buffer, PaddedBuffer) and target.value.value not in filled:
        filled[target.value.value], padding[target.value.value] = fill_padded_row(
            evaluator, small, buffer, target.value.value, position
        )
        return
    if not isinstance(buffer, BufferValue) or not _is_row_index(target, position):
        raise NotNative(small, f"`{_code(target)}` is not row `{position}` of a buffer made with np.empty/zeros/ones")
    if target.value.value in filled:
        raise NotNative(small, f"row of `{target.value.value}` is assigned twice")
    value = evaluator.tensor_of(evaluator.row_value(small.value))
    tf = evaluator.tf
    filled[target.value.value] = (
        f"{tf}.broadcast_to({tf}.cast({value}, {tf}.{buffer.dtype}), {buffer.row_shape})"
    )


def _is_row_index(target: cst.Subscript, position: str) -> bool:
    first, *rest = target.slice
    if not m.matches(first.slice, m.Index(value=m.Name(position))):
        return False
    return all(m.matches(e.slice, m.Slice(lower=None, upper=None, step=None)) for e in rest)
