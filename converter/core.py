"""``convert_source``: the pure ``str -> str`` core every front end wraps.

parse → find → analyse/plan → render, then the black-style safety checks: the output must parse
and converting it again must change nothing. On any failure the input comes back unchanged with
an error, never an exception.
"""

from __future__ import annotations

import ast

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider

from converter.analyse.helpers import module_functions
from converter.complexity import too_deep
from converter.form_feeds import with_user_lines, without_form_feeds
from converter.find import find_sequence_classes
from converter.markers import fingerprint, strip_generated_block
from converter.model import ClassFinding, Options, Reason, Result, Tier
from converter.plan import ClassPlan, ModuleFacts, plan_class
from converter.plan.tiers import TIER_PLANNERS
from converter.render.imports import binding_for
from converter.render.insert import InsertGeneratedMethods

BOM = "\ufeff"


def convert_source(code: str, options: Options | None = None) -> Result:
    options = options or Options()
    # The byte-order mark and the run of line breaks that ends the text are the user's, and
    # libcst keeps neither exactly (a final lone ``\r``, CR-only endings).
    bom = BOM if code.startswith(BOM) else ""
    user_body = code[len(bom):]
    body = without_form_feeds(user_body)
    ending = body[len(body.rstrip("\r\n")):]
    refusal = _refusal(body, options)
    if refusal is not None:
        return Result(code, code, error=refusal)
    try:
        module = cst.parse_module(body)
    except cst.ParserSyntaxError as error:
        return Result(code, code, error=_syntax_error(body, error, options.path))
    except RecursionError:
        return Result(code, code, error=f"{options.path}: too complex to analyse (recursion)")
    try:
        result = _convert(module, body, options)
        if result.changed:
            _check_safe(result, options)
    except RecursionError:
        return Result(code, code, error=f"{options.path}: too complex to analyse (recursion)")
    except Exception as error:  # noqa: BLE001 - the core must never raise on user input
        return Result(code, code, error=f"{options.path}: internal error: {type(error).__name__}: {error}")
    if not result.changed:
        return Result(code, code, result.findings)
    converted = with_user_lines(user_body, body, result.code)
    return Result(bom + converted.rstrip("\r\n") + ending, code, result.findings)


def _refusal(body: str, options: Options) -> str | None:
    """Why the text is left alone before any parsing: it cannot be a file, or is too deep."""
    try:
        body.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"{options.path}: cannot parse: the text holds a lone surrogate ({error.object[error.start]!a}), which no UTF-8 file can"
    deep = too_deep(body)
    return f"{options.path}:{deep}" if deep else None


def _syntax_error(code: str, error: cst.ParserSyntaxError, path: str) -> str:
    # Python's own parser names the line people expect ("expected ':'"); libcst's names the
    # token where it gave up, which is often the next line.
    try:
        ast.parse(code)
    except SyntaxError as python_error:
        return f"{path}:{python_error.lineno}:{python_error.offset or 1}: cannot parse: {python_error.msg}"
    except ValueError:
        pass
    return f"{path}:{error.raw_line}:{error.raw_column + 1}: cannot parse: {error.message}"


def _convert(module: cst.Module, code: str, options: Options) -> Result:
    wrapper = MetadataWrapper(module)
    classes = [c for c in find_sequence_classes(wrapper, options.extra_sequence_bases, options.module) if c.is_sequence or c.unresolved]
    if not classes:
        return Result(code, code)
    module = wrapper.module
    tf, add_tf = binding_for(module, "tensorflow", "tf")
    np, add_np = binding_for(module, "numpy", "np")
    warnings, add_warnings = binding_for(module, "warnings", "warnings")
    facts = ModuleFacts(
        names=wrapper.resolve(QualifiedNameProvider),
        positions=wrapper.resolve(PositionProvider),
        tf=tf,
        np=np,
        warnings=warnings,
        options=options,
        functions=module_functions(module),
    )
    plans = [_plan_or_skip(cls, facts) for cls in classes]
    methods = {
        plan.cls.node: (plan.method, _fingerprint(plan, options))
        for plan in plans
        if plan.method is not None
    }
    new_module = module.visit(InsertGeneratedMethods(methods))
    if methods:
        context = CodemodContext()
        if add_tf:
            AddImportsVisitor.add_needed_import(context, "tensorflow", asname=None if tf == "tensorflow" else tf)
        if add_np:
            AddImportsVisitor.add_needed_import(context, "numpy", asname=None if np == "numpy" else np)
        if add_warnings and any(plan.tier in (Tier.NATIVE, Tier.HYBRID) for plan in plans):
            AddImportsVisitor.add_needed_import(context, "warnings")
        new_module = AddImportsVisitor(context).transform_module(new_module)
    findings = tuple(_finding(plan) for plan in plans)
    return Result(new_module.code, code, findings)


def _plan_or_skip(cls, facts: ModuleFacts) -> ClassPlan:
    """A class the analysis cannot handle is reported and left unchanged; the others convert."""
    try:
        return plan_class(cls, facts, TIER_PLANNERS)
    except Exception as error:  # noqa: BLE001 - one class's failure must not spoil the file
        message = f"not converted: internal error: {type(error).__name__}: {error}"
        return ClassPlan(cls, Tier.SKIPPED, [Reason(cls.line, cls.col, message)])


def _fingerprint(plan: ClassPlan, options: Options) -> str:
    sources = [options.max_tier.value]
    for cls in plan.cls.linearized():
        # Blank lines and comments above a class are not part of it, and import insertion moves them.
        node = cls.node.with_changes(leading_lines=())
        if isinstance(node.body, cst.IndentedBlock):
            node = node.with_changes(body=strip_generated_block(node.body))
        sources.append(cst.Module([]).code_for_node(node))
    return fingerprint(sources)


def _finding(plan: ClassPlan) -> ClassFinding:
    return ClassFinding(
        name=plan.cls.qualified_name,
        line=plan.cls.line,
        col=plan.cls.col,
        tier=plan.tier,
        reasons=tuple(plan.reasons),
        warnings=tuple(plan.warnings),
    )


def _check_safe(result: Result, options: Options) -> None:
    try:
        again = _convert(cst.parse_module(result.code), result.code, options)
    except cst.ParserSyntaxError as error:
        raise RuntimeError(f"the converted code does not parse ({error.message})") from error
    if again.changed:
        raise RuntimeError("converting the output again changes it (unstable conversion)")
