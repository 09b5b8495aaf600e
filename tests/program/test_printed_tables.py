"""A table a program prints in Markdown is shown as a table: the Results pane, `tables` in
JSON; it fills in as its rows are printed, and its figures are numbers."""

from __future__ import annotations

import json

from ipc_tui.engine.reports import TableShown
from ipc_tui.engine.tables import TableReader
from ipc_tui.tui.app import IpcApp
from tests.conftest import run_cli
from tests.program.conftest import run_free
from tests.tui.screen import settled, shows

MEASURES = """
    import time
    from threading import Thread


    def work():
        time.sleep(0.01)


    if __name__ == "__main__":
        print("## which way")
        print("| way | seconds | items |")
        print("|---|---:|---|")
        for way in ("serial", "threads"):
            began = time.perf_counter()
            t = Thread(target=work)
            t.start()
            t.join()
            print(f"| {way} | {time.perf_counter() - began:.2f} | 1,000 |")
        print("done")
        print("| a | b |")  # a line like a row, with no separator after it: not a table
        print("| c | d |")
"""


def test_the_reader_finds_tables_their_names_and_numbers():
    reader = TableReader()
    lines = ["## speeds", "| way | s |", "|:---|---:|", "| pipe | 1,381,000 |", "| q | 0.5 |"]
    shown = [reader.line(x) for x in lines]
    assert shown[:2] == [None, None]
    assert shown[2] == TableShown("speeds", ("way", "s"), (), "")
    assert shown[-1].rows == (("pipe", 1381000), ("q", 0.5))
    assert reader.line("after") is None and reader.line("| x |") is None  # a header, maybe
    nameless = TableReader()
    assert [nameless.line(x) for x in ["| a |", "|---|"]][1].name == "table 1"
    assert TableReader().line("|---|") is None  # a separator with no header is nothing


def test_a_program_that_prints_a_table_shows_it_and_its_figures_as_numbers(program):
    s = program(MEASURES)
    run_free(s)
    (table,) = s.snapshot().tables
    assert (table.name, table.columns) == ("which way", ("way", "seconds", "items"))
    assert [row[0] for row in table.rows] == ["serial", "threads"]
    assert all(isinstance(row[1], float) and row[2] == 1000 for row in table.rows)


def test_headless_json_holds_the_printed_table(tmp_path):
    path = tmp_path / "measures.py"
    path.write_text(MEASURES.replace("\n    ", "\n"))
    done = run_cli(str(path), "--headless", "--json")
    assert done.returncode == 0, done.stderr
    tables = json.loads(done.stdout.splitlines()[-1])["final"]["tables"]
    assert list(tables) == ["which way"]
    assert [row[0] for row in tables["which way"]["rows"]] == ["serial", "threads"]


async def test_the_results_pane_shows_a_printed_table(program):
    s = program(MEASURES)
    app = IpcApp(s)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot, app)
            # (its header is printed before main's first step: the table is there, empty)
            assert shows(app, "which way", app.results_pane)
            assert not shows(app, "threads", app.results_pane)
            await pilot.press("f")
            for _ in range(100):
                await pilot.pause(0.05)
                app.sample()
                if s.finished():
                    break
            await settled(pilot, app)
            assert app.results_pane.display
            assert shows(app, "which way", app.results_pane)
            assert shows(app, "threads", app.results_pane)
    finally:
        app.close_session()
