#!/usr/bin/env python3
"""routesim's benchmark (docs/performance.md): generate a 1M-record canonical JSONL log deterministically,
replay it through the five benchmark policies (also with the large model self-hosted), and — when the duckdb module is importable —
run DuckDB's read_json aggregate over the same file for reference. Prints one table."""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "routesim")
DATA = os.path.join(ROOT, "bench-data")
RECORDS = int(os.environ.get("BENCH_RECORDS", "1000000"))
LOG = os.path.join(DATA, f"bench-{RECORDS}.jsonl")
WORKFLOW_LOG = os.path.join(DATA, f"bench-workflow-{RECORDS}.jsonl")
WORKFLOW_STEPS = 7  # distinct steps per request of datasets/workflow-scenario.yaml

DUCKDB_QUERY = """
SELECT count(*), sum(input_tokens), avg(outcomes.large.latency_ms),
       sum(CASE WHEN outcomes.small.success THEN 1 ELSE 0 END)
FROM read_json('{path}', format='newline_delimited')
"""


MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed_child(argv):
    """Runs argv under a fresh measuring process; returns (wall seconds, peak RSS in MB of argv alone)."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *argv], check=True, capture_output=True, text=True).stdout
    wall, peak_kb = out.split()
    return float(wall), int(peak_kb) / 1024


def policy_count(path):
    with open(os.path.join(ROOT, path)) as policies:
        return sum(1 for line in policies if line.startswith("name:"))


def duckdb_reference():
    code = ("import duckdb,sys; con=duckdb.connect(); con.execute('SET threads=2');"
            f"print(con.execute({DUCKDB_QUERY.format(path=LOG)!r}).fetchall())")
    try:
        return timed_child([sys.executable, "-c", code])
    except subprocess.CalledProcessError:
        return None


def main():
    os.makedirs(DATA, exist_ok=True)
    if not os.path.exists(LOG):
        print(f"generating {LOG} …", file=sys.stderr)
        subprocess.run([BIN, "mock", "--requests", str(RECORDS), "--seed", "7", "--out", os.path.dirname(LOG), "--name", os.path.basename(LOG)], check=True,
                       stdout=subprocess.DEVNULL)
    size_mb = os.path.getsize(LOG) / 1e6
    simulate = [BIN, "simulate", "--log", LOG, "--models", os.path.join(ROOT, "datasets/models.yaml"),
                "--policy", os.path.join(ROOT, "bench/policies.yaml"), "--out", os.path.join(DATA, "out")]
    timed_child(simulate)  # warm the page cache
    rows = []
    for name, argv in [("routesim simulate, no charts", simulate + ["--no-charts"]),
                       ("routesim simulate, with charts", simulate)]:
        runs = [timed_child(argv) for _ in range(3)]
        rows.append((name, *min(runs, key=lambda run: run[0])))
    try:
        import duckdb  # noqa: F401
        reference = duckdb_reference()
    except ImportError:
        reference = None
        print("duckdb is not importable: `pip install duckdb` to add the reference row", file=sys.stderr)
    store = os.path.join(DATA, f"bench-{RECORDS}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            os.remove(store + suffix)
    ingest = timed_child([BIN, "ingest", "--log", LOG, "--db", store])
    rows.append(("routesim ingest into SQLite", *ingest))
    from_store = [BIN, "simulate", "--db", store, "--models", os.path.join(ROOT, "datasets/models.yaml"),
                  "--policy", os.path.join(ROOT, "bench/policies.yaml"), "--out", os.path.join(DATA, "out-db"), "--no-charts"]
    rows.append(("routesim simulate --db, no charts", *min((timed_child(from_store) for _ in range(3)), key=lambda run: run[0])))
    hosted = [BIN, "simulate", "--log", LOG, "--models", os.path.join(ROOT, "bench/models-self-hosted.yaml"),
              "--policy", os.path.join(ROOT, "bench/policies.yaml"), "--out", os.path.join(DATA, "out-hosted"), "--no-charts"]
    rows.append(("simulate, large self-hosted", *min((timed_child(hosted) for _ in range(3)), key=lambda run: run[0])))
    if reference:
        rows.append(("duckdb read_json aggregate", *reference))
    if not os.path.exists(WORKFLOW_LOG):
        print(f"generating {WORKFLOW_LOG} …", file=sys.stderr)
        subprocess.run([BIN, "mock", "--scenario", os.path.join(ROOT, "datasets/workflow-scenario.yaml"), "--requests", str(RECORDS),
                        "--seed", "7", "--out", DATA, "--name", os.path.basename(WORKFLOW_LOG)], check=True, stdout=subprocess.DEVNULL)
    workflow = [BIN, "simulate", "--log", WORKFLOW_LOG, "--models", os.path.join(ROOT, "datasets/models.yaml"),
                "--policy", os.path.join(ROOT, "datasets/workflow-policies.yaml"), "--out", os.path.join(DATA, "out-workflow"), "--no-charts"]
    timed_child(workflow)  # warm the page cache
    workflow_row = min((timed_child(workflow) for _ in range(3)), key=lambda run: run[0])
    print(f"{RECORDS:,} records, {size_mb:.0f} MB, {os.cpu_count()} cores")
    print(f"| {'run':32} | {'wall s':>7} | {'peak RSS MB':>11} | {'records/s':>11} | {'MB/s':>6} | {'vs DuckDB':>9} |")
    print(f"|{'-' * 34}|{'-' * 9}|{'-' * 13}|{'-' * 13}|{'-' * 8}|{'-' * 11}|")
    for name, seconds, peak in rows:
        ratio = f"{seconds / reference[0]:.2f}×" if reference else "n/a"
        print(f"| {name:32} | {seconds:7.2f} | {peak:11.0f} | {RECORDS / seconds:11,.0f} | {size_mb / seconds:6.0f} | {ratio:>9} |")
    # A call is one request replayed through one policy; a step-call one step of a request through one policy.
    workflow_mb = os.path.getsize(WORKFLOW_LOG) / 1e6
    seconds, peak = workflow_row
    print(f"| {'simulate, 7-step workflow':32} | {seconds:7.2f} | {peak:11.0f} | {RECORDS / seconds:11,.0f} | {workflow_mb / seconds:6.0f} | {'n/a':>9} |")
    per_call = rows[0][1] / (RECORDS * policy_count("bench/policies.yaml"))
    per_step_call = seconds / (RECORDS * WORKFLOW_STEPS * policy_count("datasets/workflow-policies.yaml"))
    hosted_seconds = next(row[1] for row in rows if row[0] == "simulate, large self-hosted")
    print(f"the self-hosted fleet adds {100 * (hosted_seconds / rows[0][1] - 1):.0f}% to the replay (target ≤ 30%)")
    print(f"time per step-call {per_step_call * 1e6:.3f} µs against {per_call * 1e6:.3f} µs per call "
          f"({per_step_call / per_call:.2f}×; target ≤ 1.5×)")


if __name__ == "__main__":
    main()
