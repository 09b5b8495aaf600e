import dis
import linecache
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from multiprocessing import Pipe, Process, RawArray
from threading import Thread

# python gil.py [5ms|1ms|20ms|100ms] [--quick]: the switch interval, and a small size
SWITCH_MS = int(next((a for a in sys.argv[1:] if a.endswith("ms")), "5ms")[:-2])
QUICK = "--quick" in sys.argv

COUNT_TO = 3_000_000 if QUICK else 15_000_000
LINES = 200_000 if QUICK else 1_500_000
WAIT = 0.1 if QUICK else 0.5
TASKS = 10

# The notes' seconds (serial, threads, processes), on the course's machine, for the full work
NOTES = {"CPU": (8.69, 8.57, 4.01), "file I/O": (4.22, 4.17, 2.19)}


def count(n):  # CPU: the notes' counting loop
    c = 0
    while c < n:
        c += 1


def write_and_read(lines):  # file I/O: write a file, then read it back
    with tempfile.TemporaryFile("w+") as f:
        for _ in range(lines):
            f.write("hello world\n")
        f.flush()
        os.fsync(f.fileno())
        f.seek(0)
        f.readlines()


def wait(seconds):  # latency I/O: a reply that takes a while
    time.sleep(seconds)


WORK = {"CPU": (count, COUNT_TO), "file I/O": (write_and_read, LINES), "latency I/O": (wait, WAIT)}


def warm_up(seconds=1.0):  # the first second of work runs slower (the CPU speeds up): unfair
    began = time.perf_counter()  # to whichever way is timed first, so count untimed first
    while time.perf_counter() - began < seconds:
        count(100_000)


def timed(way, func, arg):
    began = time.perf_counter()
    if way == "serial":
        for _ in range(TASKS):
            func(arg)
    else:
        kind = Thread if way == "threads" else Process
        tasks = [kind(target=func, args=(arg,)) for _ in range(TASKS)]
        for t in tasks:
            t.start()
        for t in tasks:
            t.join()
    return time.perf_counter() - began


# -- which thread runs: three threads bump one counter, and each its own in shared memory; main
# reads those every ms from outside; inside their process, its main thread looks where they stopped

counter = 0  # the three threads' one count: `counter += 1` is a read, an add and a write


def spin(counters, me):
    global counter
    while True:
        counter += 1  # a switch landing between its read and its write would lose a count
        counters[me] += 1


def where_stopped(spinners, seconds):  # while this thread runs, it holds the GIL: every
    stops = Counter()  # spinner is stopped at a real instruction, and its frame says which
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        time.sleep(0.001)
        frames = sys._current_frames()
        for t in spinners:
            frame = frames[t.ident]
            if frame.f_code is spin.__code__:
                stops[frame.f_lineno, frame.f_lasti] += 1
    return stops


def three_threads(counters, switch, seconds, sending):
    sys.setswitchinterval(switch)
    threads = [Thread(target=spin, args=(counters, me), daemon=True) for me in range(3)]
    for t in threads:
        t.start()
    sending.send(where_stopped(threads, seconds))
    threads[0].join()  # for ever: main ends this process


def who_runs(seconds):
    counters = RawArray("Q", 3)
    receiving, sending = Pipe(duplex=False)
    args = (counters, SWITCH_MS / 1000, seconds, sending)
    spinner = Process(target=three_threads, args=args, daemon=True)
    spinner.start()
    while not any(counters[:]):
        time.sleep(0.01)
    strips = ["", "", ""]
    before, samples, alone, turns, last = counters[:], 0, 0, [], None
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        time.sleep(0.001)
        after = counters[:]
        moved = [i for i in range(3) if after[i] != before[i]]
        before, samples = after, samples + 1
        strips = [s + ("█" if i in moved else " ") for i, s in enumerate(strips)]
        one = moved[0] if len(moved) == 1 else None
        alone += one is not None
        if one is not None and one == last:
            turns[-1] += 1
        elif one is not None:
            turns.append(1)
        last = one
    every_ms = (time.perf_counter() - began) * 1000 / samples
    stops = receiving.recv() if receiving.poll(30) else Counter()
    spinner.terminate()
    spinner.join()
    print("which thread runs")
    print("| thread | moved? (newest right) | share |")  # of the samples in which it moved
    print("|---|---|---|")
    for i, strip in enumerate(strips):
        print(f"| thread {i} | {strip[-24:]} | {strip.count('█') / samples:.3f} |")
    print(f"| one alone | share of samples | {alone / samples:.3f} |")
    turn = statistics.mean(turns) * every_ms if turns else 0
    print(f"| a turn | ms alone, on average | {turn:.2f} |")
    landed, inside = where_landed(stops)
    for op, line, share in landed[:1]:  # where most landed (every place: the line below)
        print(f"| switch at | {op}, line {line} | {share:.3f} |")
    print(f"sys.setswitchinterval({SWITCH_MS / 1000:g}): a sample every {every_ms:.1f} ms")
    print_where_landed(landed, inside, sum(stops.values()))


def instruction_at(lasti):  # the last instruction that starts at or before f_lasti (3.11+:
    at = "(start)"  # it can point into an instruction's CACHE entries; 3.10: -1 at the start)
    for instruction in dis.get_instructions(spin):
        if instruction.offset <= lasti:
            at = instruction.opname
    return at


def where_landed(stops):
    """Each (instruction, line) with its share of the stops, most first; and the share of them
    inside `counter += 1`: after its load, before its store."""
    load, store = [i.offset for i in dis.get_instructions(spin) if i.argval == "counter"]
    places, inside = Counter(), 0
    for (line, lasti), n in stops.items():
        places[instruction_at(lasti), line] += n
        inside += n if load <= lasti < store else 0
    total = max(1, sum(stops.values()))
    return [(op, line, n / total) for (op, line), n in places.most_common()], inside / total


def source(line):  # the program's line, without its comment
    return linecache.getline(__file__, line).split("#")[0].strip()


def print_where_landed(landed, inside, stops):
    said = [f"{op} on {line} `{source(line)}` {share:.3f}" for op, line, share in landed[:4]]
    if len(landed) > 4:
        said.append(f"other {sum(share for *_, share in landed[4:]):.3f}")
    said.append(f"inside `counter += 1` {inside:.3f}")
    print(f"where the switches landed, of {stops} stops: " + ", ".join(said))


if __name__ == "__main__":
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"{cores} cores, Python {sys.version.split()[0]}, GIL {'on' if gil else 'off'}")
    who_runs(1.0 if QUICK else 3.0)

    warm_up()
    print(f"seconds for {TASKS} tasks, each way")  # the same tasks: serial, threads, processes
    print("| work | serial | threads | processes |")
    print("|---|---:|---:|---:|")
    for work, (func, arg) in WORK.items():
        seconds = [timed(way, func, arg) for way in ("serial", "threads", "processes")]
        print(f"| {work} | " + " | ".join(f"{s:.2f}" for s in seconds) + " |")
        if work in NOTES and not QUICK:
            print(f"| {work}, the notes | " + " | ".join(f"{s:.2f}" for s in NOTES[work]) + " |")
    print("the quick size: not the notes' work" if QUICK else f"{TASKS} tasks each way")
