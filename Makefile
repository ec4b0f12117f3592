# routesim — the two commands a newcomer needs:
#   make demo   install what is missing, build (release), simulate the bundled datasets, write reports/
#   make test   run every test
#   make spark  the same report as make demo's support run, replayed on Apache Spark (local[*])
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/release/routesim
APT_PACKAGES := libgsl-dev libsqlite3-dev libsimdjson-dev zlib1g-dev gnuplot-nox pkg-config openjdk-17-jre-headless \
  python3 python3-pip
# The Spark driver (spark/, docs/spark.md): PySpark, and Arrow to hand it the records in batches.
PIP_PACKAGES := pyspark==4.3.0 pyarrow==26.0.1 pandas==2.3.3

.PHONY: deps build demo reports test bench datasets clean fuzz fuzz-short spark

## Install the Debian packages routesim builds against, Java and PySpark (no-op when present).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi
	@# Debian's own Python refuses pip installs outside a virtual environment (PEP 668); the second try
	@# installs beside Debian's packages, which root on a build machine may.
	@python3 -c 'import pyspark, pyarrow, pandas' 2>/dev/null || { echo "installing: $(PIP_PACKAGES)"; \
	  python3 -m pip install -q --root-user-action=ignore $(PIP_PACKAGES) 2>/dev/null \
	  || python3 -m pip install -q --root-user-action=ignore --break-system-packages $(PIP_PACKAGES); }

## The Swift runtime and Foundation are linked into the binary (docs/performance.md, "Build"):
## no symbol lookups at start, direct calls into the runtime, one file to ship.
build: deps
	$(SWIFT) build -c release --static-swift-stdlib

## The main job: replay the bundled support log through the bundled policies.
demo: build
	$(BIN) simulate --log datasets/support-14d.jsonl.gz --models datasets/models.yaml \
	  --policy datasets/policies.yaml --baseline always-large \
	  --monthly-volume 3000000 --engineering-cost 150000 --rollout 0.1,0.5,1 \
	  --slo datasets/slo.yaml --out reports/support
	$(BIN) roi --scenario datasets/roi-scenario.yaml --out reports/roi > /dev/null
	$(BIN) compare --log datasets/support-14d.jsonl.gz --models datasets/models.yaml --policy datasets/policies.yaml \
	  --baseline always-large --candidate shadow-router --out reports/compare > /dev/null
	$(BIN) sweep --log datasets/support-14d.jsonl.gz --models datasets/models.yaml \
	  --policy datasets/policy-two-model.yaml datasets/policies.yaml --sweep small-then-large \
	  --param 'steps[0].accept_if.confidence.gte' --from 0.5 --to 1 --steps 51 --target-success 0.93 \
	  --out reports/sweep > /dev/null
	$(BIN) simulate --log datasets/workflow-14d.jsonl.gz --models datasets/models.yaml \
	  --policy datasets/workflow-policies.yaml --baseline always-large \
	  --monthly-volume 3000000 --engineering-cost 150000 --slo datasets/workflow-slo.yaml \
	  --out reports/workflow > /dev/null
	$(BIN) simulate --log datasets/capacity-7d.jsonl.gz --models datasets/capacity-models.yaml \
	  --policy datasets/capacity-policies.yaml --baseline api-large --out reports/capacity > /dev/null
	@echo "reports: reports/support/report.md reports/roi/roi.md reports/compare/compare.md reports/sweep/ reports/workflow/report.md reports/capacity/report.md"

## The support report of make demo, replayed on Spark (local[*], 4 shards) into out/spark and
## compared with reports/support: the same files, byte for byte (docs/spark.md).
spark: build
	python3 spark/routesim_spark.py --input datasets/support-14d.jsonl.gz --shards 4 --out out/spark -- \
	  --models datasets/models.yaml --policy datasets/policies.yaml --baseline always-large \
	  --monthly-volume 3000000 --engineering-cost 150000 --rollout 0.1,0.5,1 --slo datasets/slo.yaml
	diff -r reports/support out/spark && echo "out/spark is reports/support, byte for byte"

