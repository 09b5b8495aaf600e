"""`ipc-tui serve`'s command line: its options, and what each tab will open, checked once here
before it serves (cli.py sends `serve ...` here)."""

from __future__ import annotations

import argparse
import os
import sys

from ipc_tui.cli import (
    EXIT_BAD_INPUT,
    _Parser,
    _scenario_options,
    open_replay,
    unsupported_platform,
)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port wants a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be from 1 to 65535, got {text!r}")
    return value


def _url(text: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"--public-url wants an address such as http://projector.local:8000, got {text!r}"
        )
    return text.rstrip("/")


def build_serve_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ipc-tui serve",
        description="The app in a web browser: each tab runs an app and a program of its own.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: every "
        "network it is on)",
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="the port to listen on (default: 8000)"
    )
    parser.add_argument(
        "--public-url",
        type=_url,
        metavar="URL",
        help="the address browsers reach the server by, e.g. http://projector.local:8000 "
        "(default: the one each browser asked for)",
    )
    parser.add_argument(
        "--replay",
        metavar="FILE",
        help="every tab opens this recording, paused at its first step (n takes its steps)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="--replay a recording whose program has changed, as far as it still matches",
    )
    _scenario_options(parser)
    return parser


def serve_main(argv: list[str]) -> int:
    """`ipc-tui serve`: checks what each tab will open, then serves (ipc_tui/serve)."""
    args = build_serve_parser().parse_args(argv)
    why = unsupported_platform()
    if why:
        print(f"ipc-tui: {why}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from ipc_tui.engine import ScenarioError, find_scenario, open_session

    tab = ["--lang", args.lang, *(["--quick"] if args.quick else [])]
    for option in ("scenario", "mode", "variant", "start_method"):
        if getattr(args, option):
            tab += [f"--{option.replace('_', '-')}", getattr(args, option)]
    try:
        if open_replay(args) is not None:  # (a bad recording: said here, not in every tab)
            tab += ["--replay", os.path.abspath(args.replay), *(["--force"] if args.force else [])]
        if args.variant and not args.scenario:
            raise ScenarioError("--variant goes with --scenario")
        if args.scenario:  # the app's own checks, once here rather than in every tab
            info = find_scenario(args.scenario)
            start_method = args.start_method if info.program else None
            open_session(info, args.mode, args.variant, args.quick, start_method).close()
        from ipc_tui.serve import ServeError, serve

        try:
            return serve(args.host, args.port, args.public_url, tab)
        except ServeError as exc:
            raise ScenarioError(str(exc)) from None
    except ScenarioError as exc:
        print(f"ipc-tui: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
