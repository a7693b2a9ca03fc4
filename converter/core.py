"""``convert_source``: the pure ``str -> str`` core every front end wraps.

parse → find → analyse/plan → render, then the black-style safety checks: the output must parse
and converting it again must change nothing. On any failure the input comes back unchanged with
an error, never an exception.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider

from seq2tfdata.analyse.helpers import module_functions
from seq2tfdata.complexity import too_deep
from seq2tfdata.form_feeds import source_lines, with_user_lines, without_form_feeds
from seq2tfdata.find.sequences import find_sequence_classes
from seq2tfdata.find.sequences import SequenceClass
from seq2tfdata.markers import fingerprint, fingerprint_in, generated_indices, strip_generated_block
from seq2tfdata.model import ClassFinding, Options, Reason, Result, Tier
from seq2tfdata.plan import ClassPlan, ModuleFacts, plan_class
from seq2tfdata.plan.tiers import TIER_PLANNERS
from seq2tfdata.render.imports import add_imports, binding_for, names_used
from seq2tfdata.render.insert import InsertGeneratedMethods
from seq2tfdata.render.methods import render_method
from seq2tfdata.render.newlines import generated_newline
from seq2tfdata.sameness import syntax_form

BOM = "\ufeff"
VALID_BUT_UNPARSABLE = "libcst rejects this valid Python; the file is left unchanged"


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
    if module.code.rstrip("\r\n") != body.rstrip("\r\n"):
        return Result(code, code, error=_not_reproduced(body, module.code, options.path))
    rejected = _compile_error(body, options.path)
    if rejected is not None:
        return Result(code, code, error=rejected)
    try:
        result, written = _convert(module, body, options)
        if result.changed:
            _check_stable(result, written, options)
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


def _compile_error(body: str, path: str) -> str | None:
    """What Python itself rejects beyond the grammar (``return`` outside a function, a name used
    before its ``global``): such a file cannot run, so it is not converted either."""
    try:
        # Top-level ``await`` is allowed: notebook cells may use it.
        compile(body, path, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as error:
        return f"{path}:{error.lineno or 1}:{error.offset or 1}: cannot parse: {error.msg}"
    except (ValueError, MemoryError, RecursionError) as error:
        return f"{path}: cannot parse: {error}"
    return None


def _not_reproduced(body: str, printed: str, path: str) -> str:
    # libcst drops a few legal oddities (a line holding only a backslash); converting would lose them.
    lines, again = source_lines(body), source_lines(printed)
    line = next((n for n, (a, b) in enumerate(zip(lines, again), start=1) if a != b), min(len(lines), len(again)) + 1)
    return f"{path}:{line}:1: cannot convert: the parser does not keep this line exactly; the file is left unchanged"


def _syntax_error(code: str, error: cst.ParserSyntaxError, path: str) -> str:
    # Python's own parser names the line people expect ("expected ':'"); libcst's names the
    # token where it gave up, which is often the next line.
    try:
        ast.parse(code)
    except SyntaxError as python_error:
        return f"{path}:{python_error.lineno}:{python_error.offset or 1}: cannot parse: {python_error.msg}"
    except ValueError:
        pass
    # Python accepts the text; libcst does not (a line holding only a backslash, say).
    message = error.message.replace("\n", " ")
    return f"{path}:{error.raw_line}:{error.raw_column + 1}: cannot parse: {VALID_BUT_UNPARSABLE} ({message})"


@dataclass(frozen=True)
class Written:
    """What a conversion wrote: for each class given a block, its position among the module's
    classes (in source order), the positions of the classes its fingerprint hashes, and that
    fingerprint; and the module the output was printed from."""

    blocks: list[tuple[int, list[int], str]]
    module: cst.Module | None = None


def _convert(module: cst.Module, code: str, options: Options) -> tuple[Result, Written]:
    wrapper = MetadataWrapper(module)
    classes = [c for c in find_sequence_classes(wrapper, options.extra_sequence_bases, options.module) if c.is_sequence or c.unresolved]
    if not classes:
        return Result(code, code), Written([])
    module = wrapper.module
    used = names_used(module)
    tf, add_tf = binding_for(module, "tensorflow", "tf", used)
    np, add_np = binding_for(module, "numpy", "np", used)
    warnings, add_warnings = binding_for(module, "warnings", "warnings", used)
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
        plan.cls.node: (plan.method, _fingerprint(plan.cls, options))
        for plan in plans
        if plan.method is not None
    }
    newline = generated_newline(code)
    new_module = module.visit(InsertGeneratedMethods(methods, newline))
    if methods:
        needed = []
        if add_tf:
            needed.append(("tensorflow", None if tf == "tensorflow" else tf))
        if add_np:
            needed.append(("numpy", None if np == "numpy" else np))
        if add_warnings and any(plan.tier in (Tier.NATIVE, Tier.HYBRID) for plan in plans):
            needed.append(("warnings", None))
        new_module = add_imports(new_module, needed, newline)
    findings = tuple(_finding(plan) for plan in plans)
    order = {node: position for position, node in enumerate(_class_defs(module))}
    written = [
        (order[plan.cls.node], [order[c.node] for c in plan.cls.linearized()], methods[plan.cls.node][1])
        for plan in plans
        if plan.cls.node in methods
    ]
    return Result(new_module.code, code, findings), Written(written, new_module)


def _plan_or_skip(cls, facts: ModuleFacts) -> ClassPlan:
    """A class the analysis cannot handle is reported and left unchanged; the others convert."""
    try:
        return plan_class(cls, facts, TIER_PLANNERS, render_method)
    except Exception as error:  # noqa: BLE001 - one class's failure must not spoil the file
        message = f"not converted: internal error: {type(error).__name__}: {error}"
        return ClassPlan(cls, Tier.SKIPPED, [Reason(cls.line, cls.col, message, rule="S2T006")])


def _block_fingerprint(node: cst.ClassDef) -> str | None:
    """The fingerprint of the class body's one generated block, wherever it sits."""
    body = node.body
    blocks = generated_indices(body) if isinstance(body, cst.IndentedBlock) else []
    return fingerprint_in(body.body[blocks[0]]) if len(blocks) == 1 else None


