"""Errors that carry a calm, user-facing message; pages show the message, never a traceback."""


class TandemError(Exception):
    """Base class: `str(error)` is safe to show to the person who caused it."""


class NotFound(TandemError):
    """The id does not exist *or* belongs to someone else: the message never says which."""

    def __init__(self, what: str = "record"):
        super().__init__(f"That {what} is not available to you.")


class PermissionDenied(TandemError):
    """The actor may not do this (e.g. a counselor using an admin action)."""


class ValidationError(TandemError):
    """One or more fields are not acceptable; `fields` maps field name to a message."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.fields.items()))


class Conflict(TandemError):
    """The record changed (another tab, another device) since the form being saved was drawn
    from it: the save is refused rather than written over the newer text."""

    def __init__(self, what: str):
        super().__init__(
            f"This {what} was changed somewhere else (another tab or another device) after you "
            "opened it, so your changes were not saved over it. What you typed is still here: "
            "copy what you need before you show the newer version."
        )


class LoginRefused(TandemError):
    """Any failed login. One message for every cause, so it reveals nothing."""

    MESSAGE = (
        "Those sign-in details did not work. After several failed tries an account "
        "is paused for a while; try again later or ask your practice admin."
    )

    def __init__(self):
        super().__init__(self.MESSAGE)


class StorageError(TandemError):
    """The database could not be opened or used; the message says what to do."""
