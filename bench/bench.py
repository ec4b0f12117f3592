#!/usr/bin/env python3
"""routesim's benchmark (docs/performance.md): generate a 1M-record canonical JSONL log deterministically,
replay it through the five benchmark policies (also with the large model self-hosted), and — when the duckdb module is importable —
run DuckDB's read_json aggregate over the same file for reference. Prints one table."""
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "routesim")
DATA = os.path.join(ROOT, "bench-data")
RECORDS = int(os.environ.get("BENCH_RECORDS", "1000000"))
LOG = os.path.join(DATA, f"bench-{RECORDS}.jsonl")
WORKFLOW_LOG = os.path.join(DATA, f"bench-workflow-{RECORDS}.jsonl")
WORKFLOW_STEPS = 7  # distinct steps per request of datasets/workflow-scenario.yaml
# A row's label is its key in the timings too: one name, so the summary lines find their row.
PARTIAL = "simulate --emit-partial + merge"
HOSTED = "simulate, large self-hosted"

DUCKDB_SQL = os.path.join(ROOT, "bench", "duckdb-policies.sql")
# The DuckDB side runs in a process of its own and times its query alone (not Python's start or
# the import): the strictest comparison for routesim, whose time includes its process start.
DUCKDB_CHILD = """
import json, os, resource, sys, time, duckdb
query = open(sys.argv[1]).read().format(path=sys.argv[2])
con = duckdb.connect()
con.execute(f"SET threads={os.cpu_count()}")
# A query over two seconds draws a progress bar on stdout, where the result goes: off, and the
# result is the last line whatever the module prints before it.
con.execute("SET enable_progress_bar=false")
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
    result = json.loads(out.splitlines()[-1])
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


def interleaved(commands, runs=3):
    """Runs each named command `runs` times, round-robin, so that the machine's drift hits all alike; the best run of each."""
    results = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(command() if callable(command) else timed_child(command))
    return {name: min(values, key=lambda run: run[0]) for name, values in results.items()}


def only_policy(name, path):
    """A policy file holding one policy of bench/policies.yaml, for the sweep's one-policy replay."""
    with open(os.path.join(ROOT, "bench/policies.yaml")) as policies:
        documents = policies.read().split("---\n")
    with open(path, "w") as out:
        out.write(next(document for document in documents if f"name: {name}\n" in document))
    return path


def ten_times_log():
    """The 1M log ten times over, ids renamed so that none repeats: 10M records, streamed to a file deleted after use."""
    path = os.path.join(DATA, f"bench-{RECORDS}-ten-times.jsonl")
    with open(path, "w") as out:
        for copy in range(10):
            subprocess.run(["sed", f's/^{{"id":"/{{"id":"c{copy}-/', LOG], check=True, stdout=out)
    return path


def parse_floor():
    """simdjson alone over the log (bench/parse-floor.cpp, one thread): seconds, or None when it cannot be built."""
    tool = os.path.join(DATA, "parse-floor")
    source = os.path.join(ROOT, "bench", "parse-floor.cpp")
    if not os.path.exists(tool) or os.path.getmtime(tool) < os.path.getmtime(source):
        built = subprocess.run(["g++", "-O3", "-std=c++17", source, "-lsimdjson", "-o", tool], capture_output=True, text=True)
        if built.returncode != 0:
            print(f"parse-floor did not build: {built.stderr.strip()}", file=sys.stderr)
            return None
    runs = [float(subprocess.run([tool, LOG], check=True, capture_output=True, text=True).stdout.split()[1]) for _ in range(3)]
    return min(runs)


def partial_and_merge(replay):
    """One replay of the whole log written as a partial, then merged (docs/partials.md): summed seconds, larger peak."""
    partial = os.path.join(DATA, "whole.partial")
    emit = timed_child(replay + ["--emit-partial", partial])
    merge = timed_child([BIN, "merge", partial, "--no-charts", "--out", os.path.join(DATA, "out-merge")])
    return emit[0] + merge[0], max(emit[1], merge[1])


def spark_driver(models, policies):
    """The Spark driver (spark/routesim_spark.py) on two local workers, two shards: wall seconds from
    its start, JVM included, and the largest peak RSS of its processes."""
    return timed_child([sys.executable, os.path.join(ROOT, "spark", "routesim_spark.py"), "--master", "local[2]", "--shards", "2",
                        "--routesim", BIN, "--input", LOG, "--out", os.path.join(DATA, "out-spark"), "--",
                        "--models", models, "--policy", policies, "--no-charts"])


def same_file(one, other):
    with open(one, "rb") as first, open(other, "rb") as second:
        return first.read() == second.read()


