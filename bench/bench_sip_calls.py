"""Calls end to end through Kamailio (kamailio/kamailio.cfg) with SIPp, decided by userhub.

Run from the repository root:  python bench/bench_sip_calls.py  [--rate 100] [--seconds 60] [--users 50]

Seeds --users people with SIP accounts and varied settings in a private PostgreSQL schema (the same mix
as bench_call_decision.py), starts userhub under gunicorn (2 workers), Kamailio with the shipped
configuration, one SIPp phone that every person registers to with digest (it answers at once), SIPp
gateway and voicemail, then a SIPp caller places --rate calls per second for --seconds to those people.
Prints the calls answered and failed, the call set-up time (INVITE to 200 OK, as SIPp measures it) and
the decision's share of it (the decision's time inside userhub, from its access log: median decision
over median set-up), with the load average before and after. Goal (issue 15): no failed call at 100/s
for 60 s. Prints figures; not run by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_call_decision import seed
from tests.conftest import DEFAULT_PG_URL, drop_postgres_schema, make_postgres_schema
from tests.sip.harness import SCENARIOS, Lab, Userhub
from userhub import create_app
from userhub.extensions import db

PG_URL = os.environ.get("USERHUB_TEST_POSTGRES_URL", DEFAULT_PG_URL)
# Rate limits in Redis shared by the workers, as the README's production layout has them (memory:// starts a
# timer thread per request in each worker, which production does not pay).
PRODUCTION_LIMITS = {"USERHUB_RATELIMIT_STORAGE_URL": os.environ.get("USERHUB_BENCH_REDIS",
                                                                  "redis://127.0.0.1:6379/13")}

PASSWORD = "correct-horse-battery"


def sip_users() -> list[str]:
    from userhub.sip.models import SipAccount

    return [a.sip_user for a in db.session.query(SipAccount).order_by(SipAccount.id)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=50)
    arguments = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)", flush=True)
    # a stopped run still ends its servers and drops its schema (the finally blocks below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    folder = Path(tempfile.mkdtemp(prefix="bench-sip-"))
    schema, url = make_postgres_schema(PG_URL)
    server = lab = None
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "USERHUB_ARGON2_PROFILE": "test"})
        with app.app_context():
            import userhub.models  # noqa: F401

            db.create_all()
            token, numbers = seed(arguments.users)
            users = sip_users()
            db.session.remove()
        server = Userhub(url, folder, PRODUCTION_LIMITS)
        server.start()
        lab = Lab(folder, server.url, token, trace=False)  # message traces would cost more than the calls
        lab.start()
        phones = lab.phone("phones", answer_ms=1)
        lab.register(*((user, PASSWORD, phones) for user in users))
        called = folder / "called.csv"
        called.write_text("SEQUENTIAL\n" + "".join(f"{number};\n" for number in numbers))
        text = (SCENARIOS / "caller.xml").read_text()
        text = text.replace('<send retrans="500">', '<send retrans="500" start_rtd="1">', 1)
        text = text.replace('<recv response="200" rrs="true"/>', '<recv response="200" rrs="true" rtd="1"/>')
        total = arguments.rate * arguments.seconds
        failures = "\n".join(f'  <recv response="{code}" optional="true" next="failed"/>'
                             for code in (403, 404, 408, 433, 480, 482, 486, 487, 500, 503, 603))
        bench_scenario = folder / "bench_caller.xml"
        bench_scenario.write_text(text.replace("EXTRA_HEADERS\n", "").replace("FAILURES", failures)
                                  .replace("CALLED", "[field0]").replace("CALLER", "+33612345678")
                                  .replace("FROM_DOMAIN", "public.example").replace("HOLD_MS", "100"))
        started = time.time()
        caller = lab.sipp("bench-caller", str(bench_scenario), extra=[
            "-inf", str(called), "-r", str(arguments.rate), "-m", str(total), "-l", str(arguments.rate * 5),
            "-trace_rtt", "-rtt_freq", "1", "-trace_screen", "-timeout", f"{arguments.seconds + 60}s",
            "-timeout_error", f"127.0.0.1:{lab.proxy_port}"])
        code = caller.process.wait(timeout=arguments.seconds + 90)
        elapsed = time.time() - started
    finally:
        if lab is not None:
            lab.stop()
        if server is not None:
            server.stop()
        drop_postgres_schema(PG_URL, schema)
    rtts = []
    for path in folder.glob("bench-caller*_rtt.csv"):
        for line in path.read_text().splitlines()[1:]:
            fields = line.split(";")
            if len(fields) >= 3:
                rtts.append(float(fields[1]))
    screen = "\n".join(p.read_text(errors="replace") for p in folder.glob("bench-caller*_screen.log"))
    successful = re.findall(r"Successful call\s*\|\s*\d+\s*\|\s*(\d+)", screen)
    failed = re.findall(r"Failed call\s*\|\s*\d+\s*\|\s*(\d+)", screen)
    decisions = []
    for line in server.log.read_text(errors="replace").splitlines():
        if line.startswith("{") and "/sip/decision" in line:
            found = re.search(r"GET /sip/decision (\d{3}) ([\d.]+)ms", json.loads(line).get("message", ""))
            if found:
                decisions.append(float(found.group(2)))
    print(f"SIP calls through Kamailio: {arguments.rate}/s for {arguments.seconds} s ({total} calls, "
          f"{arguments.users} people) in {elapsed:.1f} s; SIPp exit code {code}")
    print(f"  calls answered (200 OK with a set-up time): {len(rtts)}; SIPp successful "
          f"{successful[-1] if successful else '?'}, failed {failed[-1] if failed else '?'}; "
          f"not answered: {total - len(rtts)}")
    if rtts:
        rtts.sort()
        print(f"  set-up time ms (INVITE to 200 OK): median {statistics.median(rtts):.1f}, "
              f"p95 {rtts[int(0.95 * len(rtts))]:.1f}, p99 {rtts[int(0.99 * len(rtts))]:.1f}")
    if decisions and rtts:
        decisions.sort()
        share = statistics.median(decisions) / statistics.median(rtts)
        print(f"  decision inside userhub ms: median {statistics.median(decisions):.1f}, "
              f"p95 {decisions[int(0.95 * len(decisions))]:.1f} ({len(decisions)} decisions); "
              f"share of the median set-up time: {share:.0%}")
    elif not decisions:
        print("  decision inside userhub: no access log line found (share not computed)")
    print(f"  files: {folder}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
