"""The Semaphores pane: each counter as a big number, what it started at, its history, who is
in, who is blocked at 0."""

from __future__ import annotations

from collections import deque

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import SemaphoreState
from ipc_tui.tui.redraw import show_text, text_height

BARS = "▁▂▃▄▅▆▇█"


def counted(names: tuple[str, ...]) -> list[str]:
    """Each name once, in order, with how many times it is there: `producer ×3`."""
    return [
        name if names.count(name) == 1 else f"{name} ×{names.count(name)}"
        for name in dict.fromkeys(names)
    ]


def sparkline(values: list[int], top: int) -> str:
    """The counter's recent values, one bar each, 0 at the bottom."""
    if top <= 0:
        return "▁" * len(values)
    return "".join(BARS[min(len(BARS) - 1, v * (len(BARS) - 1) // top)] for v in values)


class SemaphoreText(Static):
    """The words beside the digits. Its width changes with the screen's and when the digits hide
    (a narrow screen): the row fits its height again."""

    def on_resize(self) -> None:
        if isinstance(self.parent, SemaphoreView):
            self.parent.fit()


class SemaphoreView(Horizontal):
    def __init__(self, name: str) -> None:
        super().__init__(classes="semaphore")
        self.history: deque[int] = deque(maxlen=40)
        self.sem_name = name

        self.digits = Digits("0")
        self.text = SemaphoreText(markup=False, classes="sem-text")
        self._shown = Text()

    def compose(self):
        yield self.digits
        yield self.text

    def show(self, sem: SemaphoreState) -> None:
        if not self.history or self.history[-1] != sem.value:
            self.history.append(sem.value)
        if self.digits.value != str(sem.value):
            self.digits.update(str(sem.value))
        text = Text()
        text.append(f"{sem.name} {sem.value}", style="bold")
        text.append(f" (started at {sem.initial}) ", style="dim")
        room = self.text.content_size.width - text.cell_len
        history = list(self.history)[-room:] if room > 0 else []  # (none: it would wrap)
        text.append(sparkline(history, max(sem.initial, *self.history)), style="cyan")
        if sem.holders or sem.initial:  # (a signal, such as a turnstile: nothing taken)
            # permits taken and not given back, whoever gives them back: a semaphore has no
            # owner (the consumer gives back what the producer took)
            text.append("\ntaken by: ", style="dim")
            text.append(", ".join(counted(sem.holders)) or "nobody", style="cyan")
        if sem.lost:
            text.append(f"  ({sem.lost} lost: taken by workers now gone)", style="bold magenta")
        if sem.waiters:
            text.append("\nblocked at 0: ", style="dim")
            text.append(", ".join(sem.waiters), style="bold red")
        show_text(self.text, text)
        if text != self._shown:  # (each frame while running free: measure only what is new)
            self._shown = text
            self.fit()

    def fit(self) -> None:
        """Be exactly as tall as the text wrapped to its width (or the big digits, if taller).
        Set, not `height: auto`: under load, Textual 8.2 kept an auto-height row at the height
        of an older, shorter text, and `blocked at 0: …`, the line that matters, was cut."""
        width = self.text.content_size.width or self.content_size.width
        if not width:
            return  # not laid out yet: on_resize fits it
        height = text_height(self.text, self._shown, width)
        if self.digits.styles.display != "none":
            height = max(height, 3)
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height


class SemaphoresPane(Vertical):
    def __init__(self) -> None:
        super().__init__(id="semaphores", classes="pane")
        self.border_title = "Semaphores"
        self._names: tuple[str, ...] = ()
        self.views: list[SemaphoreView] = []

    def reset(self) -> None:
        """Another run (a restart, a switch of mode): fresh primitives, no history."""
        self.remove_children()
        self.views, self._names = [], ()

    def show(self, snap: Snapshot) -> None:
        names = tuple(s.name for s in snap.semaphores)
        if names != self._names:
            self.remove_children()
            self.views = [SemaphoreView(name) for name in names]
            self.mount_all(self.views)
            self._names = names
        for view, sem in zip(self.views, snap.semaphores, strict=True):
            view.show(sem)
