"""What must hold for ``convert_source`` on any text, each failure named by its kind.

``check`` runs in a worker process (see ``runner``): it may hang or crash, and the parent,
not this module, turns that into a ``timeout`` or ``crash``.
"""

from __future__ import annotations

from dataclasses import dataclass

from seq2tfdata import Result, Tier, convert_source
from seq2tfdata.core import VALID_BUT_UNPARSABLE
from tests.fuzz.line_fidelity import lost_or_rewritten_line
from tests.fuzz.lines import BOM, split_lines, without_bom
from tests.fuzz.statements import canary_calls, statement_counts


@dataclass(frozen=True)
class Failure:
    kind: str
    detail: str


def check(text: str) -> list[Failure]:
    """Every property violated by converting ``text``; an empty list when all hold."""
    try:
        result = convert_source(text)
    except BaseException as error:  # noqa: BLE001 - escaping at all is the failure
        return [Failure("exception", f"{type(error).__name__}: {error}"[:300])]
    failures = _syntax_contract(text, result)
    if result.error is None:
        failures += _output_is_code(result.code) + _idempotent(result.code)
    if result.code != text:
        failures += _changes_are_additions(text, result)
    return failures


def unparsable(text: str) -> str | None:
    """Why Python rejects the text, or None. The BOM is stripped first: it is the file's encoding
    signature, which Python drops on reading, not code.

    ``compile()`` is the judge, not ``ast.parse``: it also rejects what only the symbol table
    sees (``return`` outside a function, a name used before its ``global``). libcst rejects
    some valid Python besides (a line holding only a form feed); the converter may work around
    that or refuse the text, so libcst's verdict on the input decides nothing here, and on the
    output it is the converter's own second reading (``_idempotent``) that counts.
    """
    try:
        compile(without_bom(text), "<fuzz input>", "exec", dont_inherit=True)
    except Exception as error:  # noqa: BLE001 - SyntaxError, but also ValueError, RecursionError, MemoryError
        return f"compile(): {type(error).__name__}: {error}"[:200]
    return None


# The refusals allowed for text Python accepts: bounded cost, text no file can hold, and lines
# libcst would not print back. Anything else (an internal error above all) is a failure.
ALLOWED_REFUSALS = (
    "too complex to analyse",
    "lone surrogate",
    "the parser does not keep this line exactly",
    VALID_BUT_UNPARSABLE,
)


def _syntax_contract(text: str, result: Result) -> list[Failure]:
    """Text that cannot be converted comes back byte for byte, with the reason in ``error``;
    valid Python is refused only for one of ``ALLOWED_REFUSALS``."""
    problem = unparsable(text)
    if result.error is not None and result.code == text:
        if problem is not None or any(allowed in result.error for allowed in ALLOWED_REFUSALS):
            return []
        kind = "internal-error" if "internal error" in result.error else "valid-python-rejected"
        return [Failure(kind, result.error[:300])]
    if problem is None:
        return [Failure("error-but-changed", result.error)] if result.error is not None else []
    failures = []
    if result.error is None:
        failures.append(Failure("unparsable-no-error", problem))
    if result.code != text:
        failures.append(Failure("unparsable-changed", problem))
    return failures


def _output_is_code(code: str) -> list[Failure]:
    problem = unparsable(code)
    return [Failure("output-unparsable", problem)] if problem else []


def _idempotent(code: str) -> list[Failure]:
    try:
        again = convert_source(code)
    except BaseException as error:  # noqa: BLE001
        return [Failure("exception", f"on its own output: {type(error).__name__}: {error}"[:300])]
    if again.error is not None:
        return [Failure("output-unparsable", f"the converter cannot read its own output: {again.error}"[:300])]
    if again.code == code:
        return []
    first, second = split_lines(code), split_lines(again.code)
    line = next((i for i, (a, b) in enumerate(zip(first, second)) if a != b), min(len(first), len(second)))
    shown = first[line] if line < len(first) else "<end of text>"
    return [Failure("not-idempotent", f"the second conversion changes line {line + 1}: {shown!r}"[:300])]


def _changes_are_additions(text: str, result: Result) -> list[Failure]:
    """A conversion only adds: generated methods (and the imports they need); every byte of the
    user's is kept, BOM and line breaks included, and no statement appears outside the blocks."""
    failures = []
    if not result.findings:
        failures.append(Failure("noop-changed", "no Sequence was found, yet the text changed"))
    had, has = text.startswith(BOM), result.code.startswith(BOM)
    if had != has:
        failures.append(Failure("bom-changed", "the output lost the BOM" if had else "the output gained a BOM"))
    lost = lost_or_rewritten_line(text, result.code)
    if lost is not None:
        failures.append(Failure(*lost))
    converted = sum(finding.tier != Tier.SKIPPED for finding in result.findings)
    failures += _no_injection(text, result.code, converted)
    return failures


def _no_injection(text: str, code: str, converted: int) -> list[Failure]:
    before, after = statement_counts(text), statement_counts(code)
    if before is None or after is None:
        return []  # a text that does not parse is another property's failure
    failures = []
    if after.statements > before.statements:
        detail = f"{before.statements} statements outside generated methods became {after.statements}"
        failures.append(Failure("statements-injected", detail))
    if after.methods > before.methods + converted:
        detail = f"{after.methods} to_tf_dataset methods for {converted} converted classes (the input had {before.methods})"
        failures.append(Failure("statements-injected", detail))
    if canary_calls(code) > canary_calls(text):
        failures.append(Failure("canary-call", "text inside a string of the input became a call in the output"))
    return failures
