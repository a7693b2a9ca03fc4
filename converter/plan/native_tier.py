"""The native tier: ``__getitem__`` translated into tf.data ops, when that is provably exact."""

from __future__ import annotations

import re

import libcst as cst

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.reach import reachable_methods
from seq2tfdata.analyse.native.length import last_batch_policy
from seq2tfdata.analyse.native.program import evaluate_getitem, leaves
from seq2tfdata.analyse.purity import EPOCH_HOOKS, hook_conflict, side_effect
from seq2tfdata.analyse.native.gathers import GatheredOutput
from seq2tfdata.analyse.native.permutation import find_permutation
from seq2tfdata.analyse.native.statements import Binding, statement_codes
from seq2tfdata.analyse.native.program_facts import Program
from seq2tfdata.analyse.native.values import AttrValue, NotNative, PadSpec, Permutation, TensorValue
from seq2tfdata.model import Reason
from seq2tfdata.plan.guard import guarded
from seq2tfdata.plan.method import GuardedPlan, NativePipeline
from seq2tfdata.plan.plan import ModuleFacts


def plan_native(chain: ClassChain, facts: ModuleFacts, reasons: list[Reason]) -> GuardedPlan | None:
    try:
        return _plan(chain, facts, hybrid_rows=False)
    except NotNative as blocked:
        message = blocked.message + (f"; {blocked.lift} to make it native" if blocked.lift else "")
        reasons.append(facts.reason(blocked.node, message))
        return None


def plan_hybrid_rows(chain: ClassChain, facts: ModuleFacts, reasons: list[Reason]) -> GuardedPlan | None:
    """The native pipeline with the per-row steps it cannot translate run in tf.numpy_function."""
    try:
        return _plan(chain, facts, hybrid_rows=True)
    except NotNative as blocked:
        if not any((r.line, r.col) == facts.reason(blocked.node, "").line_col for r in reasons):
            reasons.append(facts.reason(blocked.node, f"hybrid: {blocked.message}"))
        return None
    except _NoPythonRows:
        return None


class _NoPythonRows(Exception):
    """Nothing needed numpy_function, so the native tier's reason already explains the class."""


def _plan(chain: ClassChain, facts: ModuleFacts, hybrid_rows: bool) -> GuardedPlan:
    getitem = chain.method("__getitem__")
    if getitem is None:
        raise NotNative(chain.cls.node.name, "__getitem__ is defined in another file, so it cannot be analysed")
    permutation = find_permutation(chain, facts.names)
    reachable = reachable_methods(chain, "__getitem__")
    notes = _check_purity(chain, reachable, permutation)
    batch_function = evaluate_getitem(chain, getitem, facts.names, facts.tf, permutation, hybrid_rows, facts.functions)
    program = batch_function.program
    if hybrid_rows and not program.python_rows and not program.python_batches:
        raise _NoPythonRows
    if program.assumed_pure:
        notes.append(f"Assumed pure, as they are defined in other modules: {', '.join(program.assumed_pure)}.")
    if not program.permuted:
        program.permutation = None
        notes = [note for note in notes if "rebuilds self." not in note]
    structure = batch_function.structure
    if program.stage is None:
        return _constant_batch(chain, facts, structure, getitem, notes)
    if any(not isinstance(leaf, TensorValue) for leaf in leaves(structure)):
        raise NotNative(getitem, "returns an attribute unchanged next to per-batch arrays")
    drop_remainder = program.full_batches or last_batch_policy(_length_function(chain), program, facts.names)
    buffers = program.buffers
    if buffers and not drop_remainder:
        raise NotNative(
            getitem,
            f"the last batch is partial but `{buffers[0]}` always has batch_size rows",
            lift="count batches with floor (len(ids) // batch_size)",
        )
    outputs, pad_rows, slices, bare_row = _pipeline_shape(program, structure)
    gathers = _gathered_outputs(program, outputs)
    returned = TensorValue(outputs[0]) if bare_row else tuple(TensorValue(name) for name in outputs)
    identity = _render_structure(structure) == _render_structure(returned)
    rowwise = not (identity or slices or gathers or pad_rows) and _rowwise_batch(program, structure)
    pipeline = NativePipeline(
        class_name=chain.cls.name,
        notes=notes,
        columns=program.columns,
        outputs=outputs,
        row_code=[program.sample_outputs[name] for name in outputs],
        bare_row=bare_row,
        tables={} if gathers else program.tables,
        gathers=gathers,
        rowwise=rowwise,
        gather_tables=_gather_tables(program, gathers),
        npy_table=program.npy_paths,
        images=program.images,
        permutation=program.permutation,
        stage=program.stage,
        slices=slices,
        batch_size=program.batch_size,
        drop_remainder=drop_remainder,
        pad_rows=pad_rows,
        left_align=[c for c, spec in pad_rows if spec.padding == "pre" and not spec.maxlen],
        pad_values={c: spec.value for c, spec in pad_rows},
        structure=_render_structure(structure),
        identity=identity,
        python_rows=program.python_rows,
        python_batches=program.python_batches,
        row_count=program.row_count,
        row_draws=program.row_draws,
        element_draws=program.element_draws,
        row_bindings=program.row_bindings,
        element_bindings=program.element_bindings,
        numpy_helpers=program.helpers,
    )
    return guarded(pipeline, chain, facts)


