"""The app's contract with a session (engine/frontend.SessionView): the real Session and the
tests' fake one both keep to it, with the same parameters, so the snapshot tests draw what a
real session would give."""

import inspect

import pytest

from ipc_tui.engine import Session
from ipc_tui.engine.frontend import SessionView
from tests.conftest import example
from tests.tui.fake import FakeSession


def members() -> list[str]:
    names = set(SessionView.__annotations__)
    names |= {n for n, v in vars(SessionView).items() if not n.startswith("_") and callable(v)}
    names |= {n for n, v in vars(SessionView).items() if isinstance(v, property)}
    return sorted(names)


def parameters(func) -> list[tuple[str, object]]:
    return [(p.name, p.default) for p in inspect.signature(func).parameters.values()]


@pytest.mark.parametrize("name", members())
def test_the_real_and_the_fake_session_keep_to_the_view(name, session_of):
    real = session_of(example("race-condition"), "thread")
    fake = FakeSession()
    for session in (real, fake):
        assert hasattr(session, name), f"{type(session).__name__} has no {name}"
    spec = vars(SessionView).get(name)
    if callable(spec) and not isinstance(spec, property):
        expected = parameters(spec)[1:]  # (without self)
        assert parameters(getattr(real, name)) == expected, f"Session.{name}"
        assert parameters(getattr(fake, name)) == expected, f"FakeSession.{name}"


def test_the_view_lists_what_the_app_uses():
    assert {"snapshot", "drain_events", "step", "changes", "verdict", "info"} <= set(members())
    assert isinstance(Session.__init__, object)
