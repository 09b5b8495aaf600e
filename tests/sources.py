"""Scenario files that several tests run: two workers counting under a lock, a worker that
raises, workers deadlocked, workers looping."""

COUNTING = """
    from ipc_tui.scenario import Lock, Process, Value
    lock = Lock()
    n = Value("i", 0)

    def count():
        for _ in range({times}):
            with lock:
                n.value += 1

    Process(target=count)
    Process(target=count)
"""

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

HOLDERS = """
    from ipc_tui.scenario import Lock, Process, Semaphore, Value
    lock = Lock()
    permits = Semaphore(1)
    total = Value("i", 0)
    tens = Value("i", 0)

    def with_lock():
        with lock:
            total.value += 1

    def with_permit():
        with permits:
            tens.value += 10

    Process(target=with_lock)
    Process(target=with_lock)
    Process(target=with_permit)
    Process(target=with_permit)
"""

LOOPS = """
    from ipc_tui.scenario import Process, Value
    n = Value("i", 0)

    def spin():
        n.value = 1
        while True:  # for ever, and never another step
            pass

    def count():
        for _ in range(3):
            n.value += 1

    Process(target=spin)
    Process(target=count)
"""

PARTIAL_DEADLOCK = """
    from ipc_tui.scenario import Lock, Process, sleep
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

    def bystander():
        for _ in range(100):
            sleep(0.5)

    Process(target=one)
    Process(target=two)
    Process(target=bystander)
"""

# The same circle through a semaphore: anybody may release one, so while the bystander runs it
# could still let them go; once it has ended, nobody can.
SEMAPHORE_CIRCLE = """
    from ipc_tui.scenario import Lock, Process, Semaphore, sleep
    a = Lock()
    b = Semaphore(1)

    def one():
        with a:
            with b:
                pass

    def two():
        with b:
            with a:
                pass

    def bystander():
        for _ in range(3):
            sleep(0.2)

    Process(target=one)
    Process(target=two)
    Process(target=bystander)
"""
