"""A cheap look at the text before libcst parses it: code nested too deeply for the parser.

libcst builds left-recursive trees for operator chains (``a + b + ... ``, ``x and y and ...``,
implicitly concatenated strings) and for brackets; a few hundred levels exhaust Python's
recursion and a few thousand can crash the process. The token stream says how deep an
expression goes without building any tree.
"""

from __future__ import annotations

import io
import tokenize

# libcst handles about 300 levels on CPython's default recursion limit; stay well below.
MAX_DEPTH = 200
_OPENING, _CLOSING = "([{", ")]}"
_SEPARATORS = {",", ":", ";", "=", "->", ":="}
_CHAINING_KEYWORDS = {"and", "or", "not", "in", "is", "if", "else", "await"}


def too_deep(code: str) -> str | None:
    """Why the code is too deep to analyse, or None (also for text that does not tokenize:
    the parser then reports the syntax error itself)."""
    # Per open bracket: how many chained operators the current expression inside it has.
    chains = [0]
    # Per open bracket: lambdas whose ``:`` is still to come; that colon continues the chain.
    lambdas = [0]
    previous = None
    try:
        # Universal newlines: a file may end its lines in "\r" alone, or mix endings.
        for token in tokenize.generate_tokens(io.StringIO(code, newline=None).readline):
            kind, text = token.type, token.string
            if kind == tokenize.OP and text in _OPENING:
                # A call or subscript is a link of the chain around it too (``a[0][0]...``).
                chains[-1] += 1
                chains.append(0)
                lambdas.append(0)
            elif kind == tokenize.OP and text in _CLOSING and len(chains) > 1:
                chains.pop()
                lambdas.pop()
            elif kind == tokenize.NAME and text == "lambda":
                chains[-1] += 1
                lambdas[-1] += 1
            elif kind == tokenize.OP and text == ":" and lambdas[-1]:
                lambdas[-1] -= 1
            elif (kind == tokenize.OP and text in _SEPARATORS) or kind in (tokenize.NEWLINE, tokenize.NL):
                chains[-1] = 0
            elif kind == tokenize.OP or (kind == tokenize.NAME and text in _CHAINING_KEYWORDS) or (
                kind == tokenize.STRING and previous == tokenize.STRING
            ):
                chains[-1] += 1
            if len(chains) + chains[-1] > MAX_DEPTH:
                line, col = token.start
                return f"{line}:{col + 1}: too complex to analyse (expressions nested over {MAX_DEPTH} deep)"
            if kind not in (tokenize.NL, tokenize.COMMENT):
                previous = kind
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # Not Python as the tokenizer reads it; the parser will say why, unless a line is deep
        # enough to crash it first: count that line's operators and brackets instead.
        return _deep_line(code)
    return None


_OPERATOR_CHARACTERS = frozenset("+-*/%&|^~<>.([{")


def _deep_line(code: str) -> str | None:
    for number, line in enumerate(io.StringIO(code, newline=None), start=1):
        if sum(character in _OPERATOR_CHARACTERS for character in line) > MAX_DEPTH:
            return f"{number}:1: too complex to analyse (over {MAX_DEPTH} operators and brackets on one line)"
    return None
