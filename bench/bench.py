#!/usr/bin/env python3
"""routesim's benchmark (docs/performance.md): generate a 1M-record canonical JSONL log deterministically,
replay it through the five benchmark policies (also with the large model self-hosted), and — when the duckdb module is importable —
run DuckDB's read_json aggregate over the same file for reference. Prints one table."""
import json
import math
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

DUCKDB_SQL = os.path.join(ROOT, "bench", "duckdb-policies.sql")
# The DuckDB side runs in a process of its own and times its query alone (not Python's start or
# the import): the strictest comparison for routesim, whose time includes its process start.
DUCKDB_CHILD = """
import json, os, resource, sys, time, duckdb
query = open(sys.argv[1]).read().format(path=sys.argv[2])
con = duckdb.connect()
con.execute(f"SET threads={os.cpu_count()}")
start = time.perf_counter()
rows = con.execute(query).fetchall()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": rows}))
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


def duckdb_policies():
    """The five policies in SQL over the log: (query seconds, peak RSS MB, {policy: (cpi, success, p50, p95)})."""
    out = subprocess.run([sys.executable, "-c", DUCKDB_CHILD, DUCKDB_SQL, LOG], check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    return result["seconds"], result["peak_mb"], {row[0]: tuple(row[1:]) for row in result["rows"]}


def disagreements(summary_path, sql):
    """Where routesim's summary.json and the SQL differ by more than 1e-9 (relative), as lines to print."""
    with open(summary_path) as summary:
        policies = {policy["name"]: policy for policy in json.load(summary)["policies"]}
    lines = []
    for name, figures in sorted(sql.items()):
        ours = policies[name]
        for key, theirs, value in zip(("cpi_usd", "success_rate", "p50", "p95"), figures,
                                      (ours["cpi_usd"], ours["success_rate"], ours["latency_ms"]["p50"], ours["latency_ms"]["p95"])):
            if not math.isclose(value, theirs, rel_tol=1e-9, abs_tol=1e-12):
                lines.append(f"{name} {key}: routesim {value!r}, DuckDB {theirs!r}")
    return lines


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
    try:
        import duckdb  # noqa: F401
        have_duckdb = True
    except ImportError:
        have_duckdb = False
        print("duckdb is not importable: `pip install duckdb` (make bench does) to compare with it", file=sys.stderr)
    # routesim and DuckDB interleaved, three runs each, so that the machine's drift hits both alike.
    no_charts, sql_runs = [], []
    for _ in range(3):
        no_charts.append(timed_child(simulate + ["--no-charts"]))
        if have_duckdb:
            sql_runs.append(duckdb_policies())
    rows = [("routesim simulate, no charts", *min(no_charts, key=lambda run: run[0]))]
    rows.append(("routesim simulate, with charts", *min((timed_child(simulate) for _ in range(3)), key=lambda run: run[0])))
    reference = min(sql_runs, key=lambda run: run[0]) if sql_runs else None
    differ = disagreements(os.path.join(DATA, "out", "summary.json"), reference[2]) if reference else []
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
        rows.append(("DuckDB: the policies in SQL", reference[0], reference[1]))
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
    if reference:
        print(f"routesim takes {rows[0][1] / reference[0]:.2f}× DuckDB's time for the five policies (target ≤ 1.0×, aim 0.7×), "
              f"peak RSS {rows[0][2]:.0f} MB (target ≤ 200 MB); "
              + ("CPI, success, p50 and p95 of every policy equal to 1e-9" if not differ else "FIGURES DIFFER:"))
        for line in differ:
            print("  " + line)
    print(f"the self-hosted fleet adds {100 * (hosted_seconds / rows[0][1] - 1):.0f}% to the replay (target ≤ 30%)")
    print(f"time per step-call {per_step_call * 1e6:.3f} µs against {per_call * 1e6:.3f} µs per call "
          f"({per_step_call / per_call:.2f}×; target ≤ 1.5×)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