## Regenerate every committed example report.
reports: demo

## Regenerate the bundled log (byte-identical for the same seed).
datasets: build
	$(BIN) mock --scenario datasets/support-scenario.yaml --requests 50000 --days 14 --seed 42 \
	  --out datasets --name support-14d.jsonl.gz
	$(BIN) mock --scenario datasets/workflow-scenario.yaml --requests 50000 --days 14 --seed 7 \
	  --out datasets --name workflow-14d.jsonl.gz
	$(BIN) mock --scenario datasets/capacity-scenario.yaml --requests 30000 --days 7 --seed 16 \
	  --out datasets --name capacity-7d.jsonl.gz

## Benchmark (docs/performance.md): 1M-record log, 5 policies, against the same policies in SQL on DuckDB (installed with pip when missing).
bench: build
	@python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb
	python3 bench/bench.py

## The tests write their inputs under a temporary directory of their own, removed when they all
## pass and kept (its path printed) when one fails.
test: deps
	@start=$$(date +%s); scratch=$$(mktemp -d -t routesim-tests.XXXXXX); \
	$(MAKE) --no-print-directory fuzz-short && $(SWIFT) build --build-tests && TMPDIR=$$scratch $(SWIFT) test --skip-build \
	  && TMPDIR=$$scratch python3 -m unittest discover -s spark; \
	status=$$?; echo "make test took $$(( $$(date +%s) - start )) s (tests tagged .slow take most of it)"; \
	if [ $$status -eq 0 ]; then rm -rf $$scratch; else echo "the tests' files are kept in $$scratch"; fi; exit $$status

## Fuzzing (docs/performance.md): libFuzzer with AddressSanitizer and UBSan on the record parser,
## then the in-process fuzzer of the CSV reader and YAML loaders. Crashing inputs land in fuzz/regressions/.
CLANGXX ?= clang++
FUZZ_SECONDS ?= 600
FUZZ_ITERATIONS ?= 200000
FUZZER := .build-fuzz/record_fuzzer
FUZZ_FLAGS := -max_len=8192 -artifact_prefix=fuzz/regressions/ -print_final_stats=1

$(FUZZER): fuzz/record_fuzzer.cpp Sources/CRecordParser/record_parser.cpp Sources/CRecordParser/json_diagnosis.cpp Sources/CRecordParser/json_diagnosis.h Sources/CRecordParser/include/record_parser.h
	@mkdir -p .build-fuzz
	$(CLANGXX) -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -I Sources/CRecordParser/include $(filter %.cpp,$^) -lsimdjson -o $@ 2>&1 | grep -v "Cannot export local symbol" || true
	@test -x $@

fuzz: deps $(FUZZER)
	rm -rf .build-fuzz/corpus && cp -r fuzz/corpus/record .build-fuzz/corpus
	$(FUZZER) $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) .build-fuzz/corpus
	$(SWIFT) build --build-tests
	ROUTESIM_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS) $(SWIFT) test --skip-build --filter FuzzTests

## The short run that `make test` includes: the regression inputs, then 20 seconds of fuzzing.
fuzz-short: deps $(FUZZER)
	$(FUZZER) $(FUZZ_FLAGS) $$(ls fuzz/regressions/* 2>/dev/null) fuzz/corpus/record/* > .build-fuzz/regressions.log 2>&1 || (cat .build-fuzz/regressions.log; exit 1)
	rm -rf .build-fuzz/corpus && cp -r fuzz/corpus/record .build-fuzz/corpus
	$(FUZZER) $(FUZZ_FLAGS) -max_total_time=20 .build-fuzz/corpus > .build-fuzz/short.log 2>&1 || (tail -40 .build-fuzz/short.log; exit 1)
	@grep -E "^Done|stat::number_of_executed_units" .build-fuzz/short.log | head -1

clean:
	rm -rf .build