def _fingerprint(owner: SequenceClass, options: Options) -> str:
    """What the block was derived from: the classes' syntax trees without their generated blocks
    (so a formatter run or a comment leaves it current), the tier cap and the output version."""
    return _fingerprint_of([cls.node for cls in owner.linearized()], options)


def _fingerprint_of(classes: list[cst.ClassDef], options: Options) -> str:
    # Classes nested in them have blocks of their own, which this run may add.
    sources = [options.max_tier.value, *(syntax_form(node.visit(_WithoutGeneratedBlocks())) for node in classes)]
    return fingerprint(sources)


class _WithoutGeneratedBlocks(cst.CSTTransformer):
    # Classes are statements: simple statements and the generated methods hold none, so they
    # are not walked (most of a converted class is its generated method).
    def __init__(self) -> None:
        super().__init__()
        self._generated: set[cst.CSTNode] = set()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._generated.update(node.body.body[index] for index in generated_indices(node.body))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node not in self._generated

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        if not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        return updated_node.with_changes(body=strip_generated_block(updated_node.body))


def _finding(plan: ClassPlan) -> ClassFinding:
    return ClassFinding(
        name=plan.cls.qualified_name,
        line=plan.cls.line,
        col=plan.cls.col,
        tier=plan.tier,
        reasons=tuple(plan.reasons),
        warnings=tuple(plan.warnings),
    )


def _class_defs(node: cst.CSTNode) -> list[cst.ClassDef]:
    """The classes under ``node`` in source order. Only statements are walked (no expression
    holds a class), so a generated method, which defines none, keeps the input's and the output's
    lists equal position by position."""
    found: list[cst.ClassDef] = []
    for child in node.children:
        if isinstance(child, cst.ClassDef):
            found.append(child)
        if not isinstance(child, (cst.BaseExpression, cst.SimpleStatementLine, cst.BaseSmallStatement)):
            found += _class_defs(child)
    return found


def _check_stable(result: Result, written: Written, options: Options) -> None:
    """What the next run reads of the output is what this run wrote: the output compiles, and
    every block it wrote is recognised with the fingerprint the next run computes, so converting
    the output again changes nothing (black's stability check, without re-running the analysis)."""
    rejected = _compile_error(result.code, options.path)
    if rejected is not None:
        raise RuntimeError(f"the converted code does not compile ({rejected})")
    assert written.module is not None
    classes = _class_defs(written.module)
    for position, hashed, fingerprint_written in written.blocks:
        next_fingerprint = _fingerprint_of([classes[i] for i in hashed], options)
        if _block_fingerprint(classes[position]) != fingerprint_written or next_fingerprint != fingerprint_written:
            raise RuntimeError("converting the output again changes it (unstable conversion)")
