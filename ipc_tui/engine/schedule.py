"""Schedules: `w0,w1x3,w2*` = one step of w0, three of w1, then w2 until it ends or blocks.

A turn of one bytecode instruction at a time (a plain program): `w0:i`, `w0:ix3`, `w0:i*`
(the instruction grain, engine/program/variables.py); the other turns step by operations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipc_tui.engine.errors import ScheduleError

_TOKEN = re.compile(
    r"^(?P<name>[A-Za-z_][\w.@#-]*?)(?P<grain>:i)?(?:x(?P<count>[1-9]\d*)|(?P<star>\*))?$"
)
UNTIL_BLOCKED = -1


@dataclass(frozen=True, slots=True)
class Turn:
    worker: str
    steps: int  # UNTIL_BLOCKED for `name*`
    grain: int = 0  # runtime.OPERATIONS, or INSTRUCTIONS for `name:i`


def parse_schedule(text: str, workers: list[str] | None) -> list[Turn]:
    """`workers`: the names a turn may use; None: any name (a plain program's workers appear
    only as it starts them)."""
    turns = []
    known = workers or []
    for pos, raw in enumerate(text.split(","), 1):
        token = raw.strip()
        if token in known:
            turns.append(Turn(token, 1))
            continue
        m = _TOKEN.match(token)
        if not m or (token.endswith("x") and token[:-1] in known):
            raise ScheduleError(
                f"schedule token {pos} {token!r} is malformed; "
                "write NAME (one step), NAMExN (N steps) or NAME* (until it ends or blocks); "
                "NAME:i, NAME:ixN, NAME:i* for bytecode instructions"
            )
        name = m["name"]
        if workers is not None and name not in workers:
            raise ScheduleError(
                f"schedule token {pos} {token!r}: no worker {name!r}; "
                f"this scenario's workers are {', '.join(workers)}"
            )
        steps = UNTIL_BLOCKED if m["star"] else int(m["count"] or 1)
        turns.append(Turn(name, steps, 1 if m["grain"] else 0))
    return turns
