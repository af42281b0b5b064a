"""The few exceptions civic-kg raises; each names where it happened."""
from __future__ import annotations


class KgError(Exception):
    """Base class of civic-kg's own errors."""


class RawFormatError(KgError):
    """A raw page cannot be read: names the file and line."""

    def __init__(self, path: object, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = str(path), line, reason

    def __reduce__(self) -> tuple[type, tuple[str, int, str]]:  # picklable across worker processes
        return (type(self), (self.path, self.line, self.reason))


class QueryError(KgError):
    """A SPARQL query is malformed or refused."""
