"""The conversion as a LibCST codemod command, for LibCST's own runner::

    python -m libcst.tool codemod -x --no-format seq2tfdata.codemod_command.ConvertSequencesCommand PATH

``-x`` loads the command by module path; ``--no-format`` keeps LibCST from piping the result
through black, which it does by default. The conversion is ``convert_source``: this class only
translates its ``Result`` into the codemod protocol (a new module, ``SkipFile``, ``warn``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from seq2tfdata.core import convert_source
from seq2tfdata.model import Options, Result, Tier
from seq2tfdata.write.cache import Cache
from seq2tfdata.write.prepass import PrePass, module_for, project_root, repository_sequence_bases


class ConversionError(Exception):
    """``convert_source`` refused the file; LibCST's runner reports it as a failure."""


class ConvertSequencesCommand(CodemodCommand):
    DESCRIPTION = "Add a generated to_tf_dataset() method to every Keras Sequence / PyDataset subclass."

    def __init__(self, context: CodemodContext, max_tier: str = Tier.NATIVE.value) -> None:
        super().__init__(context)
        self.max_tier = Tier(max_tier)

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--max-tier",
            dest="max_tier",
            choices=[tier.value for tier in Tier if tier is not Tier.SKIPPED],
            default=Tier.NATIVE.value,
            help="the best tier to emit (default: native)",
        )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        path = self.context.filename or "<string>"
        options = Options(path=path, max_tier=self.max_tier)
        if self.context.filename:
            # As `seq2tfdata convert` does: the file's whole project is indexed, so a subclass
            # whose base is in another file converts whichever files the runner was given.
            index = _project_index(Path(self.context.filename))
            module = module_for(Path(self.context.filename), index.roots)
            options = Options(path=path, max_tier=self.max_tier, extra_sequence_bases=index.bases, module=module)
        result = convert_source(tree.code, options)
        if result.error:
            raise ConversionError(result.error)
        self._warn_findings(result, path)
        if not result.changed:
            raise SkipFile(_why_unchanged(result))
        return cst.parse_module(result.code, config=tree.config_for_parsing)

    def _warn_findings(self, result: Result, path: str) -> None:
        for finding in result.findings:
            if finding.tier is Tier.SKIPPED:
                where = f"{path}:{finding.line}:{finding.col}"
                if not finding.reasons:
                    self.warn(f"{where}: {finding.name} skipped")
                for reason in finding.reasons:
                    self.warn(f"{finding.name} skipped: {reason.render(path)}")
            for warning in finding.warnings:
                self.warn(f"{finding.name}: {warning.render(path)}")


_INDEXES: dict[Path | None, PrePass] = {}


def _project_index(path: Path) -> PrePass:
    """The cross-file index of the project holding ``path``, once per project and process (the
    runner converts files one by one; the summaries themselves are cached across runs)."""
    root = project_root(path.parent)
    if root not in _INDEXES:
        _INDEXES[root] = repository_sequence_bases([path], [path.parent], cache=Cache.open())
    return _INDEXES[root]


def _why_unchanged(result: Result) -> str:
    if not result.findings:
        return "no Keras Sequence / PyDataset subclass"
    if all(finding.tier is Tier.SKIPPED for finding in result.findings):
        return "no Sequence class could be converted"
    return "the generated to_tf_dataset() methods are up to date"
