import sys
from multiprocessing import Array, Lock, Process

SEATS = 5


def philosopher(forks, meals, seat, rounds, fixed):
    left, right = seat, (seat + 1) % SEATS
    first, second = sorted((left, right)) if fixed else (left, right)
    for _ in range(rounds):
        with forks[first]:
            with forks[second]:
                meals[seat] += 1  # eat


if __name__ == "__main__":
    fixed = sys.argv[1:] == ["fixed"]  # python dining-philosophers.py fixed: lower fork first
    forks = [Lock() for _ in range(SEATS)]
    meals = Array("i", SEATS)
    table = [
        Process(target=philosopher, args=(forks, meals, seat, 2, fixed), name=f"p{seat}")
        for seat in range(SEATS)
    ]
    for p in table:
        p.start()
    for p in table:
        p.join()
    print("meals", list(meals))
    assert list(meals) == [2] * SEATS, f"meals {list(meals)}, expected 2 each"
