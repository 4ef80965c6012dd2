"""The one exception family briefkit raises for problems a user can fix."""

from __future__ import annotations


class BriefkitError(Exception):
    """A problem with an input, an output, a style or a format name.

    ``where`` names the file (or other thing) at fault; ``str()`` gives the one-line message
    the CLI prints.
    """

    def __init__(self, problem: str, where: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}" if self.where else self.problem

    def at(self, where: str) -> BriefkitError:
        """The same error, naming ``where`` unless it already names something."""
        if self.where is None:
            self.where = where
        return self


class InputError(BriefkitError):
    """An input cannot be read: missing, empty, binary, malformed."""


class FormatError(BriefkitError):
    """A format name or file extension that no reader or writer handles."""


class StyleError(BriefkitError):
    """A style that cannot be found or does not validate."""


class OutputError(BriefkitError):
    """An output that cannot or must not be written."""


class BriefkitWarning(UserWarning):
    """Something the user should know about a document that was still written (a character
    no installed font has, ...). The CLI prints each as one ``briefkit: warning:`` line;
    library users get a standard Python warning."""
