"""Static ``output_signature`` inference for the batches ``__getitem__`` returns.

Only shapes and dtypes the code makes plain are inferred: a returned structure of tuple, list
or dict literals whose leaves are buffers built with ``np.zeros/ones/empty/full`` (possibly
``.astype``-ed) with a literal shape. Anything else makes the whole signature unknown, and the
generated code probes it at run time instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.dtypes import Names, qualified, static_dtype

_BUFFER_FACTORIES = {"numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full"}


@dataclass(frozen=True)
class LeafSpec:
    dtype: str
    dims: tuple[int | None, ...]


# A structure is a LeafSpec, a tuple of structures or a dict of str -> structure.
Structure = object


def infer_signature(getitem: cst.FunctionDef, names: Names) -> Structure | None:
    returns = m.findall(getitem.body, m.Return(), )
    nested = m.findall(getitem.body, m.FunctionDef() | m.Lambda())
    if len(returns) != 1 or nested:
        return None
    value = returns[0].value  # type: ignore[union-attr]
    if value is None:
        return None
    return _structure(value, getitem, names)


def _structure(node: cst.BaseExpression, func: cst.FunctionDef, names: Names) -> Structure | None:
    if isinstance(node, (cst.Tuple, cst.List)):
        parts = [_structure(el.value, func, names) for el in node.elements]
        if any(p is None or isinstance(el, cst.StarredElement) for p, el in zip(parts, node.elements)):
            return None
        return tuple(parts)
    if isinstance(node, cst.Dict):
        out: dict[str, Structure] = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                return None
            key = element.key.evaluated_value
            inner = _structure(element.value, func, names)
            if not isinstance(key, str) or inner is None:
                return None
            out[key] = inner
        return out
    return _leaf(node, func, names, depth=0)


def _single_assignment(name: str, func: cst.FunctionDef) -> cst.BaseExpression | None:
    """The value of ``name`` when the function binds it exactly once, by a plain assignment."""
    assigns = m.findall(func.body, m.Assign(targets=[m.AssignTarget(target=m.Name(name))]))
    other_bindings = m.findall(
        func.body,
        m.AugAssign(target=m.Name(name))
        | m.For(target=m.Name(name))
        | m.AssignTarget(target=m.Tuple() | m.List())
        | m.AnnAssign(target=m.Name(name))
        | m.NamedExpr(target=m.Name(name)),
    )
    if len(assigns) != 1 or other_bindings:
        return None
    return assigns[0].value  # type: ignore[union-attr]


def _leaf(node: cst.BaseExpression, func: cst.FunctionDef, names: Names, depth: int) -> LeafSpec | None:
    if depth > 8:
        return None
    if isinstance(node, cst.Name):
        value = _single_assignment(node.value, func)
        return None if value is None else _leaf(value, func, names, depth + 1)
    if not isinstance(node, cst.Call):
        return None
    if isinstance(node.func, cst.Attribute) and node.func.attr.value == "astype":
        inner = _leaf(node.func.value, func, names, depth + 1)
        dtype = static_dtype(node.args[0].value, names) if len(node.args) == 1 else None
        return None if inner is None or dtype is None else LeafSpec(dtype, inner.dims)
    callee = qualified(names, node.func) & _BUFFER_FACTORIES
    if not callee or not node.args:
        return None
    dims = _literal_dims(node.args[0].value)
    dtype_node = next((a.value for a in node.args if a.keyword and a.keyword.value == "dtype"), None)
    if dtype_node is None:
        dtype = None if callee == {"numpy.full"} else "float64"
    else:
        dtype = static_dtype(dtype_node, names)
    return None if dims is None or dtype is None else LeafSpec(dtype, dims)


def _literal_dims(shape: cst.BaseExpression) -> tuple[int | None, ...] | None:
    if not isinstance(shape, (cst.Tuple, cst.List, cst.Integer)):
        # ``np.zeros(self.dim)`` or ``(n,) + self.size``: the rank itself is not written down.
        return None
    elements = shape.elements if isinstance(shape, (cst.Tuple, cst.List)) else [cst.Element(shape)]
    dims: list[int | None] = []
    for element in elements:
        if isinstance(element, cst.StarredElement):
            return None
        value = element.value
        dims.append(int(value.value, 0) if isinstance(value, cst.Integer) else None)
    return tuple(dims)


def render_signature(structure: Structure, tf: str) -> str:
    if isinstance(structure, LeafSpec):
        dims = ", ".join("None" if d is None else str(d) for d in structure.dims)
        shape = f"({dims},)" if len(structure.dims) == 1 else f"({dims})"
        return f"{tf}.TensorSpec(shape={shape}, dtype={tf}.{structure.dtype})"
    if isinstance(structure, tuple):
        inner = ", ".join(render_signature(part, tf) for part in structure)
        return f"({inner},)" if len(structure) == 1 else f"({inner})"
    assert isinstance(structure, dict)
    inner = ", ".join(f"{key!r}: {render_signature(value, tf)}" for key, value in structure.items())
    return "{" + inner + "}"
