"""The web server: textual-serve's, with a page that fetches nothing from outside (and has a
font for every glyph the app draws: fonts/), tabs that end in bounded time (tab.py), and a stop
that ends every tab before it returns."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import textual_serve
from aiohttp import web
from textual_serve.server import Server, to_int

from ipc_tui.serve.tab import Tab

log = logging.getLogger("ipc-tui.serve")
HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"  # the glyph font (make_glyphs.py) and its license


class ServeError(Exception):
    """The server cannot start (the port is taken, the host unknown): one line says why."""


class ClassroomServer(Server):
    """Serves the app; each websocket (a browser tab) runs `argv`, an app of its own."""

    def __init__(self, argv: list[str], host: str, port: int, public_url: str | None) -> None:
        statics = Path(textual_serve.__file__).resolve().parent / "static"  # xterm.js, a font
        super().__init__(
            " ".join(argv),
            host=host,
            port=port,
            title="ipc-tui",
            public_url=public_url,
            statics_path=statics,
            templates_path=HERE,
        )
        self.argv = argv
        self.given_url = public_url
        self.tabs: set[Tab] = set()
        self.opened = 0

    async def on_startup(self, app: web.Application) -> None:
        pass  # (textual-serve prints a banner here; serve() prints one line)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_static("/fonts", FONTS, name="fonts")
        return app

    def base_url(self, request: web.Request) -> str:
        """--public-url, else the address this browser asked for (so that --host 0.0.0.0 works
        from every machine without one)."""
        return self.given_url or f"{request.scheme}://{request.host}"

    @aiohttp_jinja2.template("page.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        base = self.base_url(request)
        websocket = base.replace("https:", "wss:", 1).replace("http:", "ws:", 1)
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket}{request.app.router['websocket'].url_for()}",
            "static_url": f"{base}/static/",
            "fonts_url": f"{base}/fonts/",
            "title": self.title,
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        tab = Tab(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.tabs.add(tab)
        self.opened += 1
        number = self.opened
        try:
            await tab.start(width, height)
            say(f"tab {number} opened: app pid {tab.pid}")
            await self._process_messages(websocket, tab)
        except Exception:  # a bad message from the page, a broken pipe: the tab ends
            log.exception("tab %d", number)
        finally:
            await tab.end()
            self.tabs.discard(tab)
            if tab.ended:
                count, seconds = tab.ended
                say(f"tab {number} closed: {count} processes ended in {seconds:.2f} s")
        return websocket

    async def run(self) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP; then end every tab, and return."""
        runner = web.AppRunner(
            await self._make_app(), handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            why = exc.strerror if exc.errno is None or exc.errno < 0 else os.strerror(exc.errno)
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {why}") from None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, stop.set)
        where = f"http://{self.host}:{self.port}"
        if self.given_url:
            where = f"{self.host}:{self.port}, for browsers at {self.given_url}"
        elif self.host in ("0.0.0.0", "::"):
            where += " (every network of this machine: browsers use its name or address)"
        say(f"serving on {where}; each browser tab runs an app of its own (ctrl+c stops)")
        try:
            await stop.wait()
        finally:
            say(f"stopping: ending {len(self.tabs)} tab(s)")
            await asyncio.gather(*(tab.end() for tab in list(self.tabs)))
            await runner.cleanup()


def say(line: str) -> None:
    try:
        print(f"ipc-tui serve: {line}", flush=True)
    except OSError:  # nobody reads what the server says any more (`| head`): it serves on
        pass


def serve(host: str, port: int, public_url: str | None, app_options: list[str]) -> int:
    """Serve the app on host:port until stopped; each tab runs `ipc-tui APP_OPTIONS`."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s: %(message)s")
    server = ClassroomServer(
        [sys.executable, "-m", "ipc_tui", *app_options], host, port, public_url
    )
    asyncio.run(server.run())
    return 0
