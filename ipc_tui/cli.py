"""Command-line options and one-line error messages; nothing else.

Kept light on purpose: a worker process under forkserver or spawn re-imports the main module,
so nothing heavy (Textual, Rich) is imported here at the top level.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        print(f"ipc-tui: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--timeout wants seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"--timeout must be more than 0 seconds, got {text!r}")
    return value


def _count(option: str, least: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{option} wants a whole number, got {text!r}"
            ) from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{option} must be at least {least}, got {text!r}")
        return value

    return parse


def _positive(option: str):
    def parse(text: str) -> float:
        try:
            return _seconds(text)
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(
                f"{option} wants a number of seconds more than 0, got {text!r}"
            ) from None

    return parse


def _writable(text: str) -> str:
    """A file that can be written (--record, --trace, --svg), checked before the run: it is
    written at the end."""
    folder = os.path.dirname(os.path.abspath(text))
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"wants a file, {text!r} is a folder")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"no folder {folder!r} to write {text!r} in")
    writable = not os.path.exists(text) or os.access(text, os.W_OK)
    if not os.access(folder, os.W_OK) or not writable:
        raise argparse.ArgumentTypeError(f"{text!r} cannot be written (permission)")
    return text


class _Version(argparse.Action):
    """`--version`, read only when asked: importlib.metadata alone takes ~40 ms to import."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(f"ipc-tui {version()}")
        parser.exit()


def version() -> str:
    """The installed package's version; the source tree's when it is not installed."""
    from importlib import metadata

    try:
        return metadata.version("ipc-tui")
    except metadata.PackageNotFoundError:
        from ipc_tui import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ipc-tui",
        description="Watch and step Python's real concurrency primitives.",
        epilog="ipc-tui serve [--host H] [--port P]: the app in a web browser, a program of "
        "its own in each tab (see ipc-tui serve --help)",
    )
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    parser.add_argument("--list", action="store_true", help="list the built-in scenarios")
    parser.add_argument(
        "program",
        nargs="?",
        metavar="FILE",
        help="a Python program of your own, unchanged (the same as --scenario FILE)",
    )
    parser.add_argument(
        "args", nargs="*", metavar="ARG", help="the program's arguments (its sys.argv[1:])"
    )
    _scenario_options(parser)
    parser.add_argument(
        "--headless", action="store_true", help="run without the app and print what happened"
    )
    parser.add_argument(
        "--schedule",
        metavar="S",
        help="steps to take first, e.g. 'w0,w1x2,w0*' (headless); the rest then runs free",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECS",
        help="give up on a headless run after this long (default: the scenario's, or 10)",
    )
    parser.add_argument("--json", action="store_true", help="headless: print JSON lines")
    classroom = parser.add_argument_group(
        "the classroom",
        "write a run down and open it again, trace it for Perfetto, draw it for a handout",
    )
    classroom.add_argument(
        "--record",
        type=_writable,
        metavar="FILE",
        help="write the run to FILE (the program, its steps in order, the outcome, the trace): "
        "headless when it ends, the app when it quits (w saves it at any moment), --explore "
        "its first failure",
    )
    classroom.add_argument(
        "--replay",
        metavar="FILE",
        help="open a recording: the same program and interleaving, paused at the start "
        "(headless: followed to the end, and compared)",
    )
    classroom.add_argument(
        "--svg",
        type=_writable,
        metavar="FILE",
        help="draw the app without a terminal after --schedule's steps (or --replay's, --at "
        "N: its first N) and save the screen as an SVG file",
    )
    classroom.add_argument(
        "--size", metavar="WxH", default="100x30", help="--svg's screen size (100x30)"
    )
    classroom.add_argument(
        "--at", type=_count("--at", 0), metavar="N", help="--svg --replay: after its first N steps"
    )
    classroom.add_argument(
        "--force",
        action="store_true",
        help="--replay a recording whose program has changed, as far as it still matches",
    )
    classroom.add_argument(
        "--trace",
        type=_writable,
        metavar="FILE.json",
        help="write the run as a Chrome trace-event file for ui.perfetto.dev (headless: when "
        "it ends; the app: its newest events, when it quits)",
    )
    explore = parser.add_argument_group(
        "exploring", "run the program again and again under chosen schedules: every outcome"
    )
    explore.add_argument(
        "--explore",
        action="store_true",
        help="find every outcome the program can have, each with a schedule that replays it "
        "(headless)",
    )
    explore.add_argument(
        "--strategy",
        choices=("exhaustive", "random", "pct"),
        default="exhaustive",
        help="exhaustive search (the default), a random walk, or PCT",
    )
    explore.add_argument(
        "--budget", type=_count("--budget", 1), metavar="N", help="at most N runs (1000)"
    )
    explore.add_argument(
        "--seconds", type=_positive("--seconds"), metavar="S", help="at most S seconds (60)"
    )
    explore.add_argument(
        "--check",
        metavar="EXPR",
        help="a run fails when EXPR is false on its final cells, e.g. 'counter == 6'",
    )
    explore.add_argument(
        "--preemptions",
        type=_count("--preemptions", 0),
        metavar="K",
        help="exhaustive: search runs with at most K preemptions (default: raise the bound "
        "until every interleaving is run)",
    )
    explore.add_argument("--depth", type=_count("--depth", 1), metavar="D", help="PCT's depth (3)")
    explore.add_argument(
        "--seed", type=_count("--seed", 0), metavar="N", help="random and PCT's seed (0)"
    )
    return parser


