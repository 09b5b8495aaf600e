"""The benchmark (`python -m ipc_tui.bench`) and the pseudo-terminal it drives the app through."""
