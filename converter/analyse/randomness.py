"""Where code draws random numbers: such code depends on call order, so it is never reordered."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.dtypes import Names, qualified

_RANDOM_MODULES = ("numpy.random.", "random.", "tensorflow.random.", "keras.random.")
# Methods of numpy Generator / RandomState / random.Random objects kept on self.
GENERATOR_METHODS = {
    "random", "normal", "uniform", "integers", "randint", "choice", "shuffle", "permutation",
    "standard_normal", "rand", "randn", "binomial", "poisson", "beta", "gamma", "sample", "gauss",
}


def _generators_from_self(func: cst.FunctionDef) -> set[str]:
    """Locals taken from state kept on self (``rng = self._batch_sampler[i]``, ``rng = self.rng``):
    a generator among them advances that state when it draws."""
    names: set[str] = set()
    for assign in m.findall(func.body, m.Assign(targets=[m.AssignTarget(target=m.Name())])):
        if m.findall(assign.value, m.Name("self")):  # type: ignore[union-attr]
            names.add(assign.targets[0].target.value)  # type: ignore[union-attr]
    return names


def random_draws(func: cst.FunctionDef, names: Names) -> list[cst.Call]:
    draws: list[cst.Call] = []
    from_self = _generators_from_self(func)
    for call in m.findall(func.body, m.Call()):
        assert isinstance(call, cst.Call)
        if any(name.startswith(_RANDOM_MODULES) for name in qualified(names, call.func)):
            draws.append(call)
        elif m.matches(
            call.func, m.Attribute(value=m.Attribute(value=m.Name("self")), attr=m.Name())
        ) and call.func.attr.value in GENERATOR_METHODS:  # type: ignore[union-attr]
            draws.append(call)
        elif m.matches(call.func, m.Attribute(value=m.Name(), attr=m.Name())) and call.func.value.value in from_self:  # type: ignore[union-attr]
            if call.func.attr.value in GENERATOR_METHODS:  # type: ignore[union-attr]
                draws.append(call)
    return draws
