"""Scenario files that several tests run: a worker that raises, two workers deadlocked."""

RAISES = """
    from ipc_tui.scenario import Process, Value
    n = Value("i", 0)

    def bad():
        n.value = 1
        return {}["missing"]

    def good():
        for _ in range(5):
            n.value += 1

    Process(target=bad)
    Process(target=good)
"""

DEADLOCK = """
    from ipc_tui.scenario import Lock, Process
    a = Lock()
    b = Lock()

    def one():
        with a:
            with b:
                pass

    def two():
        with b:
            with a:
                pass

    Process(target=one)
    Process(target=two)
"""
