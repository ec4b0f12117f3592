#!/usr/bin/env python3
"""routesim on Apache Spark (docs/spark.md).

Reads a log where Spark reads it (JSON lines, plain or gzip, or Parquet with the canonical
columns), cuts it into shards by the CRC-32 of each request id (docs/partials.md), replays every
shard with the routesim binary -- its records piped to `simulate --shard I/N --emit-partial` --
and merges the partials on the driver with `routesim merge`. The result is the files
`routesim simulate` writes over the whole log, byte for byte.

Locally:    python3 spark/routesim_spark.py --input datasets/support-14d.jsonl.gz --out out/spark \\
                -- --models datasets/models.yaml --policy datasets/policies.yaml
On a cluster: spark-submit --files routesim,models.yaml,policies.yaml spark/routesim_spark.py \\
                --routesim routesim --input s3a://bucket/logs/ --out out -- --models models.yaml --policy policies.yaml
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

# simulate's options that name input files: shipped to the executors, recreated there under the
# path given, so that every shard's run (and the merged report) names them as one run would.
FILE_OPTIONS = {"--models", "--prices", "--policy", "--mock", "--slo"}
# simulate's options that belong to the merge, which writes the report.
MERGE_OPTIONS = {"--charts", "--no-charts", "--fail-on-breach"}
# simulate's options the driver sets itself, or that a sharded run cannot take.
REFUSED = {
    "--log": "the driver reads the log itself: give it with --input",
    "--db": "a store is read on one machine: give the log with --input",
    "--since": "the driver reads a log, not a store",
    "--until": "the driver reads a log, not a store",
    "--category": "the driver reads a log, not a store",
    "--format": "the driver sends canonical JSON lines: give --input-format jsonl or parquet",
    "--out": "give the output folder to the driver: --out before the --",
    "--emit-partial": "the driver writes the partials itself",
    "--shard": "the driver cuts the log into --shards itself",
    "--threads": "each shard runs with spark.task.cpus threads",
    "--replicas": "mock replicas are replayed on one machine only (docs/partials.md, Not yet)",
    "--record-run": "runs are recorded in a store, on one machine",
}
STDIN = "/dev/stdin"
# A place in a shard's input, as routesim names it in a message or a rejected record.
STDIN_PLACE = re.compile(re.escape(STDIN) + r":(\d+)")


class DriverError(Exception):
    """A problem the driver reports in one message, exiting with `code` (routesim's codes)."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.code = code


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="routesim_spark.py",
        description="Replay a log on Apache Spark: cut it into shards by request id, replay each shard "
        "with routesim, merge the partials. Writes what `routesim simulate` writes over the whole log.",
        epilog="Everything after -- is passed to `routesim simulate` (--models, --policy, --baseline, --slo, "
        "--seed, ...); --no-charts and --fail-on-breach go to the merge. See docs/spark.md.")
    parser.add_argument("--input", action="append", required=True, metavar="PATH",
                        help="The log: a file, a folder or a glob, on any file system Spark reads "
                        "(repeat for several). Files are read in the order of their paths.")
    parser.add_argument("--input-format", choices=["jsonl", "parquet"],
                        help="jsonl: canonical JSON lines, plain or .gz; parquet: the canonical columns. "
                        "Default: parquet when every path ends in .parquet, else jsonl.")
    parser.add_argument("--shards", type=int, metavar="N",
                        help="Cut the log into N shards (default: Spark's default parallelism).")
    parser.add_argument("--out", required=True, metavar="DIR", help="Output folder of the merged report.")
    parser.add_argument("--routesim", metavar="PATH",
                        help="The routesim binary (default: .build/release/routesim beside this folder, "
                        "else routesim on PATH). Shipped to the executors unless spark-submit --files has it.")
    parser.add_argument("--master", help="Spark master when not run by spark-submit (default: local[*]).")
    parser.add_argument("--keep-partials", metavar="DIR", help="Keep the shards' partials in DIR.")
    parser.add_argument("simulate", nargs=argparse.REMAINDER, metavar="-- SIMULATE OPTIONS")
    arguments = parser.parse_args(argv)
    if arguments.simulate[:1] == ["--"]:
        arguments.simulate = arguments.simulate[1:]
    if arguments.shards is not None and arguments.shards < 1:
        parser.error("--shards must be at least 1")
    return arguments


