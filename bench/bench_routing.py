"""How long "where will my call go?" and the loop check at save take, in the worst realistic cases.

Run from the repository root:  python bench/bench_routing.py  [--calls 2000] [--saves 50]

1. evaluate() for a user with every feature enabled, 10 criteria per feature (12 numbers each, the
   platform maximum) and schedules with weekly and yearly rules, once with rule-checking callables
   (as ``schedules.in_effect`` would be) and once with interval sets expanded over a year. Callers
   are mostly numbers that match no rule, so every criterion is looked at, and selective accept lets
   every call through so that the whole pipeline runs. Goal: < 5 ms.
2. find_loop() when a user saves a forwarding in an organization of 10,000 users where every user
   forwards or rings three others and nothing comes back: the search visits the whole organization.
   Goal: < 50 ms.
Each figure is given as wall-clock time and as CPU time of the measuring thread: on a shared machine
the wall clock also counts time other processes held the CPU (run it on an idle machine for the goal).
This prints figures; it is not a test (tests/routing/ holds the tests).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout, installed or not

from userhub.routing.evaluate import evaluate
from userhub.routing.loops import Destination, Directory, find_loop
from userhub.routing.inputs import (
    ANONYMOUS,
    CallsFrom,
    Criterion,
    ExecutiveFiltering,
    FilterType,
    Forwarding,
    IncomingCall,
    IntervalSchedule,
    RingNumber,
    Rollover,
    RoutingSettings,
    Schedule,
    Screening,
    SelectiveForward,
    SequentialRing,
    SimultaneousRing,
    Voicemail,
)
from userhub.routing.route import Feature

PARIS = ZoneInfo("Europe/Paris")
EVALUATE_GOAL_MS, LOOP_GOAL_MS = 5.0, 50.0
HOLIDAYS_BY_DATE = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]


def last_weekday(year: int, month: int, weekday: int) -> date:
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def rule_schedule(name: str, offset: int) -> Schedule:
    """Weekly office hours with a lunch break, minus yearly holidays by date and by day."""
    def active_at(moment: datetime) -> bool:
        day = moment.date()
        if (day.month, day.day) in HOLIDAYS_BY_DATE or day == last_weekday(day.year, 5, 0):
            return False
        minutes = moment.hour * 60 + moment.minute
        return day.weekday() < 5 and (540 + offset <= minutes < 720 or 810 <= minutes < 1080 - offset)
    return Schedule(name, active_at)


def interval_schedule(name: str, offset: int) -> Schedule:
    rules = rule_schedule(name, offset).active_at
    start = datetime(2026, 1, 1, tzinfo=PARIS)
    intervals, opened = [], None
    for quarter in range(366 * 96):  # a year in 15-minute slices
        moment = start + timedelta(minutes=15 * quarter)
        if rules(moment) and opened is None:
            opened = moment
        elif not rules(moment) and opened is not None:
            intervals.append((opened, moment))
            opened = None
    return Schedule(name, IntervalSchedule.of(intervals))


def criteria(schedules: list[Schedule], rnd: random.Random, *, forward: bool = False) -> tuple[Criterion, ...]:
    rules = []
    for index in range(10):
        numbers = frozenset(f"+3361{rnd.randrange(10**7):07d}" for _ in range(12))
        rules.append(Criterion(f"Règle {index}", positive=index % 4 != 0, calls_from=CallsFrom.SELECTED,
                               numbers=numbers, anonymous=index == 9, schedule=schedules[index % len(schedules)],
                               forward_to="+33699999999" if forward else None))
    return tuple(rules)


def full_settings(schedules: list[Schedule]) -> RoutingSettings:
    rnd = random.Random(7)
    ring = tuple(RingNumber(f"+3362{i:07d}", rings=3) for i in range(5))
    return RoutingSettings(
        selective_reject=Screening(True, criteria(schedules, rnd)),
        selective_accept=Screening(True, criteria(schedules, rnd) + (Criterion("Tous"),)),
        anonymous_rejection=True,
        selective_forward=SelectiveForward(True, "+33698888888", criteria=criteria(schedules, rnd, forward=True)),
        call_notify=Screening(True, criteria(schedules, rnd)),
        forward_always=Forwarding(False, "+33697777777"),  # on, it would end every route at once
        forward_busy=Forwarding(True, "+33696666666"), forward_no_answer=Forwarding(True, "+33695555555", rings=4),
        business_continuity=Forwarding(True, "+33694444444"), do_not_disturb=False, call_waiting=True,
        sequential_ring=SequentialRing(True, continue_if_base_busy=True, numbers=ring,
                                       criteria=criteria(schedules, rnd)),
        simultaneous_ring=SimultaneousRing(True, ring[:3], apply_criteria=True, criteria=criteria(schedules, rnd)),
        single_number_reach=ring[:2], priority_alert=Screening(True, criteria(schedules, rnd)),
        voicemail=Voicemail(True, send_busy=True, send_unanswered=True, rings=5),
        executive_filtering=ExecutiveFiltering(True, FilterType.CUSTOM, criteria(schedules, rnd), ring[:2],
                                               sequential=True, rollover=Rollover.NO_ANSWER))


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one call. On a busy machine the wall clock also counts the
    time other processes held the CPU; the CPU time is what the function itself costs."""
    wall, cpu = time.perf_counter(), time.thread_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def bench_evaluate(label: str, schedules: list[Schedule], calls: int) -> None:
    settings = full_settings(schedules)
    rnd = random.Random(11)
    start = datetime(2026, 1, 1, tzinfo=PARIS)
    samples: list[float] = []
    calls_made: list[IncomingCall] = []
    for _ in range(50):  # warm-up (first calls pay for imports and caches)
        evaluate(settings, IncomingCall(start, "+33612345678"))
    for _ in range(calls):
        caller = ANONYMOUS if rnd.random() < 0.05 else f"+3361{rnd.randrange(10**7):07d}"
        call = IncomingCall(start + timedelta(minutes=rnd.randrange(365 * 24 * 60)), caller,
                            internal=rnd.random() < 0.3, on_call=rnd.random() < 0.3, reachable=rnd.random() < 0.9)
        calls_made.append(call)
    gc.collect()
    cpu: list[float] = []
    for call in calls_made:
        wall_ms, cpu_ms = timed(lambda: evaluate(settings, call))  # noqa: B023  (called at once)
        samples.append(wall_ms)
        cpu.append(cpu_ms)
    report(f"evaluate, {label}", samples, EVALUATE_GOAL_MS, cpu)