def main():
    os.makedirs(DATA, exist_ok=True)
    if not os.path.exists(LOG):
        print(f"generating {LOG} …", file=sys.stderr)
        subprocess.run([BIN, "mock", "--requests", str(RECORDS), "--seed", "7", "--out", os.path.dirname(LOG), "--name", os.path.basename(LOG)], check=True,
                       stdout=subprocess.DEVNULL)
    size_mb = os.path.getsize(LOG) / 1e6
    models, policies = os.path.join(ROOT, "datasets/models.yaml"), os.path.join(ROOT, "bench/policies.yaml")
    simulate = [BIN, "simulate", "--log", LOG, "--models", models, "--policy", policies, "--out", os.path.join(DATA, "out")]
    timed_child(simulate)  # warm the page cache
    try:
        import duckdb  # noqa: F401
        have_duckdb = True
    except ImportError:
        have_duckdb = False
        print("duckdb is not importable: `pip install duckdb` (make bench does) to compare with it", file=sys.stderr)
    store = os.path.join(DATA, f"bench-{RECORDS}.db")
    # Ingest into a fresh store, best of three.
    ingests = []
    for _ in range(3):
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(store + suffix):
                os.remove(store + suffix)
        ingests.append(timed_child([BIN, "ingest", "--log", LOG, "--db", store]))
    ingest = min(ingests)
    group = {
        "routesim simulate, no charts": simulate + ["--no-charts"],
        "routesim simulate --db, no charts": [BIN, "simulate", "--db", store, "--models", models, "--policy", policies,
                                              "--out", os.path.join(DATA, "out-db"), "--no-charts"],
        HOSTED: [BIN, "simulate", "--log", LOG, "--models", os.path.join(ROOT, "bench/models-self-hosted.yaml"),
                                        "--policy", policies, "--out", os.path.join(DATA, "out-hosted"), "--no-charts"],
    }
    if have_duckdb:
        group["DuckDB: the policies in SQL"] = duckdb_policies
    group[PARTIAL] = lambda: partial_and_merge(
        [BIN, "simulate", "--log", LOG, "--models", models, "--policy", policies, "--no-charts"])
    best = interleaved(group)
    plain = best["routesim simulate, no charts"]
    reference = best.get("DuckDB: the policies in SQL")
    differ = disagreements(os.path.join(DATA, "out", "summary.json"), reference[2]) if reference else []
    rows = [("routesim simulate, no charts", *plain),
            ("routesim simulate, with charts", *min((timed_child(simulate) for _ in range(3)), key=lambda run: run[0])),
            ("routesim ingest into SQLite", *ingest),
            ("routesim simulate --db, no charts", *best["routesim simulate --db, no charts"]),
            (HOSTED, *best[HOSTED])]
    if reference:
        rows.append(("DuckDB: the policies in SQL", reference[0], reference[1]))
    rows.append((PARTIAL, *best[PARTIAL]))
    # Spark: two runs, the best; its summary.json against the plain run's.
    spark = min((spark_driver(models, policies) for _ in range(2)), key=lambda run: run[0])
    rows.append(("Spark driver, local[2], 2 shards", *spark))
    spark_same = same_file(os.path.join(DATA, "out", "summary.json"), os.path.join(DATA, "out-spark", "summary.json"))
    # A sweep of 1,000 settings against one replay of the same policy alone.
    cascade = only_policy("cascade-v1", os.path.join(DATA, "cascade-v1.yaml"))
    sweeps = interleaved({
        "one": [BIN, "simulate", "--log", LOG, "--models", models, "--policy", cascade, "--out", os.path.join(DATA, "out-one"), "--no-charts"],
        "sweep": [BIN, "sweep", "--log", LOG, "--models", models, "--policy", cascade, "--sweep", "cascade-v1",
                  "--param", "steps[0].accept_if.confidence.gte", "--from", "0", "--to", "1", "--steps", "1000",
                  "--out", os.path.join(DATA, "out-sweep"), "--no-charts"],
    })
    # Ten times the records: time and memory against the 1M run, the two interleaved (best of two)
    # so that the machine's drift over the minute a 10M run takes hits both alike.
    big = ten_times_log()
    try:
        tenfold = interleaved({
            "one": simulate + ["--no-charts"],
            "ten": [BIN, "simulate", "--log", big, "--models", models, "--policy", policies, "--out", os.path.join(DATA, "out-10x"),
                    "--no-charts"],
        }, runs=2)
        scaled = tenfold["ten"]
    finally:
        os.remove(big)
    if not os.path.exists(WORKFLOW_LOG):
        print(f"generating {WORKFLOW_LOG} …", file=sys.stderr)
        subprocess.run([BIN, "mock", "--scenario", os.path.join(ROOT, "datasets/workflow-scenario.yaml"), "--requests", str(RECORDS),
                        "--seed", "7", "--out", DATA, "--name", os.path.basename(WORKFLOW_LOG)], check=True, stdout=subprocess.DEVNULL)
    workflow = [BIN, "simulate", "--log", WORKFLOW_LOG, "--models", models,
                "--policy", os.path.join(ROOT, "datasets/workflow-policies.yaml"), "--out", os.path.join(DATA, "out-workflow"), "--no-charts"]
    timed_child(workflow)  # warm the page cache
    # The workflow in turn with the 1M replay (best of three each): a step-call against a call of the runs beside it.
    stepwise = interleaved({"one": simulate + ["--no-charts"], "workflow": workflow})
    workflow_row = stepwise["workflow"]
    print(f"{RECORDS:,} records, {size_mb:.0f} MB, {os.cpu_count()} cores")
    print(f"| {'run':34} | {'wall s':>7} | {'peak RSS MB':>11} | {'records/s':>11} | {'MB/s':>6} | {'vs DuckDB':>9} |")
    print(f"|{'-' * 36}|{'-' * 9}|{'-' * 13}|{'-' * 13}|{'-' * 8}|{'-' * 11}|")
    for name, seconds, peak in rows:
        ratio = f"{seconds / reference[0]:.2f}×" if reference else "n/a"
        print(f"| {name:34} | {seconds:7.2f} | {peak:11.0f} | {RECORDS / seconds:11,.0f} | {size_mb / seconds:6.0f} | {ratio:>9} |")
    # A call is one request replayed through one policy; a step-call one step of a request through one policy.
    workflow_mb = os.path.getsize(WORKFLOW_LOG) / 1e6
    seconds, peak = workflow_row
    print(f"| {'simulate, 7-step workflow':34} | {seconds:7.2f} | {peak:11.0f} | {RECORDS / seconds:11,.0f} | {workflow_mb / seconds:6.0f} | {'n/a':>9} |")
    print(f"| {'simulate, 10× the records':34} | {scaled[0]:7.2f} | {scaled[1]:11.0f} | {10 * RECORDS / scaled[0]:11,.0f} | "
          f"{10 * size_mb / scaled[0]:6.0f} | {'n/a':>9} |")
    for name, label in (("one", "simulate, cascade-v1 alone"), ("sweep", "sweep, cascade-v1, 1,000 settings")):
        print(f"| {label:34} | {sweeps[name][0]:7.2f} | {sweeps[name][1]:11.0f} | {RECORDS / sweeps[name][0]:11,.0f} | "
              f"{size_mb / sweeps[name][0]:6.0f} | {'n/a':>9} |")
    print()
    floor = parse_floor()
    if floor:
        print(f"parse-only floor (simdjson's DOM parser alone over the same bytes): {floor:.2f} s on one thread, "
              f"{floor / 2:.2f} s on two; routesim takes {plain[0] / (floor / 2):.1f}× that")
    if reference:
        import duckdb
        print(f"routesim takes {plain[0] / reference[0]:.2f}× DuckDB {duckdb.__version__}'s time for the five policies (target ≤ 1.0×, aim 0.7×), "
              f"peak RSS {plain[1]:.0f} MB (target ≤ 200 MB); "
              + ("CPI, success, p50 and p95 of every policy equal to 1e-9" if not differ else "FIGURES DIFFER:"))
        for line in differ:
            print("  " + line)
    print(f"10× the records take {scaled[0] / tenfold['one'][0]:.1f}× the time of the 1M runs beside them (target ≤ 11×), "
          f"{(scaled[1] - plain[1]) * 1e6 / (9 * RECORDS):.0f} bytes more memory a record")
    print(f"a sweep of 1,000 settings takes {sweeps['sweep'][0] / sweeps['one'][0]:.2f}× one replay of the policy (target ≤ 1.5×)")
    print(f"ingest: {RECORDS / ingest[0]:,.0f} records/s (target ≥ 250,000); "
          f"simulate --db takes {best['routesim simulate --db, no charts'][0] / plain[0]:.2f}× the file replay (target ≤ 1.15×)")
    print(f"a partial then its merge take {100 * (best[PARTIAL][0] / plain[0] - 1):+.0f}% "
          f"against the plain run; the Spark driver (local, 2 workers, JVM start included) takes {spark[0]:.1f} s, "
          f"{spark[0] / plain[0]:.1f}× the plain run; its summary.json is "
          + ("byte-identical to the plain run's" if spark_same else "NOT IDENTICAL to the plain run's"))
    print(f"the self-hosted fleet adds {100 * (best[HOSTED][0] / plain[0] - 1):.0f}% to the replay (target ≤ 30%)")
    per_call = stepwise["one"][0] / (RECORDS * policy_count("bench/policies.yaml"))
    per_step_call = seconds / (RECORDS * WORKFLOW_STEPS * policy_count("datasets/workflow-policies.yaml"))
    print(f"time per step-call {per_step_call * 1e6:.3f} µs against {per_call * 1e6:.3f} µs per call "
          f"({per_step_call / per_call:.2f}×; target ≤ 1.5×)")
    return 1 if differ or not spark_same else 0


if __name__ == "__main__":
    sys.exit(main())
