"""Errors users see, and the exit codes the CLI maps them to (DESIGN.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2  # usage error or unreadable input
    ALERT = 3  # an alert threshold was crossed (--fail-on)


class VocError(Exception):
    """Base class: a problem the user can fix. Printed as one line, exit code 2."""

    exit_code = ExitCode.USAGE


class UsageError(VocError):
    """An option value the command cannot use (exit 2, like click's own usage errors)."""


class InputError(VocError):
    """An input file cannot be read or understood."""


class SchemaError(VocError):
    """A DataFrame or store lacks what a stage needs."""


class LexiconError(VocError):
    """A lexicon file is malformed (message names file and line)."""


class ModelError(VocError):
    """A model file is missing, malformed or incompatible."""


class StoreError(VocError):
    """The store cannot be opened or is from a newer voc."""