def split_simulate_options(options):
    """simulate's options as (shard options, merge options, input files by the path given)."""
    shard, merge, files = [], [], []
    current = None  # the option a bare value belongs to
    for token in options:
        if token.startswith("--"):
            name, _, value = token.partition("=")
            if name in REFUSED:
                raise DriverError(f"{name} is not given to the driver's simulate: {REFUSED[name]}")
            if name in MERGE_OPTIONS:
                merge.append(token)
                current = None
                continue
            current = name
            if value and name in FILE_OPTIONS:
                files.append(value)
        elif current in FILE_OPTIONS:
            files.append(token)
            if current != "--policy":  # --policy alone takes several files
                current = None
        shard.append(token)
    if "--models" not in (token.partition("=")[0] for token in shard):
        raise DriverError("simulate needs --models CATALOG after the --")
    return shard, merge, files


def find_routesim(given):
    if given:
        return given
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build", "release", "routesim")
    return here if os.path.exists(here) else (shutil.which("routesim") or "routesim")


def read_records(spark, paths, input_format):
    """The log as rows (value: a canonical JSON line, id, file, block, seq), in each file's own
    order by (block, seq): Spark reads a file in splits, each split's rows in file order."""
    from pyspark.sql import functions as F
    if input_format == "parquet":
        frame = spark.read.parquet(*paths)
        columns = [F.col(f"`{name}`") for name in frame.columns]
        return frame.select(
            F.to_json(F.struct(*columns)).alias("value"),
            F.col("id").cast("string").alias("id") if "id" in frame.columns else F.lit(None).cast("string").alias("id"),
            F.col("_metadata.file_path").alias("file"),
            F.lit(0).cast("long").alias("block"),
            F.col("_metadata.row_index").alias("seq"))
    frame = spark.read.text(paths)
    return frame.select(
        "value",
        F.get_json_object("value", "$.id").alias("id"),
        F.col("_metadata.file_path").alias("file"),
        F.col("_metadata.file_block_start").alias("block"),
        F.monotonically_increasing_id().alias("seq"))


def sharded(records, shards):
    """Each record with its shard, CRC-32(id) mod N (docs/partials.md); a line with no id (it will
    be rejected) goes to shard 0. Partitioned by shard, each shard's records in log order."""
    from pyspark.sql import functions as F
    shard = F.coalesce(F.pmod(F.crc32(F.col("id")), F.lit(shards)), F.lit(0)).cast("int")
    return (records.withColumn("shard", shard)
            .repartitionByRange(shards, "shard")
            .sortWithinPartitions("shard", "file", "block", "seq"))


def ship(spark, paths):
    """Ships files to the executors (those spark-submit --files did not already ship)."""
    shipped = {os.path.basename(path) for path in spark.sparkContext.getConf().get("spark.files", "").split(",") if path}
    for path in paths:
        if os.path.basename(path) not in shipped:
            spark.sparkContext.addFile(os.path.abspath(path))
            shipped.add(os.path.basename(path))


def materialize(files, directory):
    """Recreates each input file under `directory` at the path it was given (from the copy Spark
    shipped), so the shard's run names it as one run on the driver would."""
    from pyspark import SparkFiles
    for path in files:
        if os.path.isabs(path):
            if not os.path.exists(path):
                raise DriverError(f"{path} is not on this executor: give input files by relative paths, shipped with the job")
            continue
        target = os.path.join(directory, path)
        os.makedirs(os.path.dirname(target) or directory, exist_ok=True)
        if not os.path.exists(target):
            os.symlink(SparkFiles.get(os.path.basename(path)), target)


# What each shard's task returns to the driver.
RESULT_SCHEMA = "shard int, code int, partial binary, rejected binary, message string"


