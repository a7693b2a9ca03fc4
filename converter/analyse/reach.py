"""Which methods ``__getitem__`` can run: itself plus ``self.<method>(...)`` calls, transitively."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.chain import ClassChain


def self_method_calls(func: cst.FunctionDef) -> list[str]:
    calls = m.findall(
        func.body,
        m.Call(func=m.Attribute(value=m.Name("self") | m.Call(func=m.Name("super"), args=[]), attr=m.Name())),
    )
    return [call.func.attr.value for call in calls]  # type: ignore[union-attr]


def reachable_methods(chain: ClassChain, entry: str) -> list[cst.FunctionDef]:
    seen: list[str] = []
    todo = [entry]
    found: list[cst.FunctionDef] = []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        for func in chain.overrides(name):
            if func not in found:
                found.append(func)
                todo.extend(self_method_calls(func))
    return found
