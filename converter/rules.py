"""Stable rule ids for every kind of reason a class gets (``Reason.rule``), for CI annotations,
SARIF and the JSON report. Ids never change meaning; a new kind of reason gets a new id.

Reasons built at one place in the planner pass their id explicitly; the analysis builds its
blockers through ``ModuleFacts.reason`` from a message only, and :func:`classify` gives those
an id by the message's shape (the shapes are the analysis's own wording, tested in
``tests/test_output_formats.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    summary: str


RULES = (
    Rule("S2T000", "other", "a reason of no more specific kind"),
    Rule("S2T001", "unresolved-base", "a base spelled like Keras' Sequence cannot be resolved statically"),
    Rule("S2T002", "opted-out", "the class carries `# seq2tfdata: skip`"),
    Rule("S2T003", "hand-written-method", "the class (or an ancestor) defines to_tf_dataset() itself"),
    Rule("S2T004", "abstract", "the class has no usable __getitem__"),
    Rule("S2T005", "not-convertible", "no tier could convert the class"),
    Rule("S2T006", "internal-error", "the converter failed on the class (please report it)"),
    Rule("S2T007", "tier-failed", "planning one tier failed; the class dropped to the next"),
    Rule("S2T008", "nested-sequence", "the class is defined inside another Sequence class"),
    Rule("S2T101", "hybrid-foreign-class", "part of the class is defined in another file"),
    Rule("S2T102", "hybrid-endless", "num_batches may be None (an endless dataset)"),
    Rule("S2T201", "no-translation", "a call or expression has no (exact) tf translation"),
    Rule("S2T202", "not-straight-line", "__getitem__ holds control flow the native tier does not follow"),
    Rule("S2T203", "row-selection", "rows are not selected by the batch index in a known way"),
    Rule("S2T204", "free-name", "code reads a name that is neither an argument nor an attribute of self"),
    Rule("S2T205", "mutates-state", "batch code changes self or module state, so order matters"),
    Rule("S2T206", "epoch-hook-state", "an epoch hook changes what __getitem__ reads"),
    Rule("S2T207", "random-draws", "random draws the native tier cannot reproduce"),
    Rule("S2T208", "branch-selection", "a branch the pipeline cannot select at trace time"),
    Rule("S2T209", "unsupported-value", "a value the pipeline cannot pass on"),
    Rule("S2T301", "float64", "batches stay float64 after conversion (a warning)"),
    Rule("S2T401", "call-site", "a fit/evaluate/predict call site fixed, or left alone with the reason"),
    Rule("S2T901", "file-error", "a file could not be read, parsed or converted; it is left unchanged"),
)
BY_ID = {rule.id: rule for rule in RULES}

OTHER, UNRESOLVED_BASE, OPTED_OUT, HAND_WRITTEN, ABSTRACT = "S2T000", "S2T001", "S2T002", "S2T003", "S2T004"
NOT_CONVERTIBLE, INTERNAL_ERROR, TIER_FAILED = "S2T005", "S2T006", "S2T007"
HYBRID_FOREIGN, HYBRID_ENDLESS, FLOAT64 = "S2T101", "S2T102", "S2T301"
CALL_SITE, FILE_ERROR = "S2T401", "S2T901"

# The message this tool gives a class that opted out; also how a reason is known to be one.
OPTED_OUT_MESSAGE = "opted out (`# seq2tfdata: skip`)"

# Checked in order; the first match wins.
_SHAPES = (
    (OPTED_OUT, re.escape(OPTED_OUT_MESSAGE)),
    (HAND_WRITTEN, r"hand-written to_tf_dataset\(\)"),
    ("S2T008", r"defined inside the Sequence class"),
    (ABSTRACT, r"is abstract \("),
    (FLOAT64, r"float64"),
    ("S2T206", r"on_epoch_(end|begin)\b.*\bchanges\b|\bepoch hook\b"),
    ("S2T205", r"\bchanges (self\.|module|the module|its argument)|may change it|so batches depend on call order"),
    ("S2T207", r"\bdraws?\b|\brandom\b"),
    ("S2T204", r"which is neither an argument nor an attribute"),
    ("S2T202", r"not straight-line|fill loops are followed|`while`|`for`"),
    ("S2T203", r"does not select rows"),
    ("S2T208", r"differs between the branches|branch"),
    ("S2T209", r"is not a value the pipeline can pass on|which is not an array"),
    ("S2T201", r"has no (exact )?tf(\.data)? translation|no tf translation"),
    (UNRESOLVED_BASE, r"^not converted: (base |its bases )|cannot be resolved statically"),
)
_COMPILED = tuple((rule, re.compile(pattern)) for rule, pattern in _SHAPES)


def classify(message: str) -> str:
    """The rule id of a reason known only by its message."""
    for rule, pattern in _COMPILED:
        if pattern.search(message):
            return rule
    return OTHER


def for_unresolved(unresolved: str) -> str:
    """The id of a class that is skipped before planning (``SequenceClass.unresolved``)."""
    return OPTED_OUT if unresolved == OPTED_OUT_MESSAGE else UNRESOLVED_BASE