def replay_shard(binary, options, files, threads, shard, shards, chunks):
    """Runs `routesim simulate` on one shard's records, piped on stdin from `chunks` (bytes of whole
    lines); returns (shard, exit code, the partial's bytes, its rejected records' bytes, stderr)."""
    from pyspark import SparkFiles
    work = tempfile.mkdtemp(prefix=f"routesim-shard-{shard}-")
    try:
        materialize(files, work)
        program = binary if os.path.exists(binary) else SparkFiles.get(os.path.basename(binary))
        if not os.access(program, os.X_OK):
            os.chmod(program, 0o755)
        partial = os.path.join(work, "shard.partial")
        argv = [program, "simulate", "--log", STDIN, "--format", "canonical", "--shard", f"{shard}/{shards}",
                "--emit-partial", partial, "--threads", str(threads), *options]
        with open(os.path.join(work, "stderr"), "w+b") as errors:
            process = subprocess.Popen(argv, cwd=work, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
            try:
                for chunk in chunks:
                    process.stdin.write(chunk)
                process.stdin.close()
            except BrokenPipeError:
                pass  # the run stopped early; its exit code and message say why
            code = process.wait()
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")
        if code != 0:
            return (shard, code, None, None, message)
        with open(partial, "rb") as data:
            body = data.read()
        rejected = b""
        if os.path.exists(partial + ".rejected.jsonl"):
            with open(partial + ".rejected.jsonl", "rb") as data:
                rejected = data.read()
        return (shard, 0, body, rejected, message)
    except DriverError as error:
        return (shard, error.code, None, None, str(error))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def shard_pieces(batches):
    """(shard, bytes) for each run of one shard's rows in Arrow batches of (shard, line): the lines'
    bytes are taken whole from the batch's buffer, never row by row."""
    import pyarrow as pa
    import pyarrow.compute as pc
    for batch in batches:
        runs = pc.run_end_encode(batch.column(0))
        lines = batch.column(1)
        _, offset_buffer, data = lines.buffers()
        offsets = memoryview(offset_buffer).cast("q" if pa.types.is_large_string(lines.type) else "i")
        start = 0
        for end, shard in zip(runs.run_ends.to_pylist(), runs.values.to_pylist()):
            first, last = offsets[lines.offset + start], offsets[lines.offset + end]
            yield shard, memoryview(data)[first:last]
            start = end


def replay_partition(binary, options, files, threads, shards):
    """The task of one Spark partition: its rows come sorted by shard; one routesim run per shard."""
    def run(batches):
        import pyarrow as pa
        schema = pa.schema([("shard", pa.int32()), ("code", pa.int32()), ("partial", pa.binary()),
                            ("rejected", pa.binary()), ("message", pa.string())])  # RESULT_SCHEMA's columns
        pieces = shard_pieces(batches)
        piece = next(pieces, None)
        while piece is not None:
            shard, after = piece[0], {}

            def chunks(first=piece):
                yield first[1]
                for following in pieces:
                    if following[0] != shard:
                        after["piece"] = following
                        return
                    yield following[1]
            feed = chunks()
            result = replay_shard(binary, options, files, threads, shard, shards, feed)
            for _ in feed:  # a run that stopped early leaves the rest of its shard unread
                pass
            yield pa.RecordBatch.from_pylist([dict(zip(schema.names, result))], schema=schema)
            piece = after.get("piece")
    return run


def shown(path):
    """A path as Spark names it, as a user wrote it: a local file without its `file:` scheme."""
    return urllib.parse.unquote(re.sub(r"^file:(//)?", "", path)) if path.startswith("file:") else path


def places(records, shards, wanted):
    """{(shard, n): (file, line, id)}: where the n-th record sent to each shard came from, as one
    machine names it — its file, and its line there (for Parquet, its row, from 1). A second pass
    over the log, made only when a shard names records (a failure, rejected records).

    A record's line is the rows of its file's earlier splits plus its place in its own split:
    Spark numbers a split's rows one after another (`seq`), and every line of a file belongs to
    exactly one split, so one count per split gives every line."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    spark = records.sparkSession
    targets = spark.createDataFrame(sorted(wanted), "shard int, n long")
    order = Window.partitionBy("shard").orderBy("file", "block", "seq")
    found = (sharded(records, shards).withColumn("n", F.row_number().over(order))
             .join(F.broadcast(targets), ["shard", "n"]).select("shard", "n", "file", "block", "seq", "id").collect())
    splits = records.groupBy("file", "block").agg(F.count("*").alias("rows"), F.min("seq").alias("first")).collect()
    before, first, seen = {}, {}, {}
    for split in sorted(splits, key=lambda split: (split.file, split.block)):
        before[(split.file, split.block)] = seen.get(split.file, 0)
        first[(split.file, split.block)] = split.first
        seen[split.file] = seen.get(split.file, 0) + split.rows
    return {(row.shard, row.n): (shown(row.file), before[(row.file, row.block)] + row.seq - first[(row.file, row.block)] + 1, row.id)
            for row in found}


def restore_places(records, shards, rejected):
    """The shards' rejected records (`rejected[shard]`: routesim's `rejected.jsonl` lines, naming
    the shard's input) as one machine writes them: each at its file and line, places quoted in
    its reason too (a duplicate's first copy), in the order of the log."""
    # A shard's only input is its stdin: every rejected record names a line of it.
    parsed = [(shard, line, json.loads(line)) for shard in sorted(rejected) for line in rejected[shard].splitlines() if line]
    wanted = {(shard, entry["line"]) for shard, _, entry in parsed}
    wanted |= {(shard, int(number)) for shard, _, entry in parsed for number in STDIN_PLACE.findall(entry["reason"])}
    found = places(records, shards, wanted)
    out = []
    for shard, line, entry in parsed:
        file, number = found[(shard, entry["line"])][:2]
        reason = STDIN_PLACE.sub(lambda match: "%s:%d" % found[(shard, int(match.group(1)))][:2], entry["reason"])
        head = {"file": file, "line": number, "field": entry["field"], "reason": reason}
        # The record itself is kept as routesim wrote it; the first `,"record":` is its field's (quotes inside strings are escaped).
        text = "{" + ",".join(f"{json.dumps(key)}:{json.dumps(value, ensure_ascii=False)}" for key, value in head.items())
        out.append(((file, number), text.encode("utf-8") + line[line.index(b',"record":'):] + b"\n"))
    return b"".join(text for _, text in sorted(out, key=lambda item: item[0]))


def locate(records, shards, shard, line):
    """The file, line and id of the `line`-th record sent to `shard`, or None."""
    return places(records, shards, {(shard, line)}).get((shard, line))


def explain_failure(records, shards, shard, code, message):
    """A shard's failure, with `/dev/stdin:L` replaced by the file and line the record came from."""
    found = STDIN_PLACE.search(message)
    if found:
        place = locate(records, shards, shard, int(found.group(1)))
        if place:
            file, line, record_id = place
            message = message.replace(found.group(0), f"{file}:{line}")
            message = message.rstrip("\n") + f"\n  (record id {record_id!r}, in shard {shard}/{shards})\n"
    return shard_failure(shard, shards, code, message)


def shard_failure(shard, shards, code, message):
    """A shard's run that failed, with routesim's exit code; a run killed by a signal is an
    internal error (3), as routesim's own crash would be."""
    if code < 0:
        return DriverError(f"shard {shard}/{shards} failed: routesim was killed by signal {-code}\n{message.rstrip()}".rstrip(), 3)
    return DriverError(f"shard {shard}/{shards} failed (exit {code}):\n{message.rstrip()}", code)


class Job:
    """What the driver was asked, checked on the driver before Spark starts."""

    def __init__(self, arguments):
        self.options, self.merge_options, self.files = split_simulate_options(arguments.simulate)
        for path in self.files:
            if not os.path.isfile(path):
                raise DriverError(f"cannot read {path}: no such file (the driver ships the input files named after --)")
            if not os.path.isabs(path) and os.path.normpath(path).startswith(".."):
                raise DriverError(f"{path} leaves the current folder: each shard recreates its input files at the "
                                  "paths given, under a folder of its own; give a path below the current folder, or an absolute one")
        names = [os.path.basename(path) for path in self.files]
        if len(set(names)) != len(names):
            raise DriverError("two input files share a name; Spark ships files by name: rename one")
        binary = find_routesim(arguments.routesim)
        if shutil.which(binary) is None:
            raise DriverError(f"cannot run the routesim binary {binary}: build it (make build) or give --routesim PATH")
        self.binary = os.path.abspath(shutil.which(binary))
        self.paths = sorted(expand(arguments.input))
        self.input_format = arguments.input_format or (
            "parquet" if all(path.rstrip("/").endswith(".parquet") for path in self.paths) else "jsonl")
        self.shards = arguments.shards
        self.out = arguments.out
        self.keep_partials = arguments.keep_partials


def run(spark, job):
    """The whole job on `spark`; returns the merge's exit code (0, or 1 for an SLO breach)."""
    from pyspark.sql import functions as F
    binary, options, files = job.binary, job.options, job.files
    shards = job.shards or spark.sparkContext.defaultParallelism
    ship(spark, [binary] + files)
    if __name__ != "__main__":  # imported (by the tests): the workers import this file too
        spark.sparkContext.addPyFile(os.path.abspath(__file__))

    records = read_records(spark, job.paths, job.input_format)
    threads = int(spark.conf.get("spark.task.cpus", "1"))
    task = replay_partition(binary, options, files, threads, shards)
    partials = tempfile.mkdtemp(prefix="routesim-partials-")
    try:
        done = set()
        rejected = {}
        lines = sharded(records, shards).select("shard", F.concat("value", F.lit("\n")).alias("line"))
        results = lines.mapInArrow(task, RESULT_SCHEMA).toLocalIterator()
        for shard, code, body, rejects, message in results:
            if code != 0:
                raise explain_failure(records, shards, shard, code, message)
            write_partial(partials, shard, body)
            rejected[shard] = rejects
            done.add(shard)
        if not done:
            raise DriverError(f"the log holds no records ({', '.join(job.paths)}): there is nothing to replay")
        missing = [shard for shard in range(shards) if shard not in done]
        if missing:  # shards with no records: a partial like any other
            empty = spark.sparkContext.parallelize(missing, len(missing)).map(
                lambda shard: replay_shard(binary, options, files, threads, shard, shards, iter(())))
            for shard, code, body, rejects, message in empty.collect():
                if code != 0:
                    raise shard_failure(shard, shards, code, message)
                write_partial(partials, shard, body)
                rejected[shard] = rejects
        names = [os.path.join(partials, f"{shard}.partial") for shard in range(shards)]
        merged = subprocess.run([binary, "merge", *names, "--out", job.out, *job.merge_options],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if merged.returncode not in (0, 1):
            raise DriverError(f"routesim merge failed:\n{merged.stderr.rstrip()}", merged.returncode if merged.returncode > 0 else 3)
        sys.stderr.write(merged.stderr)  # its warnings
        if any(rejected.values()):
            with open(os.path.join(job.out, "rejected.jsonl"), "wb") as out:
                out.write(restore_places(records, shards, {shard: bytes(text) for shard, text in rejected.items() if text}))
        if job.keep_partials:
            os.makedirs(job.keep_partials, exist_ok=True)
            for name in names:
                shutil.copy(name, job.keep_partials)
        sys.stdout.write(f"replayed {shards} shards on Spark; " + merged.stdout)
        return merged.returncode
    finally:
        shutil.rmtree(partials, ignore_errors=True)


def execute(spark, job):
    """`run`, with Spark's own failures told in a line: a file Spark cannot read (a gzip file cut
    short, say) is bad input (2), as on one machine; any other failure of the job is internal (3)."""
    try:
        return run(spark, job)
    except DriverError:
        raise
    except Exception as error:  # Py4JJavaError and PySpark's own: their text is a Java stack
        text = str(error)
        cause = re.findall(r"Caused by: ([^\n]+)", text)
        unreadable = re.search(r"Encountered error while reading file (\S+?)\.?\s", text)
        if unreadable:
            reason = cause[-1] if cause else "Spark could not read it"
            raise DriverError(f"cannot read {unreadable.group(1)}: {reason}", 2) from error
        detail = cause[-1] if cause else text.strip().splitlines()[0] if text.strip() else type(error).__name__
        raise DriverError(f"the Spark job failed: {detail} (Spark's log above has the rest)", 3) from error


def write_partial(directory, shard, body):
    with open(os.path.join(directory, f"{shard}.partial"), "wb") as out:
        out.write(body)


def expand(inputs):
    """Local globs expanded (Spark expands its own for other file systems); other paths as given."""
    paths = []
    for path in inputs:
        local = not re.match(r"^[a-z][a-z0-9+.-]*://", path)
        matches = sorted(glob.glob(path)) if local and glob.has_magic(path) else []
        if local and glob.has_magic(path) and not matches:
            raise DriverError(f"cannot read {path}: no file matches")
        if local and not glob.has_magic(path) and not os.path.exists(path):
            raise DriverError(f"cannot read {path}: no such file")
        paths.extend(matches or [path])
    return paths


def session(master):
    """A Spark session; started here (not by spark-submit), Spark logs errors only."""
    from pyspark.sql import SparkSession
    if "PYSPARK_GATEWAY_PORT" not in os.environ and "PYSPARK_SUBMIT_ARGS" not in os.environ:
        quiet = os.path.join(os.path.dirname(os.path.abspath(__file__)), "log4j2.properties")
        os.environ["PYSPARK_SUBMIT_ARGS"] = f"--driver-java-options -Dlog4j2.configurationFile=file:{quiet} pyspark-shell"
    builder = SparkSession.builder.appName("routesim")
    builder = builder.config("spark.ui.showConsoleProgress", str(sys.stderr.isatty()).lower())
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        job = Job(arguments)  # refuse a bad command line before Spark starts
        import pyspark  # noqa: F401
    except DriverError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.code
    except ImportError:
        print("error: PySpark is not installed: run make deps (or python3 -m pip install pyspark)", file=sys.stderr)
        return 2
    spark = session(arguments.master)
    try:
        return execute(spark, job)
    except DriverError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.code
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