def bench_loops(users: int, saves: int) -> None:
    rnd = random.Random(3)
    owners = {f"+331{user:08d}": user for user in range(users)}
    owners.update({f"{1000 + user}": user for user in range(users)})
    directory = Directory(owners)
    kinds = [Feature.FORWARD_BUSY, Feature.SEQUENTIAL_RING, Feature.SINGLE_NUMBER_REACH]
    # user u only points to users > u: no cycle, and a save by user 0 reaches everyone
    graph = {user: [Destination(kind, f"{1000 + rnd.randrange(user + 1, users)}") for kind in kinds]
             for user in range(users - 1)}
    samples, cpu = [], []
    for save in range(saves):
        saver = save % 5  # low ids: their searches visit (nearly) the whole organization
        proposed = [Destination(Feature.FORWARD_ALWAYS, f"{1000 + saver + 1}")]
        wall_ms, cpu_ms = timed(lambda: find_loop(graph, directory, saver, proposed))  # noqa: B023
        samples.append(wall_ms)
        cpu.append(cpu_ms)
    assert find_loop(graph, directory, 0, [Destination(Feature.FORWARD_ALWAYS, "1001")]) is None
    report(f"find_loop, {users} users, no loop (whole graph visited)", samples, LOOP_GOAL_MS, cpu)
    graph[users - 1] = [Destination(Feature.FORWARD_ALWAYS, "1000")]
    began = time.perf_counter()
    loop = find_loop(graph, directory, 0, [Destination(Feature.FORWARD_ALWAYS, "1001")])
    elapsed = (time.perf_counter() - began) * 1000
    print(f"find_loop, loop back from the last user: {elapsed:.2f} ms, path of {len(loop or ())} hops")


def report(label: str, samples: list[float], goal: float, cpu: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    verdict = "OK" if ordered[-1] < goal else "over goal"
    cpu_verdict = "OK" if max(cpu) < goal else "over goal"
    print(f"{label} ({len(ordered)} runs, goal < {goal} ms)\n"
          f"  wall clock: median {statistics.median(ordered):.3f} ms, p99 {p99:.3f} ms, worst {ordered[-1]:.3f} ms"
          f" [{verdict}]\n"
          f"  CPU time:   median {statistics.median(cpu):.3f} ms, worst {max(cpu):.3f} ms [{cpu_verdict}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--users", type=int, default=10_000)
    args = parser.parse_args()
    bench_evaluate("rule-checking schedules", [rule_schedule(f"S{i}", 15 * i) for i in range(3)], args.calls)
    bench_evaluate("interval-set schedules", [interval_schedule(f"S{i}", 15 * i) for i in range(3)], args.calls)
    bench_loops(args.users, args.saves)


if __name__ == "__main__":
    main()
