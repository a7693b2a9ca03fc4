"""The registry of mutation strategies, and how one fuzz input is drawn from a seed."""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.fuzz import mutate_code, mutate_markers, mutate_text

Strategy = Callable[[str, random.Random], str]

# (strategy, weight): the size strategies cost seconds each, so they are drawn rarely.
STRATEGIES: tuple[tuple[Strategy, int], ...] = (
    (mutate_code.delete_line, 6),
    (mutate_code.duplicate_line, 4),
    (mutate_code.swap_lines, 4),
    (mutate_code.rename_identifier, 4),
    (mutate_code.rebase_class, 6),
    (mutate_code.insert_odd_statement, 8),
    (mutate_code.insert_blank_or_comment, 3),
    (mutate_markers.lookalike_begin_marker, 4),
    (mutate_markers.exact_begin_marker, 3),
    (mutate_markers.lone_end_marker, 3),
    (mutate_markers.two_begin_markers, 3),
    (mutate_markers.blank_before_end_marker, 3),
    (mutate_markers.drop_end_marker, 2),
    (mutate_markers.duplicate_generated_block, 2),
    (mutate_markers.markers_inside_string, 3),
    (mutate_markers.edit_inside_block, 2),
    (mutate_text.crlf_endings, 3),
    (mutate_text.cr_endings, 3),
    (mutate_text.mixed_endings, 3),
    (mutate_text.tab_indentation, 2),
    (mutate_text.form_feeds, 3),
    (mutate_text.leading_bom, 3),
    (mutate_text.no_final_newline, 3),
    (mutate_text.trailing_cr, 2),
    (mutate_text.trailing_whitespace, 2),
    (mutate_text.non_ascii_identifiers, 3),
    (mutate_text.lone_surrogate, 1),
    (mutate_text.odd_unicode_characters, 2),
    (mutate_text.long_sum, 1),
    (mutate_text.many_statements, 1),
    (mutate_text.deep_chain, 1),
)
_FUNCTIONS = [strategy for strategy, _ in STRATEGIES]
_WEIGHTS = [weight for _, weight in STRATEGIES]


def draw_input(seeds: list[tuple[str, str]], seed: int, index: int) -> tuple[str, str, tuple[str, ...]]:
    """Input ``index`` of the run with ``seed``: ``(seed name, text, strategy names)``.

    Each input has its own generator, so it is the same whatever ``--count`` and ``--jobs`` are.
    """
    rng = random.Random(f"{seed}:{index}")
    name, text = rng.choice(seeds)
    applied = []
    for strategy in rng.choices(_FUNCTIONS, _WEIGHTS, k=rng.choices((1, 2, 3), (50, 35, 15))[0]):
        text = strategy(text, rng)
        applied.append(strategy.__name__)
    return name, text, tuple(applied)
