"""The Semaphores pane: each counter as a big number, value/initial, its history, who is in."""

from __future__ import annotations

from collections import deque

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Sparkline, Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import SemaphoreState


class SemaphoreView(Horizontal):
    def __init__(self, name: str) -> None:
        super().__init__(classes="semaphore")
        self.history: deque[int] = deque(maxlen=40)
        self.sem_name = name

    def compose(self):
        yield Digits("0")
        with Vertical():
            yield Static(markup=False, classes="sem-text")
            yield Sparkline([])

    def show(self, sem: SemaphoreState) -> None:
        if not self.history or self.history[-1] != sem.value:
            self.history.append(sem.value)
            self.query_one(Sparkline).data = list(self.history)
        self.query_one(Digits).update(str(sem.value))
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{sem.name} ", style="bold")
        text.append(f"{sem.value}/{sem.initial}\n")
        text.append("inside: ", style="dim")
        text.append(", ".join(sem.holders) or "nobody", style="cyan")
        if sem.waiters:
            text.append("\nblocked at 0: ", style="dim")
            text.append(", ".join(sem.waiters), style="bold red")
        self.query_one(".sem-text", Static).update(text)


class SemaphoresPane(Vertical):
    def __init__(self) -> None:
        super().__init__(id="semaphores", classes="pane")
        self.border_title = "Semaphores"
        self._names: tuple[str, ...] = ()

    def show(self, snap: Snapshot) -> None:
        names = tuple(s.name for s in snap.semaphores)
        if names != self._names:
            self.remove_children()
            self.mount_all(SemaphoreView(name) for name in names)
            self._names = names
            return  # the new views compose first; they show from the next sample on
        for view, sem in zip(self.query(SemaphoreView), snap.semaphores, strict=False):
            view.show(sem)
