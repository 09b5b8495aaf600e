"""Scenarios in ipc-tui's first form (declared at the top level, imported from
`ipc_tui.scenario`, with a `check()`): the engine's tests use them as worked examples of that
form. The built-in scenarios of the same names are plain programs now (`scenarios/`)."""
