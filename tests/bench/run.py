"""``make bench``: generate an organisation, serve it with gunicorn, load it with locust, report.

    make bench                                   # 10,000 people: a few minutes on a laptop
    make bench BENCH_ARGS="--people 100000"      # the reference run (issue 2, "Speed")
    .venv/bin/python tests/bench/run.py --help

Steps, each bounded in time:

1. A fresh database: by default the PostgreSQL database ``journey_bench`` on 127.0.0.1:5432
   (user postgres), dropped and created again; when PostgreSQL is not reachable, a SQLite file in a
   temporary folder. ``--database-url`` uses a given (empty) database instead.
2. The schema by ``flask db upgrade heads``. When the migrations lag behind the models (tables or
   columns missing afterwards), the database is made again and the schema built with
   ``db.create_all()``; the report says so.
3. ``flask journey generate --people N --seed 1``, timed; then ``VACUUM ANALYZE`` (``ANALYZE`` on
   SQLite), as autovacuum would do after such a bulk load.
4. ``gunicorn wsgi:app`` on a free loopback port, in production mode with a generated secret key.
5. Per page in PAGES, one headless locust run (tests/bench/locustfile.py): ``--users`` users
   without think time for ``--duration`` seconds, signed in as the GGZ HR administrator.
6. docs/benchmarks.md: the run's conditions, a row per page (requests/s, p50/p95/p99, failures)
   and the reference goals. gunicorn is always stopped at the end.

A plugin adds its pages to the benchmark by adding ``Page`` rows to PAGES.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
RESULTS = ROOT / "docs" / "benchmarks.md"

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PG_BENCH_DB = "journey_bench"
PG_BENCH_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
SEED = 1
ACCOUNT = ("hr.ggz@example.org", "journey-demo")  # demo account, present in every generated organisation
PERSON_FOUNDATION = "ggz"
REFERENCE_PEOPLE = 100_000
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

SETUP_TIMEOUT = 600  # seconds for a migration or schema step
GENERATE_TIMEOUT = 3600
SERVER_START_TIMEOUT = 60
LOCUST_GRACE = 120  # beyond --duration: start-up, sign-in, writing the CSV


@dataclass(frozen=True)
class Page:
    label: str  # row name in the results; unique
    path: str  # "{person_id}" becomes a random person of the GGZ foundation per request
    signed_in: bool = True
    account: str = ACCOUNT[0]  # who signs in (all demo accounts share the demo password)


PAGES = [
    Page("healthz (baseline)", "/healthz", signed_in=False),
    Page("dashboard", "/"),
    Page("people list", "/people/"),
    Page("person page", "/people/{person_id}"),
    Page("compliance matrix (learning)", "/learning/compliance"),
    Page("my learning", "/learning/"),
    Page("catalogue (learning)", "/learning/catalogue"),
    Page("HR overview (onboarding)", "/onboarding/hr/"),
    Page("my onboarding", "/onboarding/"),
    Page("manager's queue (flexwork)", "/flexwork/approvals", account="manager.ggz@example.org"),
    Page("HR foundation overview (wellbeing)", "/wellbeing/results"),
]


@dataclass(frozen=True)
class Goal:
    page: str
    p95_ms: int


GOALS = [Goal("people list", 50), Goal("dashboard", 50),  # at 100,000 people on PostgreSQL
         Goal("HR overview (onboarding)", 50), Goal("compliance matrix (learning)", 100),
         Goal("manager's queue (flexwork)", 50), Goal("HR foundation overview (wellbeing)", 100)]
# The daily jobs that send date reminders; timed once each over the GGZ foundation (issue 3).
REMINDER_JOBS = ["learning.expiry_reminders", "learning.registration_reminders", "onboarding.reminders",
                 "flexwork.trial_reminders", "flexwork.deadline_alerts", "wellbeing.checkins"]
# Runs a command and prints the peak memory of it (and its children) in KiB as the last line.
PEAK_MEMORY = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")


@dataclass
class Result:
    page: Page
    requests: int = 0
    failures: int = 0
    rps: float = 0.0
    p50: str = "-"
    p95: str = "-"
    p99: str = "-"


# ---------------------------------------------------------------- database


class Database:
    """The database under test, and how to make it empty again."""

    def __init__(self, url: str, managed: str | None, folder: Path) -> None:
        self.url = url
        self.managed = managed  # "postgresql", "sqlite" or None for a database given by the user
        self.folder = folder

    @classmethod
    def choose(cls, url: str | None, folder: Path) -> Database:
        if url:
            return cls(url, None, folder)
        if _postgres_reachable():
            return cls(PG_BENCH_URL, "postgresql", folder)
        return cls(f"sqlite:///{folder / 'journey-bench.db'}", "sqlite", folder)

    def recreate(self) -> None:
        if self.managed == "postgresql":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
                connection.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        elif self.managed == "sqlite":
            (self.folder / "journey-bench.db").unlink(missing_ok=True)

    def maintain(self) -> str:
        """What autovacuum does to a running database after a bulk load: fresh planner statistics and,
        on PostgreSQL, a visibility map, so that counts can be answered from an index alone."""
        from sqlalchemy import create_engine, text

        command = "VACUUM ANALYZE" if self.url.startswith("postgresql") else "ANALYZE"
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(command))
        finally:
            engine.dispose()
        return command

    def describe(self) -> str:
        from sqlalchemy import create_engine

        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                version = ".".join(str(part) for part in connection.dialect.server_version_info or ())
                name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(engine.dialect.name, engine.dialect.name)
        finally:
            engine.dispose()
        return f"{name} {version}".strip()

    def person_ids(self, slug: str) -> list[int]:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return list(connection.scalars(text(
                    "SELECT person.id FROM person JOIN foundation ON foundation.id = person.foundation_id "
                    "WHERE foundation.slug = :slug ORDER BY person.id"
                ), {"slug": slug}))
        finally:
            engine.dispose()


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN):
            return True
    except Exception:  # no driver, no server, no access: fall back to SQLite
        return False


# Prints the tables and columns the models have but the migrated database lacks.
SCHEMA_LAG = """
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from core import create_app
from core.extensions import db
with create_app().app_context(), db.engine.connect() as connection:
    diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
