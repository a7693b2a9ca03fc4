"""Keras 3 call-site fixes for instances of converted Sequence classes.

``model.fit_generator(gen, workers=4)`` fails twice under Keras 3: the ``*_generator`` methods
are gone and ``fit()`` raises TypeError on the queue arguments. Where ``gen`` is provably an
instance of a class that received a generated ``to_tf_dataset()``, the call becomes
``model.fit(gen.to_tf_dataset())``; everywhere else the call is left alone and a note says why.
Arguments that keep working (``steps_per_epoch=len(gen)``, ``shuffle=``) are not touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from seq2tfdata.migrate.arguments import CallEdit, apply_edit, index_of
from seq2tfdata.migrate.provenance import Provenance, ProvenanceResolver, show
from seq2tfdata.migrate.targets import ConvertedClasses, qualified
from seq2tfdata.model import ClassFinding, Reason, Tier

GENERATOR_METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict"}
DATASET_METHODS = frozenset({"fit", "evaluate", "predict"})
# Keras 3 moved these to the PyDataset constructor (the values here are its parameter names) and
# its fit() raises TypeError on them; ``max_q_size``/``pickle_safe`` are Keras 2.0 spellings.
QUEUE_KEYWORDS = {
    "workers": "workers",
    "use_multiprocessing": "use_multiprocessing",
    "max_queue_size": "max_queue_size",
    "max_q_size": "max_queue_size",
    "pickle_safe": "use_multiprocessing",
}
# The leading parameters that kept their place in every Keras 2 release (later ones moved), so
# positional arguments there can safely become keywords of the Keras 3 method.
STABLE_POSITIONAL = {
    "fit_generator": ("steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data", "validation_steps"),
    "evaluate_generator": ("steps",),
    "predict_generator": ("steps",),
}
_VALIDATION_POSITION = {"fit_generator": 5}


# A change made to a call site, or the reason one was left alone: anchored like any Reason.
Fix = Reason


@dataclass(frozen=True)
class CallSiteResult:
    code: str
    original: str
    fixes: tuple[Fix, ...] = ()
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.code != self.original


def converted_class_names(findings: Iterable[ClassFinding], module: str = "") -> frozenset[str]:
    """The qualified names (``module.Class``) of the classes of ``module`` that ``convert_source``
    gave a ``to_tf_dataset()``, as :func:`fix_call_sites` takes them."""
    return frozenset(qualified(module, f.name) for f in findings if f.tier is not Tier.SKIPPED)


def fix_call_sites(
    code: str,
    converted_classes: Iterable[str],
    path: str = "<string>",
    *,
    module: str = "",
    is_package: bool = False,
) -> CallSiteResult:
    """Rewrite the Keras calls that receive instances of ``converted_classes``, in the module
    ``module`` (its dotted name; ``is_package`` for an ``__init__.py``).

    ``converted_classes`` are qualified names from :func:`converted_class_names`: a call site
    is fixed only where the class it constructs is, by its qualified name, one of them (defined
    in this module, or imported from the module that defines it); a class that is merely
    spelled alike is left alone with a note. Never raises: a text that cannot be handled comes
    back unchanged with ``error`` set."""
    converted = ConvertedClasses.of(converted_classes, module, is_package)
    try:
        module_node = cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        where = f"{path}:{error.raw_line}:{error.raw_column + 1}"
        return CallSiteResult(code, code, error=f"{where}: cannot parse: {error.message}")
    try:
        new_code, fixes = _fix(module_node, converted)
        if new_code != code:
            _check_stable(new_code, converted)
    except Exception as error:  # noqa: BLE001 - like convert_source, never raise on user input
        return CallSiteResult(code, code, error=f"{path}: internal error: {type(error).__name__}: {error}")
    return CallSiteResult(new_code, code, fixes)


def _fix(module: cst.Module, converted: ConvertedClasses) -> tuple[str, tuple[Fix, ...]]:
    wrapper = MetadataWrapper(module)
    resolver = ProvenanceResolver(
        converted,
        wrapper.resolve(ScopeProvider),
        wrapper.resolve(QualifiedNameProvider),
        wrapper.resolve(ParentNodeProvider),
    )
    transformer = _CallSiteTransformer(resolver, wrapper.resolve(PositionProvider))
    new_module = wrapper.module.visit(transformer)
    return new_module.code, tuple(sorted(transformer.fixes, key=lambda fix: (fix.line, fix.col)))


def _check_stable(new_code: str, converted: ConvertedClasses) -> None:
    try:
        again, _ = _fix(cst.parse_module(new_code), converted)
    except cst.ParserSyntaxError as error:
        raise RuntimeError(f"the fixed code does not parse ({error.message})") from error
    if again != new_code:
        raise RuntimeError("fixing the output again changes it (unstable fix)")


@dataclass(frozen=True)
class _Operand:
    """An argument the rewrite may wrap in ``.to_tf_dataset()``, with what is known about it."""

    index: int
    arg: cst.Arg
    provenance: Provenance

    @property
    def proven(self) -> bool:
        return self.provenance.proven

    @property
    def shown(self) -> str:
        return show(self.arg.value)


def _why_not(operand: _Operand | None) -> str:
    if operand is not None and operand.provenance.why:
        return operand.provenance.why
    return "the data argument is not a converted Sequence instance"


class _CallSiteTransformer(cst.CSTTransformer):
    def __init__(self, resolver: ProvenanceResolver, positions) -> None:
        super().__init__()
        self._resolver = resolver
        self._positions = positions
        self.fixes: list[Fix] = []

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        if not isinstance(func, cst.Attribute):
            return updated_node
        method = func.attr.value
        if method in GENERATOR_METHODS:
            edit = self._plan_generator_call(original_node, method)
        elif method in DATASET_METHODS:
            edit = self._plan_dataset_call(original_node, method)
        else:
            return updated_node
        # Indices in ``edit`` are valid for ``updated_node`` too: nested rewrites change the
        # arguments' values, never how many there are.
        return apply_edit(updated_node, edit) if edit else updated_node

    def _plan_generator_call(self, call: cst.Call, method: str) -> CallEdit | None:
        data = self._operand(call.args, "generator", 0)
        new_method = GENERATOR_METHODS[method]
        if data is None or not data.proven:
            self._note(call, f"left `.{method}()` unchanged (Keras 3 removed it): {_why_not(data)}")
            return None
        if any(arg.star for arg in call.args):
            self._note(call, f"left `.{method}()` unchanged: `*`/`**` arguments may not suit `.{new_method}()`")
            return None
        extra = [i for i, arg in enumerate(call.args) if arg.keyword is None and i != data.index]
        stable = STABLE_POSITIONAL[method]
        if len(extra) > len(stable):
            self._note(
                call,
                f"left `.{method}()` unchanged: pass the arguments after `{stable[-1]}` by keyword "
                "(their order differs between Keras versions)",
            )
            return None
        edit = CallEdit(new_method=new_method, keywords=dict(zip(extra, stable)))
        if data.arg.keyword is not None:
            edit.keywords[data.index] = "x"
        self._note(call, f"`.{method}()` was removed in Keras 3: now `.{new_method}()`")
        self._plan_operands(call, method, new_method, edit, data)
        return edit

    def _plan_dataset_call(self, call: cst.Call, method: str) -> CallEdit:
        edit = CallEdit()
        self._plan_operands(call, method, method, edit, self._operand(call.args, "x", 0))
        return edit

    def _plan_operands(
        self, call: cst.Call, method: str, new_method: str, edit: CallEdit, data: _Operand | None
    ) -> None:
        if data is not None:
            self._plan_wrap(data, edit, "")
        if method in ("fit", "fit_generator"):
            validation = self._operand(call.args, "validation_data", _VALIDATION_POSITION.get(method))
            if validation is not None:
                self._plan_wrap(validation, edit, " as validation data")
        self._plan_queue_arguments(call, new_method, edit, data)

    def _plan_wrap(self, operand: _Operand, edit: CallEdit, role: str) -> None:
        if operand.proven:
            edit.wrap.add(operand.index)
            self._note(
                operand.arg,
                f"passes `{operand.shown}.to_tf_dataset()`{role}: "
                f"{operand.provenance.class_name} has a generated `to_tf_dataset()`",
            )
        elif operand.provenance.suspicious:
            self._note(operand.arg, f"left `{operand.shown}`{role} unchanged: {operand.provenance.why}")

    def _plan_queue_arguments(
        self, call: cst.Call, new_method: str, edit: CallEdit, data: _Operand | None
    ) -> None:
        if data is not None and data.proven and any(arg.star == "**" for arg in call.args):
            self._note(call, f"check the `**` argument: Keras 3 `.{new_method}()` rejects `workers=` and the like")
        queue = [
            (i, arg)
            for i, arg in enumerate(call.args)
            if arg.keyword is not None and arg.keyword.value in QUEUE_KEYWORDS
        ]
        if not queue:
            return
        shown = ", ".join(f"{arg.keyword.value}={show(arg.value)}" for _, arg in queue)
        if data is None or not data.proven:
            rejected = f"left `{shown}` in place although Keras 3 `.{new_method}()` rejects it"
            self._note(call, f"{rejected}: {_why_not(data)}")
            return
        edit.drop.update(i for i, _ in queue)
        moved = ", ".join(f"{QUEUE_KEYWORDS[arg.keyword.value]}={show(arg.value)}" for _, arg in queue)
        self._note(
            call,
            f"removed `{shown}`, which Keras 3 `.{new_method}()` rejects: it belongs to the PyDataset "
            f"constructor now, e.g. `super().__init__({moved})` in `{data.provenance.class_name}.__init__`",
        )

    def _operand(self, args: Sequence[cst.Arg], keyword: str, position: int | None) -> _Operand | None:
        index = index_of(args, keyword, position)
        if index is None or args[index].star:
            return None
        return _Operand(index, args[index], self._resolver.of_argument(args[index].value))

    def _note(self, node: cst.CSTNode, message: str) -> None:
        start = self._positions[node].start
        self.fixes.append(Fix(start.line, start.column + 1, message))