def _pipeline_shape(program: Program, structure: object) -> tuple[list[str], list[tuple[str, PadSpec]], bool, bool]:
    """The per-row outputs the batch is made of, their padding, whether batches are plain
    column slices, and whether the batch is one bare array."""
    outputs = list(program.sample_outputs)
    pad_rows = [(name, program.padding[name]) for name in outputs if name in program.padding]
    # Whole batches are one slice of each column (pad_sequences pads the slice): no per-row
    # function is needed.
    slices = (
        program.stage == "batch"
        and program.permutation is None
        and all(spec.truncating in ("pre", "post") for _, spec in pad_rows)
        and not program.tables
        # No other output may take a column's name, so these outputs are the columns' rows.
        and set(outputs) <= set(program.columns)
    )
    if not slices:
        outputs = _returned_outputs(structure, outputs, program) or _used_outputs(outputs, program, structure)
        pad_rows = [(name, spec) for name, spec in pad_rows if name in outputs]
    # One array per batch: the batch is that array, not a 1-tuple to unpack again.
    bare_row = (
        isinstance(structure, TensorValue)
        and len(outputs) == 1
        and not (program.element_draws or program.python_batches or (pad_rows and not slices))
    )
    return outputs, pad_rows, slices, bare_row


def _gathered_outputs(program: Program, outputs: list[str]) -> dict[str, GatheredOutput]:
    """Outputs a batch gathers at once from whole attributes at its row positions, when every
    output is one and nothing else is computed row by row: a window table then needs no copy of
    the series per row, and one op per batch replaces a map call per row."""
    gathered = [program.gathered.get(name) for name in outputs]
    row_by_row = (
        program.permutation is not None
        or program.columns
        or program.row_bindings
        or program.row_draws
        or program.python_rows
        or program.npy_paths
        or program.images
        or program.padding
        or program.buffers
    )
    if program.row_count is None or row_by_row or None in gathered:
        return {}
    if set(program.tables) != {output.table for output in gathered if output is not None}:
        return {}
    return dict(zip(outputs, gathered))  # type: ignore[arg-type]


def _rowwise_batch(program: Program, structure: object) -> bool:
    """The per-batch work is element-wise arithmetic of stacked rows with numbers, so it can run
    on each row in the map that reads it (one map call per row instead of one more per batch)."""
    if program.stage != "batch" or program.element_draws or program.python_batches:
        return False
    bindings = program.element_bindings
    if not all(isinstance(b, Binding) and b.rowwise for b in bindings):
        return False
    return all(isinstance(leaf, TensorValue) and leaf.rowwise for leaf in leaves(structure))