def _scenario_options(parser: argparse.ArgumentParser) -> None:
    """What the app opens, and how: the app's options, and each browser tab's of `serve`."""
    parser.add_argument("--scenario", metavar="NAME|PATH", help="a built-in scenario or a file")
    parser.add_argument(
        "--start-method",
        choices=("fork", "spawn", "forkserver"),
        help="a program's processes start this way, whatever it asks for (default: as plain "
        "python would start them)",
    )
    parser.add_argument(
        "--mode",
        choices=("thread", "process", "mixed"),
        help="workers as threads, as processes, or each as its class says (default: the "
        "scenario's)",
    )
    parser.add_argument(
        "--variant", metavar="NAME", help="one of the scenario's variants, e.g. deadlock's 'fixed'"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the measuring scenarios (gil, ipc-compare) at a small size, in seconds",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default=default_lang(),
        help="the lessons' language: English or Simplified Chinese (default: from the locale)",
    )


def open_replay(args: argparse.Namespace) -> Any:
    """`--replay FILE` (`--force`): the recording opened, once nothing given beside it says
    otherwise than it does (None: no --replay). The app's, headless's and serve's."""
    from ipc_tui.engine import ScenarioError

    if args.force and not args.replay:
        raise ScenarioError("--force goes with --replay")
    if not args.replay:
        return None
    options = ("scenario", "mode", "variant", "start_method", "schedule", "quick")
    given = [f"--{o.replace('_', '-')}" for o in options if getattr(args, o, None)]
    if getattr(args, "args", None):
        given.append("arguments")
    if given:
        raise ScenarioError(f"--replay runs the program as it was recorded: no {given[0]}")
    from ipc_tui.engine.replay import load

    return load(args.replay, args.force)


