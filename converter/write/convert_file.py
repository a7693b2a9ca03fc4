"""Convert one file on disk: the per-file job the CLI runs, in-process or in a worker pool."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from seq2tfdata.model import ClassFinding, Options, Reason, Result, Tier
from seq2tfdata.write.atomic import FileTooLarge, SourceError, SourceText, describe_size, read_source, write_if_changed
from seq2tfdata.write.batch import FileOutcome
from seq2tfdata.write.gather import NOTEBOOK_SUFFIX, may_contain_sequence
from seq2tfdata.write.limits import end_budget
from seq2tfdata.write.notebook import NotebookError, convert_notebook, locate_line
from seq2tfdata.write.prepass import module_for

if TYPE_CHECKING:
    from seq2tfdata.migrate import CallSiteResult

# Only files that call a training method can hold a call site worth parsing.
_CALL_SITE_HINT = re.compile(r"\.(fit|evaluate|predict)(_generator)?\s*\(")


# The converter and the call-site fixer (libcst and the analysis behind them) load when a file is
# really converted: a run the cache or the pre-pass answers entirely never imports them.
def convert_source(text: str, options: Options) -> Result:
    from seq2tfdata.core import convert_source as convert

    return convert(text, options)


def fix_call_sites(code: str, classes: frozenset[str], display: str, **where) -> CallSiteResult:
    from seq2tfdata.migrate import fix_call_sites as fix

    return fix(code, classes, display, **where)


@dataclass(frozen=True)
class ConvertJob:
    """Picklable settings shared by every file of one run."""

    write: bool = False
    diff: bool = False
    max_tier: Tier = Tier.NATIVE
    extra_sequence_bases: frozenset[str] = frozenset()
    roots: tuple[Path, ...] = ()
    max_bytes: int | None = None  # of Python: the file, or a notebook's code cells


def unified_diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return "".join(lines)


def convert_file(path: Path, job: ConvertJob) -> FileOutcome:
    display = path.as_posix()
    is_notebook = path.suffix == NOTEBOOK_SUFFIX
    try:
        # A notebook's outputs may be large; its code cells are measured instead.
        source = read_source(path, max_bytes=None if is_notebook else job.max_bytes)
    except SourceError as error:
        return FileOutcome(path, error=str(error), over_limit=isinstance(error, FileTooLarge))
    extra = {name.rsplit(".", 1)[-1] for name in job.extra_sequence_bases}
    if not may_contain_sequence(source.text, extra):
        return FileOutcome(path, skipped="no Sequence subclass can be defined here (text prefilter)")
    options = Options(
        path=display,
        max_tier=job.max_tier,
        extra_sequence_bases=job.extra_sequence_bases,
        module=module_for(path, job.roots) if job.extra_sequence_bases else "",
    )
    if is_notebook:
        new_text, result = _convert_notebook_text(source.text, options, job.max_bytes)
    else:
        result = convert_source(source.text, options)
        new_text = result.code
    if result.error:
        return FileOutcome(path, findings=result.findings, error=result.error)
    if new_text == source.text:
        return FileOutcome(path, findings=result.findings)
    diff, error = _publish(path, source, new_text, job)
    return FileOutcome(path, changed=error is None, findings=result.findings, diff=diff, error=error)


def _publish(path: Path, source: SourceText, new_text: str, job: ConvertJob | CallSiteJob) -> tuple[str, str | None]:
    """Write (``--write``) or describe (``--diff``) a changed file: (diff text, write error)."""
    if job.write:
        end_budget()  # a write that has begun is never stopped by the time budget
        try:
            write_if_changed(path, new_text, source)
        except SourceError as error:
            return "", str(error)
    return (unified_diff(source.text, new_text, path.as_posix()) if job.diff else ""), None


@dataclass(frozen=True)
class CallSiteJob:
    """Settings for the second, repository-wide pass that rewrites Keras 3 call sites."""

    converted_classes: frozenset[str]  # qualified names (``pkg.data.Gen``), see converted_class_names
    write: bool = False
    diff: bool = False
    roots: tuple[Path, ...] = ()
    max_bytes: int | None = None
    # Per notebook (path as given): the classes its own cells define and convert, qualified
    # with module "". Nothing can import them, so they count in that notebook only.
    notebook_classes: dict[str, frozenset[str]] = field(default_factory=dict)


def fix_calls_in_file(path: Path, job: CallSiteJob) -> FileOutcome:
    display = path.as_posix()
    if path.suffix == NOTEBOOK_SUFFIX:
        return _fix_calls_in_notebook(path, job)
    try:
        source = read_source(path, max_bytes=job.max_bytes)
    except SourceError as error:
        return FileOutcome(path, error=str(error), over_limit=isinstance(error, FileTooLarge))
    if not _CALL_SITE_HINT.search(source.text):
        return FileOutcome(path)
    module = module_for(path, job.roots)
    result = fix_call_sites(
        source.text, job.converted_classes, display, module=module, is_package=path.stem == "__init__"
    )
    notes = tuple(fix.render(display) for fix in result.fixes)
    if result.error or not result.changed:
        return FileOutcome(path, notes=notes)
    diff, error = _publish(path, source, result.code, job)
    return FileOutcome(path, changed=error is None, diff=diff, notes=notes, error=error)


def _fix_calls_in_notebook(path: Path, job: CallSiteJob) -> FileOutcome:
    """The call-site pass over a notebook's code cells, joined as for conversion, so a
    ``fit_generator`` in one cell sees the class a cell above defined."""
    display = path.as_posix()
    try:
        source = read_source(path, max_bytes=None)  # outputs may be large; as in convert_file
    except SourceError as error:
        return FileOutcome(path, error=str(error))
    if not _CALL_SITE_HINT.search(source.text):
        return FileOutcome(path)
    classes = job.converted_classes | job.notebook_classes.get(display, frozenset())
    fixes: list[Reason] = []

    def fix(code: str) -> str:
        if job.max_bytes is not None and len(code.encode("utf-8")) > job.max_bytes:
            return code  # the conversion pass already reported the size
        result = fix_call_sites(code, classes, display, module="")
        fixes.extend(_reason_in_cells(fix, code) for fix in result.fixes)
        return result.code if result.error is None else code

    try:
        new_text = convert_notebook(source.text, fix)
    except NotebookError as error:
        return FileOutcome(path, error=f"{display}: {error}")
    notes = tuple(fix.render(display) for fix in fixes)
    if new_text == source.text:
        return FileOutcome(path, notes=notes)
    diff, error = _publish(path, source, new_text, job)
    return FileOutcome(path, changed=error is None, diff=diff, notes=notes, error=error)


def _reason_in_cells(reason: Reason, joined: str) -> Reason:
    located = locate_line(joined, reason.line)
    if located is None:
        return reason
    return replace(reason, line=located[1], message=f"cell {located[0]}: {reason.message}")


def _convert_notebook_text(text: str, options: Options, max_bytes: int | None) -> tuple[str, Result]:
    results: list[Result] = []
    joined: list[str] = []

    def convert(code: str) -> str:
        size = len(code.encode("utf-8"))
        if max_bytes is not None and size > max_bytes:
            message = (
                f"{options.path}: its code cells hold {describe_size(size)}, over the "
                f"{describe_size(max_bytes)} size limit; skipped (raise it with --max-file-size)"
            )
            result = Result(code, code, error=message)
        else:
            result = convert_source(code, options)
        results.append(result)
        joined.append(code)
        return result.code if result.error is None else code

    try:
        new_text = convert_notebook(text, convert)
    except NotebookError as error:
        return text, Result(text, text, error=f"{options.path}: {error}")
    if not results:
        return text, Result(text, text)
    last = results[-1]
    findings = tuple(_in_cells(finding, joined[-1]) for finding in last.findings)
    return new_text, Result(new_text, text, findings, last.error)


def _in_cells(finding: ClassFinding, joined: str) -> ClassFinding:
    """Lines of the joined cells, as (cell, line in cell), which is where a reader looks."""

    def moved(reason: Reason) -> Reason:
        return _reason_in_cells(reason, joined)

    located = locate_line(joined, finding.line)
    if located is None:
        return finding
    return replace(
        finding,
        cell=located[0],
        line=located[1],
        reasons=tuple(moved(r) for r in finding.reasons),
        warnings=tuple(moved(w) for w in finding.warnings),
    )
