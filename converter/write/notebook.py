"""Convert the code cells of a Jupyter notebook (nbformat 4) without the nbformat package.

By default all code cells are converted as one module, each preceded by a marker comment line,
and the result is split back at the markers: a class in one cell whose base is imported in
another is then still recognised, as it is in the running kernel. IPython syntax (``%magic``,
``!shell``, ``obj?``) is swapped for a ``pass`` statement carrying a marker comment before
conversion and swapped back after; a cell that still is not Python is left out and untouched.
A cell that starts with a cell magic running its body as Python in the kernel (``%%time``,
``%%timeit``, ``%%capture``, also stacked) keeps its magic lines and has the body converted;
any other cell magic (``%%bash``, ``%%writefile``, ``%%html``...) leaves the cell untouched.
Imports the conversion adds go after the first converted cell's leading magic lines.
Outputs, metadata and execution counts are never touched, and a notebook whose code does not
change is returned as the very same text.
"""

from __future__ import annotations

import ast
import json
import re
import secrets
import warnings
from collections.abc import Callable
from dataclasses import dataclass

CELL_MARKER_PREFIX = "# seq2tfdata:cell:"
_MAGIC_MARKER_PREFIX = "# seq2tfdata:magic:"
# Line magics, shell escapes, ``?obj`` help, ``x = !cmd`` / ``x = %magic``, and ``obj?``.
_IPYTHON_LINE = re.compile(r"\s*(?:[%!?]|[\w.]+\s*=\s*[%!]|[\w.]+\?\??\s*$)")
_CELL_MAGIC = re.compile(r"\s*%%(\w*)")
# Cell magics whose body is Python run by this kernel, so converting it is what the user means.
# The body of %%timeit runs inside a function: what it defines or imports stays local to it.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture"})
_LOCAL_SCOPE_MAGICS = frozenset({"timeit"})
_COMPILE_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


class NotebookError(ValueError):
    """The text is not a notebook this module can convert, or conversion lost its structure."""


def convert_notebook(
    text: str, convert: Callable[[str], str], *, as_one_module: bool = True
) -> str:
    """Return ``text`` with each code cell passed through ``convert``.

    With ``as_one_module`` (the default) ``convert`` is called once with all code cells joined;
    :func:`locate_line` maps a line of that joined text back to its cell.
    """
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not valid JSON: {error}") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4:
        raise NotebookError("only nbformat 4 notebooks are supported")
    if not _is_python(notebook.get("metadata", {})):
        return text
    taken = [
        _CodeCell.take(index, cell)
        for index, cell in enumerate(notebook.get("cells", []))
        if isinstance(cell, dict) and cell.get("cell_type") == "code"
    ]
    cells = [cell for cell in taken if cell is not None]
    nonce = _unused_nonce(text)
    if as_one_module:
        changed = _convert_joined(cells, convert, nonce)
    else:
        changed = [changed for cell in cells for changed in _convert_joined([cell], convert, nonce)]
    if not changed:
        return text
    for cell in changed:
        notebook["cells"][cell.index]["source"] = cell.stored_source()
    return _dump_like(notebook, text)


def locate_line(joined: str, line: int) -> tuple[int, int] | None:
    """Map ``line`` (1-based) of the joined module to ``(cell index, line in that cell)``;
    the cell index counts all cells of the notebook, markdown included."""
    lines = joined.splitlines()
    for number in range(min(line, len(lines)), 0, -1):
        text = lines[number - 1]
        if text.startswith(CELL_MARKER_PREFIX):
            if number == line:
                return None  # the marker itself
            return int(text.rsplit(":", 1)[1]), line - number
    return None


@dataclass
class _CodeCell:
    index: int
    code: str  # without the leading cell-magic lines, which ``prefix`` holds
    source_was_list: bool
    new_code: str | None = None
    prefix: str = ""
    local_scope: bool = False  # the body runs in a function (%%timeit): its imports stay there

    @classmethod
    def take(cls, index: int, cell: dict) -> _CodeCell | None:
        source = cell.get("source", "")
        if isinstance(source, list):
            code = "".join(source)
        elif isinstance(source, str):
            code = source
        else:
            return None
        prefix, magics = _cell_magics(code)
        if magics is None or not code[len(prefix) :].strip():
            return None  # a whole cell in another language, or nothing to convert
        local = bool(magics & _LOCAL_SCOPE_MAGICS)
        return cls(index, code[len(prefix) :], isinstance(source, list), prefix=prefix, local_scope=local)

    def masked(self, nonce: str) -> tuple[str, list[str]] | None:
        """The code with IPython lines replaced, and the replaced lines; None if not Python."""
        if _parses(self.code):
            return self.code, []
        originals: list[str] = []
        lines = self.code.split("\n")
        for number, line in enumerate(lines):
            if _IPYTHON_LINE.match(line):
                indent = line[: len(line) - len(line.lstrip())]
                lines[number] = f"{indent}pass  {_MAGIC_MARKER_PREFIX}{nonce}:{len(originals)}"
                originals.append(line)
        masked = "\n".join(lines)
        return (masked, originals) if originals and _parses(masked) else None

    def stored_source(self) -> list[str] | str:
        assert self.new_code is not None
        text = self.prefix + self.new_code
        if not self.source_was_list:
            return text
        # Jupyter stores one string per line, each ending in "\n" except the last.
        lines = text.split("\n")
        stored = [line + "\n" for line in lines[:-1]]
        return stored + [lines[-1]] if lines[-1] else stored


