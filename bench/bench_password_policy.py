"""How long check_password takes for every length from 8 to 256, next to plain zxcvbn.

Run from the repository root:  python bench/bench_password_policy.py  [--runs 7] [--zxcvbn-up-to 256]

Plain zxcvbn (max_length=256) is run once per input, as it takes seconds to tens of seconds on
long random input; the whole run takes a few minutes. --zxcvbn-up-to 128 makes it quicker.
This prints figures; it is not a test (tests/unit/test_password_policy.py holds the tests).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout, installed or not

from zxcvbn import zxcvbn

from userhub.security.password_policy import PersonalDetails, Rule, check_password

GOAL_MS = 30.0
CPU_GOAL_MS = 5.0  # the worst CPU time over all inputs of a length
LENGTHS = list(range(8, 257, 8))  # 8, 16, ..., 256
SPECIALS = "~!@#$%^&*()-_=+[]{}|;:,.<>/?"
KEYBOARD = string.ascii_letters + string.digits + SPECIALS
JANE = PersonalDetails("Jane", "Doe", "Jane Doe", "jane.doe@example.com")


def random_strong(length: int, seed: int) -> str:
    rnd = random.Random(seed)
    chars = [rnd.choice(string.ascii_uppercase), rnd.choice(string.ascii_lowercase),
             rnd.choice(string.digits), rnd.choice(SPECIALS)]
    chars += [rnd.choice(KEYBOARD) for _ in range(length - len(chars))]
    rnd.shuffle(chars)
    return "".join(chars)


def inputs(length: int) -> dict[str, str]:
    """The inputs timed at one length; weak ones are (weak unit, text) for the rejection check."""
    return {
        "random strong A": random_strong(length, seed=length),
        "random strong B": random_strong(length, seed=1000 + length),
        "repeated Password1!": ("Password1!" * 26)[:length],
        "repeated ab": ("ab" * 128)[:length],
        "repeated P@ssw0rd": ("P@ssw0rd" * 32)[:length],
        "word + one char": "password" + "!" * (length - 8),
        "word + digits run": "Summer" + "1" * (length - 6),
        # a weak unit repeated with the small changes people make: refused like plain repeats
        "counter": "".join(f"Password{k}!" for k in range(1, 40))[:length],
        "alternation": "".join(f"Password1{'!?'[k % 2]}/" for k in range(40))[:length],
        "changing separator": "".join(f"Soleil2024{'-_.!?#~'[k % 7]}" for k in range(40))[:length],
        "walk back and forth": ("qwertyuiopPOIUYTREWQ" * 13)[:length - 2] + "1!",
        "name and year": ("Michel2024!" * 24)[:length],
        # adversarial for the search itself: no repeat at all, or repeats everywhere
        "square-free": ("A1!" + square_free(length))[:length],
        "abacaba": ("A1!" + abacaba(length))[:length],
        "near-repeat": "".join(unit[:k % 10] + "#" + unit[k % 10 + 1:]
                               for k, unit in enumerate(["Password1!"] * 26))[:length],
    }


WEAK_UNIT = {"repeated Password1!": 10, "repeated ab": 2, "repeated P@ssw0rd": 8,
             "word + one char": 0, "word + digits run": 0, "counter": 10, "alternation": 11,
             "changing separator": 11, "walk back and forth": 20, "name and year": 11}


def square_free(length: int) -> str:
    """Thue's ternary word (no two equal neighbours, no square at all): no repeat to drop."""
    thue_morse = [bin(k).count("1") % 2 for k in range(length + 1)]
    return "".join("abc"[thue_morse[k + 1] - thue_morse[k] + 1] for k in range(length))


def abacaba(length: int) -> str:
    """The Zimin word a b a c a b a d ...: squares at every scale, no two equal neighbours."""
    word = ""
    for letter in string.ascii_lowercase:
        word = word + letter + word
        if len(word) >= length:
            return word[:length]
    return word[:length]


