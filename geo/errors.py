"""Exceptions for user mistakes, with a Swedish and an English message.

Every error a user can fix is a :class:`UserError`. The command line prints
``err.text(lang)`` on one line and exits with code 2; nothing else is printed.
Messages say what went wrong, where (file, row, column) and how to fix it.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix: bad input file, bad argument, wrong project.

    Parameters
    ----------
    sv
        The message in Swedish (shown by default).
    en
        The same message in English (shown with ``--lang en``).
    """

    def __init__(self, sv: str, en: str | None = None) -> None:
        super().__init__(sv)
        self.sv = sv
        self.en = en or sv

    def text(self, lang: str = "sv") -> str:
        """Return the message in ``lang`` (``"sv"`` or ``"en"``), on one line."""
        msg = self.en if lang == "en" else self.sv
        return " ".join(msg.split())


class InputFileError(UserError, OSError):
    """An input file is missing, unreadable or has the wrong content."""


class ArgumentError(UserError, ValueError):
    """A command-line or function argument has an invalid value."""


class ProjectError(UserError, OSError):
    """The project path is not a Trygghetskartan GeoPackage or cannot be written."""


class CrsError(UserError, ValueError):
    """Coordinates whose reference system cannot be told; the fix is ``--crs``."""