def default_lang() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def unsupported_platform() -> str | None:
    """Why ipc-tui cannot run its scenarios here, in one line; None where it can."""
    if sys.platform == "win32":
        # Untried there, and some of it cannot work: the app names its log by os.getuid and
        # leaves on SIGHUP, its worker processes lower their priority with os.nice, a killed
        # worker is told by its negative (signal) exit code, and threads-vs-processes reads
        # its memory with the resource module. --list only reads the scenario files.
        return (
            "Windows is not supported yet: it relies on POSIX signals, os.nice and os.getuid "
            "(use WSL; --list works)"
        )
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # before the parser, which takes a first word for a FILE
        from ipc_tui.serve.command import serve_main

        return serve_main(argv[1:])
    args = build_parser().parse_args(argv)
    why = None if args.list else unsupported_platform()
    if why:
        print(f"ipc-tui: {why}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from ipc_tui.engine import ScenarioError, find_scenario, list_scenarios

    try:
        if args.program:
            if args.scenario:
                raise ScenarioError("give a file or --scenario, not both")
            args.scenario = args.program
        if args.args and not args.program:
            raise ScenarioError(f"unrecognized arguments: {' '.join(args.args)}")
        if args.list:
            for info in list_scenarios():
                print(f"{info.name:<20} {info.text(args.lang)[0]}")
            return 0
        exploring = [
            name
            for name in ("strategy", "budget", "seconds", "check", "preemptions", "depth", "seed")
            if getattr(args, name) not in (None, "exhaustive")
        ]
        if exploring and not args.explore:
            raise ScenarioError(f"--{exploring[0]} goes with --explore")
        for option, strategies in (
            ("preemptions", ("exhaustive",)),
            ("depth", ("pct",)),
            ("seed", ("random", "pct")),
        ):
            if getattr(args, option) is not None and args.strategy not in strategies:
                raise ScenarioError(
                    f"--{option} goes with --strategy {' or '.join(strategies)}"
                    f" (this is {args.strategy})"
                )
        if args.replay and args.explore:
            raise ScenarioError("--replay and --explore do not go together")
        replay = open_replay(args)
        if replay is not None:
            args.scenario = replay.info.path
            args.mode, args.variant, args.start_method = (
                replay.mode,
                replay.variant,
                replay.start_method,
            )
            args.args, args.quick = list(replay.argv), replay.quick
        if args.at is not None and not (args.svg and args.replay):
            raise ScenarioError("--at goes with --svg and --replay")
        if args.size != "100x30" and not args.svg:
            raise ScenarioError("--size goes with --svg")
        if args.svg:
            if args.record or args.trace:
                raise ScenarioError("--svg draws one screen: no --record or --trace with it")
            if args.headless or args.explore:
                raise ScenarioError("--svg draws the app itself: no --headless or --explore")
            if not args.scenario:
                raise ScenarioError("--svg needs --scenario NAME|PATH or --replay FILE")
            from ipc_tui.tui.picture import parse_size, replay_steps, schedule_steps
            from ipc_tui.tui.run import run_picture

            size = parse_size(args.size)
            if replay is not None:
                steps = replay_steps(replay, args.at)
            else:
                steps = schedule_steps(args.schedule)
            return run_picture(
                replay.info if replay else find_scenario(args.scenario),
                args.mode,
                args.lang,
                args.variant,
                args.quick,
                args.start_method,
                tuple(args.args),
                steps,
                args.svg,
                size,
            )
        if args.explore:
            if not args.scenario:
                raise ScenarioError("--explore needs --scenario NAME|PATH (see ipc-tui --list)")
            if args.schedule:
                raise ScenarioError("--explore finds schedules: give it no --schedule")
            if args.trace:
                raise ScenarioError("--trace writes one run: it goes with --headless or the app")
            from ipc_tui.explore_cli import run_explore

            return run_explore(
                find_scenario(args.scenario),
                args.mode,
                args.variant,
                args.start_method,
                tuple(args.args),
                args.json,
                args.strategy,
                args.budget,
                args.seconds,
                args.check,
                args.preemptions,
                3 if args.depth is None else args.depth,
                args.seed or 0,
                args.record,
            )
        if args.headless:
            if not args.scenario:
                raise ScenarioError("--headless needs --scenario NAME|PATH (see ipc-tui --list)")
            from ipc_tui.headless import run_headless

            info = replay.info if replay else find_scenario(args.scenario)
            return run_headless(
                info,
                args.mode,
                args.schedule,
                args.timeout or info.timeout,
                args.json,
                args.lang,
                args.variant,
                args.quick,
                args.start_method,
                tuple(args.args),
                record=args.record,
                replay=replay,
                force=args.force,
                trace=args.trace,
            )
        if args.schedule or args.json:
            raise ScenarioError("--schedule and --json go with --headless")
        from ipc_tui.tui.run import run_app

        if args.variant and not args.scenario:
            raise ScenarioError("--variant goes with --scenario")
        if replay:
            opened = replay.info
        else:
            opened = find_scenario(args.scenario) if args.scenario else None
        return run_app(
            opened,
            args.mode,
            args.lang,
            args.variant,
            args.quick,
            args.start_method,
            tuple(args.args),
            record=args.record,
            replay=replay,
            trace=args.trace,
        )
    except ScenarioError as exc:
        print(f"ipc-tui: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `ipc-tui ... | head`: the reader left; so do we, quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
