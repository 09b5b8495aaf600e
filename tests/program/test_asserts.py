"""A program's own asserts are its check: the first that failed says what did not hold, in the
program's words; a program that ended with none failed lists the conditions that held."""

from __future__ import annotations

from ipc_tui.engine.check import Checked
from tests.program.conftest import run_free

RACE = """
    from multiprocessing import Process, Value


    def add(counter, times):
        for _ in range(times):
            counter.value += 1


    if __name__ == "__main__":
        counter = Value("i", 0)
        workers = [Process(target=add, args=(counter, 2), name=f"w{i}") for i in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert counter.value >= 2
        assert counter.value == 4, f"counter is {counter.value}, expected 4"
"""


def checked_after(s) -> Checked | None:
    run_free(s)
    assert s.wait_checked(10)
    return s.snapshot().checked


def test_the_first_failed_assert_says_what_did_not_hold_in_the_programs_words(program):
    s = program(RACE)
    assert s.snapshot().checked is None  # not before the end
    s.run_schedule("MainThreadx2,w0,w1,w0,w1")  # both read 0, both write 1: one update lost
    s.run_schedule("w0*,w1*")  # then one after the other (free, they might lose another)
    assert checked_after(s) == Checked(False, "counter is 3, expected 4")
    said = s.snapshot().verdict  # the run itself finished: the check is what went wrong
    assert said.kind == "finished" and s.snapshot().worker("MainThread").state == "failed"


def test_when_none_failed_the_conditions_that_held_are_listed(program):
    s = program(RACE)
    s.run_schedule("MainThreadx2,w0*,w1*")
    assert checked_after(s) == Checked(True, "counter.value >= 2; counter.value == 4")


def test_a_bare_assert_says_its_condition_and_in_a_child_too(program):
    s = program(
        """
        from multiprocessing import Process


        def child():
            total = 1
            assert total == 2


        if __name__ == "__main__":
            p = Process(target=child)
            p.start()
            p.join()
        """
    )
    assert checked_after(s) == Checked(False, "total == 2 does not hold")


def test_another_exception_is_a_failure_not_a_check_and_no_asserts_no_check(program):
    s = program(
        """
        assert True, "never fails"
        print(1 / 0)
        """
    )
    assert checked_after(s) is None  # (the failure itself is on screen: ZeroDivisionError)
    assert s.snapshot().worker("MainThread").state == "failed"
    t = program("print('hello')\n")
    assert checked_after(t) is None


def test_a_run_closed_before_its_end_is_not_checked(program):
    s = program(RACE)
    s.run_schedule("MainThreadx2,w0,w1,w0")
    s.close()
    assert s.snapshot().checked is None