def hard_inputs(length: int) -> dict[str, str]:
    """Inputs chosen to be slow for this implementation (many matches or l33t readings)."""
    rnd = random.Random(length)
    words = ["state", "college", "battle", "social", "total", "coast", "title", "class", "site"]
    leet = str.maketrans("aeiostlgbc", "4310$7|98(")
    return {
        "every l33t character": "".join(rnd.choice("!$%(+0123456789<@[{|") for _ in range(length)),
        "digits": "".join(rnd.choice(string.digits) for _ in range(length)),
        "dates": "".join(f"{rnd.randint(1, 28):02d}{rnd.randint(1, 12):02d}{rnd.randint(1950, 2020)}"
                         for _ in range(length // 8 + 1))[:length],
        "l33t words": "".join(rnd.choice(words).translate(leet) for _ in range(length))[:length],
        "capitalised words": "".join(rnd.choice(words).title() for _ in range(length))[:length],
    }


def time_ours(password: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per run (CPU time leaves out other processes' turns)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        check_password(password, JANE)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return wall, cpu


def time_zxcvbn(password: str) -> float:
    started = time.perf_counter()
    zxcvbn(password, max_length=256)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="check_password runs per input")
    parser.add_argument("--zxcvbn-up-to", type=int, default=256, help="longest input for zxcvbn")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
          f"{args.runs} runs per input; zxcvbn once per input up to {args.zxcvbn_up_to}")
    started = time.thread_time()
    check_password("first check", JANE)  # reads the word lists, once per process
    print(f"word lists read on the first check: {(time.thread_time() - started) * 1000:.0f} ms CPU")
    print(f"{'length':>6} | {'ours median ms':>14} | {'ours worst ms':>13} | {'worst CPU ms':>12} | "
          f"{'zxcvbn median ms':>16} | {'zxcvbn / ours':>13}")
    rows, refused, kept, accepted, strong_total, at_256 = {}, [], [], 0, 0, []
    for length in LENGTHS:
        ours, ours_cpu, theirs = [], [], []
        for name, password in inputs(length).items():
            wall, cpu = time_ours(password, args.runs)
            ours += wall
            ours_cpu += cpu
            if length <= args.zxcvbn_up_to:
                theirs.append(time_zxcvbn(password))
            if length == 256:
                zx_once = theirs[-1] if theirs else None
                at_256.append((name, statistics.median(wall), max(wall), zx_once))
            rules = check_password(password, JANE)
            if name.startswith("random") and length >= 9:
                strong_total += 1
                accepted += rules == []
            elif name in WEAK_UNIT and length >= 2 * WEAK_UNIT[name]:  # two copies or more
                (refused if Rule.STRENGTH in rules else kept).append((name, length))
        median, worst = statistics.median(ours), max(ours)
        zx = statistics.median(theirs) if theirs else None
        rows[length] = (median, worst, zx, max(ours_cpu))
        zx_text = f"{zx:16.1f} | {zx / median:12.0f}x" if zx else f"{'-':>16} | {'-':>13}"
        print(f"{length:>6} | {median:14.2f} | {worst:13.2f} | {max(ours_cpu):12.2f} | {zx_text}",
              flush=True)

    print("\nHard inputs for this implementation (ours only; zxcvbn takes minutes on some):")
    print(f"{'input':>22} | {'length':>6} | {'median ms':>9} | {'worst ms':>8} | "
          f"{'worst CPU ms':>12} | rules broken")
    hard_worst = hard_worst_cpu = 0.0
    for length in (32, 64, 128, 256):
        for name, password in hard_inputs(length).items():
            times, cpu = time_ours(password, args.runs)
            hard_worst, hard_worst_cpu = max(hard_worst, *times), max(hard_worst_cpu, *cpu)
            broken = ",".join(rule.value for rule in check_password(password, JANE)) or "-"
            print(f"{name:>22} | {length:>6} | {statistics.median(times):9.2f} | "
                  f"{max(times):8.2f} | {max(cpu):12.2f} | {broken}")

    max_median = max(rows.items(), key=lambda item: item[1][0])
    max_worst = max(rows.items(), key=lambda item: item[1][1])
    median256, worst256, zx256, cpu256 = rows[256]
    worst_cpu = max(row[3] for row in rows.values())
    ok = max_median[1][0] <= GOAL_MS and max_worst[1][1] <= GOAL_MS
    print("\nAt 256, input by input (ms): ours median / ours worst / zxcvbn")
    for name, median, worst, zx in at_256:
        print(f"{name:>22} | {median:7.2f} | {worst:7.2f} | " + (f"{zx:9.0f}" if zx else "-"))
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    print(f"at 256: ours median {median256:.2f} ms, worst {worst256:.2f} ms (CPU {cpu256:.2f}); "
          + (f"zxcvbn median {zx256:.0f} ms ({zx256 / median256:.0f}x)" if zx256 else "zxcvbn not run"))
    print(f"{'PASS' if ok else 'FAIL'}: check_password within {GOAL_MS:.0f} ms for every length 8-256"
          f" (largest median {max_median[1][0]:.2f} ms at {max_median[0]},"
          f" largest worst {max_worst[1][1]:.2f} ms at {max_worst[0]}, CPU {worst_cpu:.2f} ms;"
          f" hard inputs worst {hard_worst:.2f} ms, CPU {hard_worst_cpu:.2f} ms)")
    cpu_by_length = {length: row[3] for length, row in rows.items()}
    cpu_worst_length = max(cpu_by_length, key=cpu_by_length.__getitem__)
    cpu_ok = cpu_by_length[cpu_worst_length] <= CPU_GOAL_MS
    print(f"{'PASS' if cpu_ok else 'FAIL'} (goal): worst CPU time over all inputs under "
          f"{CPU_GOAL_MS:.0f} ms at every length 8-256 (worst {cpu_by_length[cpu_worst_length]:.2f} ms "
          f"at {cpu_worst_length}; hard inputs worst CPU {hard_worst_cpu:.2f} ms)")
    weak_ok = not kept
    print(f"{'PASS' if weak_ok else 'FAIL'}: weak long passwords refused (STRENGTH): "
          f"{len(refused)}/{len(refused) + len(kept)} repeated or padded inputs of two copies or "
          f"more{'' if weak_ok else f'; accepted: {kept}'}; random strong accepted: "
          f"{accepted}/{strong_total} (9-256)")
    return 0 if ok and weak_ok and accepted == strong_total else 1


if __name__ == "__main__":
    sys.exit(main())
