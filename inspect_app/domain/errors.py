"""Domain exceptions. `inspect_app/errors.py` maps them to pages; the CLI maps them to exit codes."""

from __future__ import annotations


class InspectAppError(Exception):
    """Base class for errors a user can act on (shown to them, never a stack trace)."""


class NotFound(InspectAppError):
    """The object does not exist, or belongs to another partnership (callers answer 404 either way)."""


class PermissionDenied(InspectAppError):
    """The user's role does not allow this action."""


class ValidationFailed(InspectAppError):
    """Input was refused; `messages` says why, one sentence each."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))
