#!/usr/bin/env bash
# Every benchmark, in one run, on this machine: the generator's speed (cargo bench), the time the
# macro adds to a user's build, the runtime against the raw clients in memory (cargo bench) and
# through real brokers (Mosquitto and tansu, started the way scripts/test.sh starts them), and the
# peers (ruststream; faststream in a throwaway virtualenv). Every measurement is appended as a JSON
# line to bench/results/results.jsonl; bench/charts.py then draws the PNG charts and the tables
# BENCHMARKS.md quotes (bench/results/summary.md).
#
# Ports can be moved with ASYNCAPI_BENCH_MQTT_PORT and ASYNCAPI_BENCH_KAFKA_PORT. Parts can be
# skipped with ASYNCAPI_BENCH_SKIP, a comma-separated list of: codegen, compile, runtime,
# throughput, request_reply, peers, faststream, charts. The request/reply round trips use a
# second Mosquitto (ASYNCAPI_BENCH_MQTT_NODELAY_PORT) with `set_tcp_nodelay true`.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

MQTT_PORT=${ASYNCAPI_BENCH_MQTT_PORT:-21983}
KAFKA_PORT=${ASYNCAPI_BENCH_KAFKA_PORT:-29192}
MQTT_NODELAY_PORT=${ASYNCAPI_BENCH_MQTT_NODELAY_PORT:-21984}
SKIP=",${ASYNCAPI_BENCH_SKIP:-},"
wanted() { [[ "$SKIP" != *",$1,"* ]]; }

source scripts/brokers.sh
install_brokers
ports_free "$MQTT_PORT" "$KAFKA_PORT" "$MQTT_NODELAY_PORT"

results="$root/bench/results"
mkdir -p "$results"
export ASYNCAPI_BENCH_OUT="$results/results.jsonl"
if [ -f "$ASYNCAPI_BENCH_OUT" ]; then
    mv "$ASYNCAPI_BENCH_OUT" "$ASYNCAPI_BENCH_OUT.previous"
fi
: > "$ASYNCAPI_BENCH_OUT"

step "the machine"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' (with uncommitted changes)')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "kernel: $(uname -sr)"
    echo "rustc: $(rustc -V)"
    echo "mosquitto: $("$mosquitto_bin" -h 2>/dev/null | head -n1 || true)"
    echo "tansu: $(tansu --version)"
    echo "python: $(python3 --version)"
} | tee "$results/machine.txt"

if wanted codegen; then
    step "generator: corpus documents and synthetic specs (cargo bench)"
    cargo bench -p asyncapi-bench --bench codegen
    cargo run --quiet -p asyncapi-bench --bin codegen_time
    cargo run --quiet --release -p asyncapi-bench --bin codegen_time
fi

if wanted compile; then
    step "a user's build: the macro's time in a debug build, macro vs pasted expansion"
    bench/compile-cost/run.sh
fi

if wanted runtime; then
    step "runtime in memory: typed vs raw, allocations (cargo bench)"
    cargo bench -p asyncapi-bench --bench runtime
    step "serve in memory: a 10 ms handler at concurrency limits 1, 4, 16, 64"
    cargo run --release -p asyncapi-bench --bin serve_concurrency
fi

step "brokers: start on loopback"
# Mosquitto drops QoS 1 messages queued beyond 1,000 for a subscriber that falls behind (which a
# pipelined publisher makes happen); unbounded here so a benchmark loses nothing.
start_mosquitto "$MQTT_PORT" "max_queued_messages 0"
start_tansu "$KAFKA_PORT"
# Round trips of small packets: Mosquitto's own Nagle (on by default) holds a reply back for the
# client's delayed ACK, 40 ms a leg, whatever the client does.
start_mosquitto "$MQTT_NODELAY_PORT" "max_queued_messages 0" "set_tcp_nodelay true"

if wanted throughput; then
    step "runtime through the brokers: typed vs raw rumqttc / rdkafka"
    cargo run --release -p asyncapi-bench --bin throughput -- \
        --mqtt "127.0.0.1:$MQTT_PORT" --kafka "127.0.0.1:$KAFKA_PORT"
fi

if wanted request_reply; then
    step "request/reply round trips through the brokers: typed vs raw rumqttc / rdkafka"
    cargo run --release -p asyncapi-bench --bin request_reply -- \
        --mqtt "127.0.0.1:$MQTT_NODELAY_PORT" --kafka "127.0.0.1:$KAFKA_PORT"
fi

if wanted peers; then
    step "peers: ruststream (rumqttc and rdkafka backends)"
    CARGO_TARGET_DIR="$root/target" cargo run --release --manifest-path bench/peers/Cargo.toml -- \
        --mqtt "127.0.0.1:$MQTT_PORT" --kafka "127.0.0.1:$KAFKA_PORT"
fi

if wanted faststream; then
    step "peers: faststream (Python, in a throwaway virtualenv)"
    bench/faststream/run.sh --mqtt "127.0.0.1:$MQTT_PORT" --kafka "127.0.0.1:$KAFKA_PORT"
fi

if wanted charts; then
    step "charts and tables"
    venv="$work/charts-venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check matplotlib==3.10.8
    "$venv/bin/python" bench/charts.py "$ASYNCAPI_BENCH_OUT" "$results"
fi

step "done: $ASYNCAPI_BENCH_OUT, charts and summary.md in $results"
