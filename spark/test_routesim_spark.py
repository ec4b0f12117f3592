"""The Spark driver gives the files `routesim simulate` writes, byte for byte (docs/spark.md).

Run by `make test` (after the Swift tests) with the debug binary: python3 -m unittest discover -s spark
ROUTESIM (default .build/debug/routesim) names the binary.
"""
import contextlib
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import routesim_spark  # noqa: E402

BINARY = os.environ.get("ROUTESIM", os.path.join(ROOT, ".build", "debug", "routesim"))
SUPPORT = ["--models", "datasets/models.yaml", "--policy", "datasets/policies.yaml", "--baseline", "always-large"]


def files(directory):
    """Every file under `directory`, by its path inside it, with its bytes."""
    found = {}
    for folder, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as data:
                found[os.path.relpath(path, directory)] = data.read()
    return found


def simulate(logs, options, out):
    """One machine's run: (exit code, stderr)."""
    argv = [BINARY, "simulate", *[arg for log in logs for arg in ("--log", log)], *options, "--out", out]
    run = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    return run.returncode, run.stderr


class SparkDriverTests(unittest.TestCase):
    """In-process runs share one local[2] session; the first test runs the driver's command line."""

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="routesim-spark-tests-")
        os.chdir(ROOT)  # the input files are named by paths relative to the repository, as a user would
        cls.spark = routesim_spark.session("local[2]")

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.scratch, self.id().rsplit(".", 1)[-1], name)

    def drive(self, inputs, options, shards, input_format=None):
        """The driver in this process: (exit code, error message or None, output folder)."""
        out = self.path("spark")
        argv = [*[arg for path in inputs for arg in ("--input", path)], "--shards", str(shards), "--out", out,
                "--routesim", BINARY, *(["--input-format", input_format] if input_format else []), "--", *options]
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # the driver's "replayed N shards" line
                return routesim_spark.execute(self.spark, routesim_spark.Job(routesim_spark.parse_arguments(argv))), None, out
        except routesim_spark.DriverError as error:
            return error.code, str(error), out

    def assertSameFiles(self, one, other, expected_count):
        mine, theirs = files(one), files(other)
        self.assertGreaterEqual(len(mine), expected_count)
        self.assertEqual(sorted(mine), sorted(theirs))
        for name in mine:
            self.assertTrue(mine[name] == theirs[name], f"{name} differs between simulate and the Spark driver")

    def write_lines(self, name, lines):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.writelines(lines)
        return path

    def support_lines(self, count):
        with gzip.open(os.path.join(ROOT, "datasets", "support-14d.jsonl.gz"), "rt") as log:
            return [line for _, line in zip(range(count), log)]

    def test_a_log_of_200000_records_on_two_workers_gives_the_files_of_simulate(self):
        os.makedirs(self.path(""), exist_ok=True)
        log = self.path("support-200k.jsonl.gz")
        mock = subprocess.run([BINARY, "mock", "--scenario", "datasets/support-scenario.yaml", "--requests", "200000",
                               "--days", "14", "--seed", "42", "--out", os.path.dirname(log), "--name", os.path.basename(log)],
                              cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(mock.returncode, 0, mock.stderr)
        options = SUPPORT + ["--slo", "datasets/slo.yaml", "--monthly-volume", "3000000"]
        self.assertEqual(simulate([log], options, self.path("one")), (0, ""))
        # The command a user types, in a Spark of its own.
        run = subprocess.run([sys.executable, os.path.join(HERE, "routesim_spark.py"), "--master", "local[2]",
                              "--shards", "4", "--input", log, "--out", self.path("spark"), "--routesim", BINARY,
                              "--", *options], cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("merged 4 partials: 200000 requests", run.stdout)
        with open(self.path("one") + "/summary.json", "rb") as one, open(self.path("spark") + "/summary.json", "rb") as spark:
            self.assertEqual(one.read(), spark.read())
        self.assertSameFiles(self.path("one"), self.path("spark"), 6)

    def test_parquet_with_the_canonical_columns_gives_the_files_of_simulate(self):
        log = "datasets/workflow-14d.jsonl.gz"
        parquet = self.path("workflow.parquet")
        self.spark.read.json(log).repartition(3).write.parquet(parquet)
        options = ["--models", "datasets/models.yaml", "--policy", "datasets/workflow-policies.yaml",
                   "--baseline", "always-large", "--no-charts"]
        self.assertEqual(simulate([log], options, self.path("one")), (0, ""))
        code, error, out = self.drive([parquet], options, shards=3, input_format="parquet")
        self.assertEqual((code, error), (0, None))
        self.assertSameFiles(self.path("one"), out, 2)

    def test_of_two_records_with_one_id_the_first_in_the_log_is_kept_as_on_one_machine(self):
        # Many small splits, two files: the order must come from the files, not from Spark's tasks.
        self.spark.conf.set("spark.sql.files.maxPartitionBytes", "65536")
        try:
            lines = self.support_lines(3000)

            def changed(line):
                record = json.loads(line)
                record["input_tokens"] += 1000
                record["outcomes"]["large"]["latency_ms"] += 5000
                return json.dumps(record) + "\n"
            first = self.write_lines("a.jsonl", lines[:2000] + [changed(line) for line in lines[2500:2600]])
            second = self.write_lines("b.jsonl", [changed(line) for line in lines[100:200]] + lines[2000:])
            options = SUPPORT + ["--skip-invalid", "--no-charts"]
            self.assertEqual(simulate([first, second], options, self.path("one")), (0, ""))
            code, error, out = self.drive([second, first], options, shards=5)
            self.assertEqual((code, error), (0, None))
        finally:
            self.spark.conf.unset("spark.sql.files.maxPartitionBytes")
        # rejected.jsonl too: each record at its file and line, and its first copy's place in the reason.
        self.assertSameFiles(self.path("one"), out, 3)
        with open(os.path.join(out, "summary.json")) as data:
            summary = json.load(data)
        self.assertEqual(summary["input"]["rejected"], 200)
        with open(os.path.join(out, "rejected.jsonl")) as rejected:
            self.assertEqual(sum(1 for _ in rejected), 200)

    def test_a_bad_record_is_named_by_its_file_line_and_field(self):
        self.spark.conf.set("spark.sql.files.maxPartitionBytes", "65536")
        try:
            lines = self.support_lines(3000)
            lines[1233] = lines[1233].replace('"input_tokens":', '"input_tokens":-', 1)
            log = self.write_lines("bad.jsonl", lines)
            code, error, _ = self.drive([log], SUPPORT, shards=3)
        finally:
            self.spark.conf.unset("spark.sql.files.maxPartitionBytes")
        self.assertEqual(code, 2)
        self.assertIn(f"routesim: {log}:1234: input_tokens: must be a whole number >= 0", error)
        self.assertIn("record id 'req-0001234'", error)

    def test_a_shard_whose_run_dies_is_an_internal_error_not_a_success(self):
        # A binary killed by a signal has no exit code of its own: the job ends with routesim's 3.
        crashing = self.write_lines("crashing-routesim", ["#!/bin/sh\nkill -SEGV $$\n"])
        os.chmod(crashing, 0o755)
        log = self.write_lines("five.jsonl", self.support_lines(5))
        out = self.path("spark")
        argv = ["--input", log, "--shards", "2", "--out", out, "--routesim", crashing, "--", *SUPPORT]
        with self.assertRaises(routesim_spark.DriverError) as raised:
            routesim_spark.run(self.spark, routesim_spark.Job(routesim_spark.parse_arguments(argv)))
        self.assertEqual(raised.exception.code, 3)
        self.assertIn("killed by signal 11", str(raised.exception))

    def test_a_gzip_file_cut_short_is_refused_as_on_one_machine(self):
        log = self.path("cut.jsonl.gz")
        os.makedirs(os.path.dirname(log), exist_ok=True)
        with open(os.path.join(ROOT, "datasets", "support-14d.jsonl.gz"), "rb") as whole, open(log, "wb") as cut:
            cut.write(whole.read(300_000))
        self.assertEqual(simulate([log], SUPPORT, self.path("one"))[0], 2)
        code, error, _ = self.drive([log], SUPPORT, shards=2)
        self.assertEqual(code, 2)
        self.assertIn(f"cannot read file://{log}: java.io.EOFException: Unexpected end of input stream", error)

    def test_a_log_without_records_is_refused_naming_it(self):
        log = self.write_lines("empty.jsonl", [])
        code, error, _ = self.drive([log], SUPPORT, shards=2)
        self.assertEqual((code, error), (2, f"the log holds no records ({log}): there is nothing to replay"))

    def test_shards_without_records_are_merged_like_the_others(self):
        log = self.write_lines("five.jsonl", self.support_lines(5))
        options = SUPPORT + ["--no-charts"]
        self.assertEqual(simulate([log], options, self.path("one")), (0, ""))
        code, error, out = self.drive([log], options, shards=8)
        self.assertEqual((code, error), (0, None))
        self.assertSameFiles(self.path("one"), out, 2)


class CommandLineTests(unittest.TestCase):
    """A command line the driver cannot run is refused before Spark starts, exit 2."""

    def refused(self, *argv):
        # "--out x" goes to a folder of the test's own, so that a command line wrongly taken writes nothing into the repository.
        with tempfile.TemporaryDirectory() as scratch:
            argv = [os.path.join(scratch, "x") if arg == "x" else arg for arg in argv]
            run = subprocess.run([sys.executable, os.path.join(HERE, "routesim_spark.py"), "--routesim", BINARY, *argv],
                                 cwd=ROOT, capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 2, run.stderr)
        return run.stderr

    def test_options_the_driver_sets_itself_are_refused(self):
        error = self.refused("--input", "datasets/support-14d.jsonl.gz", "--out", "x", "--", *SUPPORT, "--log", "y.jsonl")
        self.assertIn("--log is not given to the driver's simulate: the driver reads the log itself", error)

    def test_a_missing_input_is_named(self):
        error = self.refused("--input", "no-such.jsonl", "--out", "x", "--", *SUPPORT)
        self.assertIn("cannot read no-such.jsonl: no such file", error)

    def test_a_missing_catalog_is_named(self):
        error = self.refused("--input", "datasets/support-14d.jsonl.gz", "--out", "x", "--", "--models", "nope.yaml",
                             "--policy", "datasets/policies.yaml")
        self.assertIn("cannot read nope.yaml: no such file", error)

    def test_a_catalog_is_needed(self):
        error = self.refused("--input", "datasets/support-14d.jsonl.gz", "--out", "x", "--", "--policy", "datasets/policies.yaml")
        self.assertIn("simulate needs --models CATALOG", error)

    def test_an_input_file_outside_the_current_folder_by_a_relative_path_is_refused(self):
        # Recreated under each shard's folder at the path given, it would land outside that folder.
        outside = f"../{os.path.basename(ROOT)}/datasets/models.yaml"  # the catalog, by a way out and back
        error = self.refused("--input", "datasets/support-14d.jsonl.gz", "--out", "x", "--",
                             "--models", outside, "--policy", "datasets/policies.yaml")
        self.assertIn(f"{outside} leaves the current folder", error)

    def test_every_policy_file_is_shipped(self):
        _, _, shipped = routesim_spark.split_simulate_options(
            ["--models=m.yaml", "--policy", "a.yaml", "b.yaml", "--baseline", "x", "--slo", "s.yaml", "--no-charts"])
        self.assertEqual(shipped, ["m.yaml", "a.yaml", "b.yaml", "s.yaml"])


if __name__ == "__main__":
    unittest.main()
