"""Options from ``[tool.seq2tfdata]`` as argparse defaults, so the command line always wins.

Every optional argument of every subcommand may be set, under its long name with ``-`` or
``_`` (``extend-exclude = ["/gen/"]``, ``max-file-size = "8M"``, ``tier = "hybrid"``); an
option of another subcommand is ignored, any other key is a usage error (exit 2).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from seq2tfdata.cli.common import Patterns
from seq2tfdata.config import ConfigError, find_pyproject, load_table

# Not configurable: what to work on, and where the configuration itself is.
_NOT_CONFIGURABLE = {"help", "version", "config", "paths", "factories", "command", "func"}


def subparsers_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _configurable(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {
        action.dest: action
        for action in parser._actions
        if action.option_strings and action.dest not in _NOT_CONFIGURABLE
    }


def config_path_for(args: argparse.Namespace) -> Path | None:
    if getattr(args, "config", None):
        return Path(args.config)
    stdin_name = getattr(args, "stdin_filename", None)
    targets = list(getattr(args, "paths", None) or [])
    targets += [spec.rpartition(":")[0] or spec for spec in getattr(args, "factories", None) or []]
    if stdin_name:
        targets = [stdin_name if target == "-" else target for target in targets]
    targets = [target for target in targets if target != "-"]
    return find_pyproject([Path(target) for target in targets])


def with_config(parser: argparse.ArgumentParser, argv: Sequence[str] | None, args: argparse.Namespace) -> argparse.Namespace:
    """``args`` parsed again with the configuration's values as defaults."""
    path = config_path_for(args)
    if path is None:
        return args
    if getattr(args, "config", None) and not path.is_file():
        raise ConfigError(f"{path}: no such file")
    table = load_table(path)
    if not table:
        return args
    commands = subparsers_of(parser)
    known = {dest for sub in commands.values() for dest in _configurable(sub)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: [tool.seq2tfdata]: unknown option {unknown[0].replace('_', '-')!r}")
    sub = commands[args.command]
    actions = _configurable(sub)
    defaults = {dest: _value(actions[dest], value, path) for dest, value in table.items() if dest in actions}
    for group in sub._mutually_exclusive_groups:
        # The CLI wins within a group too: `--diff` on the command line beats `write = true`.
        members = [action.dest for action in group._group_actions]
        if any(getattr(args, dest, None) != sub.get_default(dest) for dest in members if dest in actions):
            for dest in members:
                defaults.pop(dest, None)
    sub.set_defaults(**defaults)
    again = parser.parse_args(argv)
    again.config_file = path
    return again


def _value(action: argparse.Action, value: object, path: Path) -> object:
    name = action.option_strings[-1].lstrip("-")
    where = f"{path}: [tool.seq2tfdata] {name}"
    if action.nargs == 0:  # store_true / store_false
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false")
        return value
    if isinstance(action, Patterns):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ConfigError(f"{where}: must be a string or a list of strings")
        return [_converted(action, item, where) for item in items]
    if isinstance(value, (list, dict)) or isinstance(value, bool):
        raise ConfigError(f"{where}: must be a {'string' if action.type is None else 'number or string'}")
    return _converted(action, str(value), where)


def _converted(action: argparse.Action, text: str, where: str) -> object:
    try:
        converted = action.type(text) if callable(action.type) else text
    except (argparse.ArgumentTypeError, TypeError, ValueError) as error:
        raise ConfigError(f"{where}: {error}") from None
    if action.choices is not None and converted not in action.choices:
        choices = ", ".join(map(str, action.choices))
        raise ConfigError(f"{where}: {text!r} is not one of {choices}")
    return converted
