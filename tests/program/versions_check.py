"""Run by another CPython (tests/program/test_python_versions.py), with only the engine on its
path: each placement of one switch inside `counter += 1`, stepped by instructions, loses the
update exactly between the load and the store; prints what it saw, as JSON."""

import dis
import json
import sys
import tempfile
import textwrap
from pathlib import Path

from ipc_tui.engine.loader import read_info
from ipc_tui.engine.program.session import ProgramSession

SOURCE = """\
    import threading

    counter = 0


    def add():
        global counter
        counter += 1


    if __name__ == "__main__":
        workers = [threading.Thread(target=add, name=f"w{i}") for i in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
"""


def main() -> None:
    namespace: dict = {}
    exec(textwrap.dedent(SOURCE).replace('if __name__ == "__main__":', "if False:"), namespace)
    names = [i.opname for i in dis.get_instructions(namespace["add"])]
    names = [n for n in names if n not in ("CACHE", "RESUME")]
    line = names[names.index("LOAD_GLOBAL") :]
    path = Path(tempfile.mkdtemp()) / "one.py"
    path.write_text(textwrap.dedent(SOURCE))
    seen = []
    for k in range(line.index("STORE_GLOBAL") + 2):
        s = ProgramSession(read_info(path))
        try:
            s.start()
            s.wait_started(15)
            turns = "MainThreadx2" + (f",w0:ix{k}" if k else "") + ",w1*,w0*"
            notes = s.run_schedule(turns, timeout=20)
            s.run()
            s.wait_exited(20)
            events = s.drain_events()
            ops = [e.op.split()[0] for e in events if e.kind == "step" and e.worker == "w0"]
            counter = next(c.value for c in s.snapshot().cells if c.name == "counter")
            seen.append({"k": k, "counter": counter, "w0": ops[:k], "notes": notes})
        finally:
            s.close()
    # The explorer on this Python: both outcomes of the lost update, and the search complete
    from ipc_tui.engine.explore import Explorer

    rep = Explorer(read_info(path), seconds=120).explore()
    explored = {
        "counters": sorted(dict(f.outcome.cells)["counter"] for f in rep.found),
        "complete": rep.complete,
        "diverged": rep.diverged,
    }
    print(
        json.dumps(
            {
                "version": list(sys.version_info[:2]),
                "line": line,
                "seen": seen,
                "explored": explored,
            }
        )
    )


if __name__ == "__main__":
    main()
