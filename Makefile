# routesim — the two commands a newcomer needs:
#   make demo   install what is missing, build (release), simulate the bundled datasets, write reports/
#   make test   run every test
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/release/routesim
APT_PACKAGES := libgsl-dev libsqlite3-dev libsimdjson-dev zlib1g-dev gnuplot-nox pkg-config

.PHONY: deps build demo reports test bench datasets clean

## Install the Debian packages routesim builds against (no-op when present).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi

build: deps
	$(SWIFT) build -c release

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
	@echo "reports: reports/support/report.md reports/roi/roi.md reports/compare/compare.md reports/sweep/"

## Regenerate every committed example report.
reports: demo

## Regenerate the bundled log (byte-identical for the same seed).
datasets: build
	$(BIN) mock --scenario datasets/support-scenario.yaml --requests 50000 --days 14 --seed 42 \
	  --out datasets/support-14d.jsonl.gz

## Benchmark (SPEC §6): 1M-record log, 5 policies, DuckDB reference when importable.
bench: build
	python3 bench/bench.py

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build
