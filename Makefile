# rdd — the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
RDD := ./bin/rdd
DEBIAN_PACKAGES := nats-server docker.io busybox-static jq iproute2 rootlesskit slirp4netns uidmap iptables zsh

.PHONY: help setup system-packages subordinate-ids build run test test-unit test-e2e lint typecheck clean machine-docs bench bench-inspection bench-recovery bench-startup bench-logs

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: system-packages subordinate-ids node_modules/.installed build ## Install what rdd needs (idempotent): Debian packages, subuid/subgid range, npm packages, build

system-packages: ## Install the Debian packages rdd and its tests need (Debian as root), or say what to install
	@./scripts/system-packages.sh $(DEBIAN_PACKAGES)

subordinate-ids: ## Give the current user a subuid/subgid range for the dockerd driver's user namespace (as root), or say how
	@./scripts/subordinate-ids.sh

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: node_modules/.installed ## Compile to dist/ and write the oclif manifest
	npm run build --silent

run: setup ## The main job: start the daemon and the engine of the instance ($$RDD_INSTANCE, default "default"), show their status
	$(RDD) svc start
	$(RDD) start
	$(RDD) get
	$(RDD) svc status

test: setup lint typecheck test-unit test-e2e ## Set up, then run every check and test (what CI runs)

test-unit: build ## Unit tests (beside the code)
	npx jest -c jest.unit.config.js

test-e2e: build ## End-to-end tests against a real nats-server
	npx jest -c jest.e2e.config.js

bench: build ## Benchmarks of the mirrors (not tests): PASS/MISS per target, rewrites docs/performance.md; BENCH_ARGS="--only a,b --containers 1000"
	npx tsc -p bench/tsconfig.json
	node dist/bench/bench/run.js $(BENCH_ARGS)

bench-inspection: build ## What XState inspection costs with and without a listener; rewrites its section of docs/performance.md
	npx tsc -p bench/tsconfig.json
	node dist/bench/bench/inspection.bench.js

bench-recovery: build ## Time from each fault inside rdd to Settled again, and whether the engine survived; rewrites its section of docs/performance.md; BENCH_ARGS="--containers 50 --only nats-kill"
	npx tsc -p bench/tsconfig.json
	node dist/bench/bench/recovery.bench.js $(BENCH_ARGS)

bench-startup: build ## The CLI's start-up: rdd version, --help, get, ctl get and a no-op set as ratios to node -e 0 and docker ps; rewrites its section of docs/performance.md; BENCH_ARGS="--runs 15 --containers 1000"
	npx tsc -p bench/tsconfig.json
	node dist/bench/bench/startup.bench.js $(BENCH_ARGS)

bench-logs: build ## `rdd ctl logs` against `docker logs` on a ~20 MB log, as a ratio; rewrites its section of docs/performance.md; BENCH_ARGS="--runs 5 --doublings 18"
	npx tsc -p bench/tsconfig.json
	node dist/bench/bench/logs.bench.js $(BENCH_ARGS)

machine-docs: node_modules/.installed ## Regenerate docs/machines (JSON, mermaid, dot) from machines/; a unit test fails while they are stale
	UPDATE_MACHINE_DOCS=1 npx jest -c jest.unit.config.js machines/catalogue

lint: node_modules/.installed ## eslint (typed), the layering (dependency-cruiser, .dependency-cruiser.cjs) and prettier
	npx eslint .
	npx depcruise --config .dependency-cruiser.cjs actors machines protocol client host cli
	npx prettier --check .

typecheck: node_modules/.installed ## tsc over every source and test
	npx tsc --noEmit -p tsconfig.json

clean: ## Remove build output
	rm -rf dist oclif.manifest.json