for change in diff:
    if isinstance(change, tuple) and change[0] == "add_table":
        print("table", change[1].name)
    elif isinstance(change, tuple) and change[0] == "add_column":
        print("column", f"{change[2]}.{change[3].name}")
"""
CREATE_ALL = """
from core import create_app
from core.extensions import db
with create_app().app_context():
    db.create_all()
"""


def build_schema(database: Database, env: dict, log: Path) -> str:
    """Migrate; fall back to ``create_all`` when the migrations lag. Returns how it was built."""
    upgrade = _run([BIN / "flask", "db", "upgrade", "heads"], env, log, SETUP_TIMEOUT, check=False)
    if upgrade.returncode == 0:
        lag = _run([sys.executable, "-c", SCHEMA_LAG], env, log, SETUP_TIMEOUT).stdout.split("\n")
        lag = [line for line in lag if line.strip()]
        if not lag:
            return "flask db upgrade heads"
        shown = ", ".join(lag[:5]) + (f" and {len(lag) - 5} more" if len(lag) > 5 else "")
        reason = f"migrations lag behind the models (missing: {shown})"
    else:
        reason = "flask db upgrade heads failed"
    print(f"  {reason}; building the schema with db.create_all() instead")
    database.recreate()
    _run([sys.executable, "-c", CREATE_ALL], env, log, SETUP_TIMEOUT)
    return f"db.create_all(): {reason}"


# ---------------------------------------------------------------- processes


def _run(command: list, env: dict, log: Path, timeout: float, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command from the project root; its output goes to ``log`` as well."""
    done = subprocess.run([str(part) for part in command], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    with log.open("a") as out:
        out.write(f"$ {' '.join(str(part) for part in command)}\n{done.stdout}{done.stderr}\n")
    if check and done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(str(p) for p in command)}\n{_tail(done.stderr or done.stdout)}")
    return done


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never via a proxy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving wsgi:app on loopback, in its own process group so it stops completely."""

    def __init__(self, env: dict, workers: int, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.workers = workers
        with log.open("a") as out:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "wsgi:app", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
                 "--log-level", "warning"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped ({self.process.returncode}):\n{_tail(self.log.read_text())}")
            try:
                with DIRECT.open(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)  # polling a starting server, not timing anything
        raise SystemExit(f"gunicorn did not answer /healthz within {SERVER_START_TIMEOUT} s")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def load_page(page: Page, server: Server, args, env: dict, ids_file: Path, folder: Path, log: Path) -> Result:
    prefix = folder / f"locust-{PAGES.index(page)}"
    page_env = {
        **env,
        "JOURNEY_BENCH_PAGE": page.label,
        "JOURNEY_BENCH_PATH": page.path,
        "JOURNEY_BENCH_EMAIL": page.account if page.signed_in else "",
        "JOURNEY_BENCH_PASSWORD": ACCOUNT[1] if page.signed_in else "",
        "JOURNEY_BENCH_PERSON_IDS": str(ids_file),
    }
    command = [
        BIN / "locust", "-f", LOCUSTFILE, "--headless", "--host", server.url,
        "--users", args.users, "--spawn-rate", args.users, "--run-time", f"{args.duration}s",
        "--reset-stats", "--only-summary", "--csv", prefix, "--loglevel", "WARNING",
    ]
    _run(command, page_env, log, args.duration + LOCUST_GRACE, check=False)  # exit 1 just means failures
    return read_stats(page, prefix.with_name(prefix.name + "_stats.csv"))


def time_job(job_id: str, env: dict, log: Path) -> tuple[str, str, str]:
    """(job, seconds, peak memory) of one run of a daily job for the GGZ foundation."""
    clock = time.perf_counter()
    done = _run([sys.executable, "-c", PEAK_MEMORY, BIN / "flask", "journey", "jobs", "run", job_id,
                 "--foundation", PERSON_FOUNDATION], env, log, GENERATE_TIMEOUT, check=False)
    seconds = time.perf_counter() - clock
    if done.returncode != 0:
        return job_id, "failed", _tail(done.stdout + done.stderr, 3).replace("\n", " ")
    peak_mib = int(done.stdout.split()[-1]) / 1024
    return job_id, f"{seconds:.1f} s", f"{peak_mib:.0f} MiB"


def read_stats(page: Page, stats_csv: Path) -> Result:
    result = Result(page)
    if not stats_csv.exists():
        return result
    with stats_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == page.label:
                result.requests = int(row["Request Count"])
                result.failures = int(row["Failure Count"])
                result.rps = float(row["Requests/s"])
                result.p50, result.p95, result.p99 = row["50%"], row["95%"], row["99%"]
    return result


# ---------------------------------------------------------------- report


def machine() -> str:
    model, memory = "", ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        memory = f", {kib / 1024 ** 2:.1f} GiB memory"
    except (OSError, StopIteration):
        pass
    return f"{CPUS} CPUs{f' ({model})' if model else ''}{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def _number(value: int) -> str:
    return f"{value:,}"


def goal_verdict(goal: Goal, results: dict[str, Result], database: str, people: int) -> tuple[str, str]:
    result = results.get(goal.page)
    if result is None or not result.requests:
        return "-", "not measured"
    if result.failures:
        return f"{result.p95} ms", f"not met: {_number(result.failures)} failed requests"
    met = result.p95 not in ("", "N/A", "-") and float(result.p95) <= goal.p95_ms
    verdict = "met" if met else "not met"
    if people < REFERENCE_PEOPLE or not database.startswith("PostgreSQL"):
        verdict += f" (this run: {_number(people)} people on {database}; the reference is {_number(REFERENCE_PEOPLE)} on PostgreSQL)"
    return f"{result.p95} ms", verdict


def write_report(path: Path, conditions: list[tuple[str, str]], results: list[Result], goals: list[tuple],
                 jobs: list[tuple[str, str, str]]) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (tests/bench/run.py); rerun it rather than editing this file. The reference run is",
        f"`make bench BENCH_ARGS=\"--people {REFERENCE_PEOPLE}\"` on PostgreSQL. Every page is loaded on its own by",
        "locust (headless, on loopback, its lighter FastHttpUser client, which shares the CPUs with the server)",
        "with users that send their next request as soon as the last one is answered (by default one user per",
        "CPU); latencies are locust's, measured at the client. Any answer other than 200 counts as a failure.",
        "Other work on the machine (see the load average) makes the numbers worse; on a shared virtual machine",
        "two runs of the same code differ by up to a fifth.",
        "",
        "Reference goals (issues 2, 4–7): at 100,000 people on PostgreSQL, the p95 of the pages under Goals.",
        "Issue 3: the daily reminder jobs complete over the reference organisation, in batches, with",
        "memory that does not grow with it (their time and peak memory are under Daily reminder jobs).",
        "",
        "## Run",
        "",
        "| | |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in conditions],
        "",
        "## Pages",
        "",
        "| page | path | requests/s | p50 ms | p95 ms | p99 ms | failures |",
        "|---|---|---:|---:|---:|---:|---:|",
        *[f"| {r.page.label} | `{r.page.path}` | {r.rps:.1f} | {r.p50} | {r.p95} | {r.p99} | "
          f"{_number(r.failures)} of {_number(r.requests)} |" for r in results],
        "",
        "## Goals",
        "",
        "| goal | p95 | result |",
        "|---|---:|---|",
        *[f"| {goal.page} p95 ≤ {goal.p95_ms} ms | {measured} | {verdict} |" for goal, measured, verdict in goals],
        "",
        f"## Daily reminder jobs (one run each, foundation {PERSON_FOUNDATION}, `flask journey jobs run`)",
        "",
        "| job | time | peak memory of the process |",
        "|---|---:|---:|",
        *[f"| `{job}` | {seconds} | {memory} |" for job, seconds, memory in jobs],
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000, help="people to generate (reference: 100000)")
    parser.add_argument("--database-url", help="an empty database to use (default: a fresh PostgreSQL "
                        f"database {PG_BENCH_DB} on 127.0.0.1, else SQLite in a temporary folder)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    parser.add_argument("--users", type=int, default=CPUS,
                        help="concurrent locust users (default: one per CPU, so latency is not queueing for CPUs)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results file")
    args = parser.parse_args(argv)
    if min(args.people, args.duration, args.users, args.workers) < 1:
        parser.error("--people, --duration, --users and --workers must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="journey-bench-") as tmp:
        folder = Path(tmp)
        log = folder / "bench.log"
        try:
            bench(args, folder, log)
        except (SystemExit, subprocess.TimeoutExpired) as stop:
            print(f"bench failed: {stop}", file=sys.stderr)
            print(f"--- last lines of {log.name}:\n{_tail(log.read_text()) if log.exists() else ''}", file=sys.stderr)
            raise SystemExit(1) from None


def bench(args, folder: Path, log: Path) -> None:
    started = datetime.now(UTC)
    load_before = os.getloadavg()[0]  # other work on the machine skews the numbers
    database = Database.choose(args.database_url, folder)
    env = {
        **os.environ,
        "FLASK_APP": "wsgi:app",
        "JOURNEY_DATABASE_URL": database.url,
        "JOURNEY_ENV": "production",
        "JOURNEY_SECRET_KEY": secrets.token_urlsafe(48),
        "JOURNEY_SESSION_COOKIE_SECURE": "false",  # plain http on loopback
        "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1",  # locust's requests must not leave the machine
    }
    print(f"database: {database.url}")
    database.recreate()
    schema = build_schema(database, env, log)

    print(f"generating {args.people:,} people …")
    clock = time.perf_counter()
    _run([BIN / "flask", "journey", "generate", "--people", args.people, "--seed", SEED], env, log, GENERATE_TIMEOUT)
    generation = time.perf_counter() - clock
    print(f"  {generation:.1f} s")
    maintenance = database.maintain()

    ids_file = folder / "person-ids.txt"
    ids_file.write_text("\n".join(str(i) for i in database.person_ids(PERSON_FOUNDATION)))
    database_name = database.describe()

    print("timing the daily reminder jobs …")
    jobs = [time_job(job_id, env, log) for job_id in REMINDER_JOBS]
    for job in jobs:
        print("  " + ", ".join(job))

    server = Server(env, args.workers, log)
    results = []
    try:
        server.wait_until_healthy()
        for page in PAGES:
            print(f"loading {page.label} ({page.path}) for {args.duration} s …")
            result = load_page(page, server, args, env, ids_file, folder, log)
            print(f"  {result.rps:.1f} req/s, p50 {result.p50} ms, p95 {result.p95} ms, "
                  f"{result.failures} of {result.requests} failed")
            results.append(result)
    finally:
        server.stop()

    locust_version = " ".join(_run([BIN / "locust", "--version"], env, log, 60).stdout.split()[:2])
    conditions = [
        ("date", started.strftime("%Y-%m-%d %H:%M UTC")),
        ("machine", machine()),
        ("load average (1 min)", f"{load_before:.2f} at start, {os.getloadavg()[0]:.2f} at end"),
        ("database", database_name),
        ("people", f"{args.people:,} generated (seed {SEED}) besides the demo organisation"),
        ("generation", f"{generation:.1f} s for `flask journey generate --people {args.people} --seed {SEED}`"),
        ("schema", schema),
        ("after generating", f"`{maintenance}`, as autovacuum does after a bulk load"),
        ("server", f"`gunicorn wsgi:app`, {args.workers} sync workers, production mode, 127.0.0.1"),
        ("load", f"{locust_version} (FastHttpUser), {args.users} users without think time, {args.duration} s per page, "
                 f"signed in as {ACCOUNT[0]} (HR admin of {PERSON_FOUNDATION}) unless the page names another account"),
    ]
    by_label = {r.page.label: r for r in results}
    goals = [(goal, *goal_verdict(goal, by_label, database_name, args.people)) for goal in GOALS]
    write_report(args.output, conditions, results, goals, jobs)
    print(f"results: {args.output}")


if __name__ == "__main__":
    main()
