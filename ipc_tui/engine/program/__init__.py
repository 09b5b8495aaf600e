"""Plain Python programs, unchanged: run in a process of their own, watched and stepped.

Inside the program (every process of it):

    hook.py     the student's `import multiprocessing, threading, time` get watched versions
                (only the program's own files: the standard library keeps the real ones)
    watched.py  those versions: Value, Array, Lock, RLock, Semaphore, Event, Process, Thread,
                sleep, each the real object underneath, each operation one step
    agent.py    one per process: the connection to the session, the gates, what was made here
    launcher.py runs the program's file as `__main__`, as `python file.py` would

In the session (the app's process, or headless):

    session.py  ProgramSession: starts the launcher, hands the reports to the board, steers
"""
