"""`ipc-tui serve`: the app in a web browser, through textual-serve (server.py); each browser tab
runs an app and a program of its own, and everything of a tab ends with it (tab.py)."""

from ipc_tui.serve.server import ServeError, serve

__all__ = ["ServeError", "serve"]
