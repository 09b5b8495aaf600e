"""ipc-tui: watch and step Python's real concurrency primitives."""

__version__ = "0.1.0"
