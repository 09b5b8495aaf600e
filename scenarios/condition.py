from multiprocessing import Condition, Process, Value


def eat(meals, kitchen, eaten, count):
    for _ in range(count):
        with kitchen:  # take the kitchen's lock
            kitchen.wait_for(lambda: meals.value > 0)  # none ready: let the lock go and wait
            meals.value -= 1  # (the lock is held again here)
            eaten.value += 1


def cook(meals, kitchen, count):
    for _ in range(count):
        with kitchen:
            meals.value += 1
            kitchen.notify()  # wake the eater; it goes on once it has the lock back


if __name__ == "__main__":
    kitchen = Condition()  # a lock, and a place to wait until told something changed
    meals = Value("i", 0)
    eaten = Value("i", 0)
    eater = Process(target=eat, args=(meals, kitchen, eaten, 3), name="eater")
    chef = Process(target=cook, args=(meals, kitchen, 3), name="cook")
    eater.start()
    chef.start()
    eater.join()
    chef.join()
    print("eaten", eaten.value, "left", meals.value)
    assert (eaten.value, meals.value) == (3, 0), f"eaten {eaten.value}, left {meals.value}"