def _gather_tables(program: Program, gathers: dict[str, GatheredOutput]) -> dict[str, str]:
    """The local each gathered attribute is read into: its own name, unless taken."""
    tables: dict[str, str] = {}
    for attribute in dict.fromkeys(output.gather.attribute for output in gathers.values()):
        name = program.fresh_name(attribute)
        while name in tables.values():
            name = program.fresh_name(f"{name}_table")
        tables[attribute] = name
    return tables


def _returned_outputs(structure: object, outputs: list[str], program: Program) -> list[str] | None:
    """When the batch is just some per-row outputs, in some order, the rows are built in that
    order, so no per-batch map only to pick and reorder them is needed."""
    if program.element_bindings or program.element_draws or program.python_batches:
        return None
    returned = [structure] if isinstance(structure, TensorValue) else list(structure) if isinstance(structure, tuple) else []
    names = [leaf.code for leaf in returned if isinstance(leaf, TensorValue)]
    if not names or len(names) != len(returned) or len(set(names)) != len(names) or not set(names) <= set(outputs):
        return None
    return names


def _used_outputs(outputs: list[str], program: Program, structure: object) -> list[str]:
    """The per-row outputs the batch's result reads; a column read only row by row (padded by a
    loop, say) need not be batched as well."""
    reads = _render_structure(structure) + " " + " ".join(statement_codes(program.element_bindings))
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", reads))
    return [name for name in outputs if name in words] or outputs[:1]


def _check_purity(chain: ClassChain, reachable: list[cst.FunctionDef], permutation: Permutation | None) -> list[str]:
    """Refuse batch code that depends on call order; return notes on the hooks left uncalled."""
    impurity = side_effect(reachable)
    if impurity is not None:
        raise NotNative(impurity.node, impurity.message + "; it is never run in parallel or reordered")
    exempt = ("on_epoch_end", permutation.attribute) if permutation is not None else None
    conflict = hook_conflict(chain, reachable, exempt)
    if conflict is not None:
        raise NotNative(conflict.node, conflict.message)
    notes = []
    if permutation is not None and permutation.condition:
        condition = "" if permutation.condition == "True" else f" when `{permutation.condition}`"
        notes.append(f"on_epoch_end() reshuffles self.{permutation.attribute}; tf.data reshuffles rows each pass{condition}.")
        notes.append("When the last partial batch is dropped, each pass serves a random subset, as the Sequence does.")
    for hook in EPOCH_HOOKS:
        if chain.method(hook) is not None and (permutation is None or hook != "on_epoch_end"):
            notes.append(f"{hook}() is not called: it changes nothing __getitem__ reads.")
    return notes


def _length_function(chain: ClassChain) -> cst.FunctionDef:
    for name in ("__len__", "num_batches"):
        func = chain.method(name)
        if func is not None:
            return func
    raise NotNative(chain.cls.node.name, "no __len__ or num_batches in this file to size the dataset")


def _constant_batch(
    chain: ClassChain, facts: ModuleFacts, structure: object, getitem: cst.FunctionDef, notes: list[str]
) -> GuardedPlan:
    if not all(isinstance(leaf, AttrValue) for leaf in leaves(structure)):
        raise NotNative(getitem, "computes arrays without selecting rows by the batch index")
    constant = _render_structure(structure, attribute=lambda name: f"{facts.np}.asarray(self.{name})")
    return guarded(NativePipeline(class_name=chain.cls.name, notes=notes, constant=constant), chain, facts)


def _render_structure(structure: object, attribute=None) -> str:
    if isinstance(structure, tuple):
        parts = [_render_structure(part, attribute) for part in structure]
        return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"
    if isinstance(structure, dict):
        return "{" + ", ".join(f"{key!r}: {_render_structure(v, attribute)}" for key, v in structure.items()) + "}"
    if isinstance(structure, AttrValue) and attribute is not None:
        return attribute(structure.name)
    assert isinstance(structure, TensorValue)
    return structure.code
