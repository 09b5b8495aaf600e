"""Errors the engine reports to its front-ends in one line."""


class ScenarioError(Exception):
    """A scenario (or an option about it) is wrong; the message says what and where."""


class ScheduleError(ScenarioError):
    """A --schedule string is malformed or names an unknown worker."""


class CannotKill(Exception):
    """Session.kill() of a worker that cannot be killed: a thread, or one not running."""


class Stopped(BaseException):
    """Raised inside a worker at its gate when the session closes; never seen by scenario code."""