def _convert_joined(
    cells: list[_CodeCell], convert: Callable[[str], str], nonce: str
) -> list[_CodeCell]:
    parts: list[str] = []
    included: list[tuple[_CodeCell, list[str]]] = []
    for cell in cells:
        masked = cell.masked(nonce)
        if masked is None:
            continue
        code, originals = masked
        parts.append(f"{CELL_MARKER_PREFIX}{nonce}:{cell.index}\n{code}")
        if not code.endswith("\n"):
            parts.append("\n")
        included.append((cell, originals))
    if not included:
        return []
    first_code = parts[0].split("\n", 1)[1]
    joined = "".join(parts)
    converted = convert(joined)
    if converted == joined:
        return []
    marker = rf"^{re.escape(CELL_MARKER_PREFIX + nonce)}:(\d+)[ \t]*\r?\n"
    pieces = re.split(marker, converted, flags=re.M)
    indices = [int(index) for index in pieces[1::2]]
    if indices != [cell.index for cell, _ in included]:
        raise NotebookError("the conversion moved or dropped the cell boundaries")
    bodies = pieces[2::2]
    # Code added at the top (new imports, above or just below the first marker) goes into the
    # first cell whose body runs in the notebook's namespace, below its leading IPython lines.
    added, bodies[0] = _split_added(pieces[0] + bodies[0], first_code)
    if added:
        target = next((n for n, (cell, _) in enumerate(included) if not cell.local_scope), 0)
        bodies[target] = _below_leading_magics(bodies[target], added, nonce)
    changed = []
    for (cell, originals), body in zip(included, bodies, strict=True):
        if not cell.code.endswith("\n") and body.endswith("\n"):
            body = body[:-1]
        cell.new_code = _unmask(body, originals, nonce)
        if cell.new_code != cell.code:
            changed.append(cell)
    return changed


def _cell_magics(code: str) -> tuple[str, frozenset[str] | None]:
    """The leading cell-magic lines of ``code`` and the magics' names; None for the names
    when one of them does not run its body as Python here (the cell is then left alone)."""
    names: set[str] = set()
    end = 0
    while match := _CELL_MAGIC.match(code, end):
        if match.group(1) not in PYTHON_CELL_MAGICS:
            return "", None
        names.add(match.group(1))
        newline = code.find("\n", match.end())
        end = len(code) if newline < 0 else newline + 1
    return code[:end], frozenset(names)


def _split_added(body: str, original: str) -> tuple[str, str]:
    """(text the conversion put above the cell's first line, the rest); the conversion adds
    imports at the top of the module, and a marker comment above them stays where it was."""
    first_line = original.split("\n", 1)[0] + "\n"
    if not original.strip() or body.startswith(first_line):
        return "", body
    start = body.find("\n" + first_line)
    if start < 0:
        return "", body  # the first line changed: leave the body as the conversion wrote it
    return body[: start + 1], body[start + 1 :]


def _below_leading_magics(body: str, added: str, nonce: str) -> str:
    """``added`` inserted into ``body`` after its leading IPython placeholders (``%load_ext``
    must run before the imports, as the user wrote it) and their blank lines."""
    placeholder = re.compile(rf"[ \t]*pass  {re.escape(_MAGIC_MARKER_PREFIX + nonce)}:\d+[ \t]*\r?\n|[ \t]*\r?\n")
    lines = body.splitlines(keepends=True)
    keep = 0
    for number, line in enumerate(lines):
        if not placeholder.fullmatch(line):
            break
        if line.strip():
            keep = number + 1
    rest = "".join(lines[keep:])
    if keep and added.endswith("\n\n") and rest[:1] in ("\n", "\r"):
        added = added[:-1]  # one blank line between the imports and the code is enough
    return "".join(lines[:keep]) + added + rest


def _unmask(code: str, originals: list[str], nonce: str) -> str:
    if not originals:
        return code
    marker = re.compile(rf"^[ \t]*pass  {re.escape(_MAGIC_MARKER_PREFIX + nonce)}:(\d+)$", re.M)
    restored = marker.sub(lambda match: originals[int(match.group(1))], code)
    if restored.count(_MAGIC_MARKER_PREFIX + nonce) or len(marker.findall(code)) != len(originals):
        raise NotebookError("the conversion dropped or altered an IPython line placeholder")
    return restored


def _parses(code: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like
        try:
            compile(code, "<cell>", "exec", flags=_COMPILE_FLAGS, dont_inherit=True)
        except (SyntaxError, ValueError):
            return False
    return True


def _is_python(metadata: dict) -> bool:
    languages = (
        metadata.get("kernelspec", {}).get("language"),
        metadata.get("language_info", {}).get("name"),
    )
    return all(language in (None, "python") for language in languages)


def _unused_nonce(text: str) -> str:
    while True:
        nonce = secrets.token_hex(4)
        if nonce not in text:
            return nonce


def _dump_like(notebook: dict, original: str) -> str:
    """Serialise with the layout of ``original``: Jupyter writes ``indent=1``, keys keep their
    order, and non-ASCII text stays as it was written (raw or escaped). Numbers are rewritten
    in Python's spelling, which only differs from the file's if another tool wrote it."""
    second_line = original.split("\n", 2)[1] if original.count("\n") >= 2 else ""
    indent = len(second_line) - len(second_line.lstrip(" ")) or None
    escaped = re.findall(r"\\u([0-9a-fA-F]{4})", original)
    ensure_ascii = original.isascii() and any(int(code, 16) >= 0x7F for code in escaped)
    separators = None if indent or '": ' in original else (",", ":")
    dumped = json.dumps(notebook, indent=indent, ensure_ascii=ensure_ascii, separators=separators)
    return dumped + "\n" if original.endswith("\n") else dumped
