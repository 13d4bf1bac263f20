#!/usr/bin/env bash
# The whole test suite against real brokers: installs what is missing (Mosquitto with apt-get,
# tansu with cargo install), starts both on loopback, runs lints, the example and every test of the
# workspace with all features, and stops the brokers whatever happened.
#
# Ports can be moved with ASYNCAPI_MQTT_PORT and ASYNCAPI_KAFKA_PORT (Kafka uses that port and the
# next two).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

TANSU_VERSION=0.6.0
MQTT_PORT=${ASYNCAPI_MQTT_PORT:-21883}
KAFKA_PORT=${ASYNCAPI_KAFKA_PORT:-29092}

step() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

find_mosquitto() {
    command -v mosquitto 2>/dev/null || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true
}

step "brokers: install what is missing"
mosquitto_bin=$(find_mosquitto)
if [ -z "$mosquitto_bin" ]; then
    echo "installing Mosquitto with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mosquitto
    mosquitto_bin=$(find_mosquitto)
else
    echo "Mosquitto already installed: $mosquitto_bin"
fi

cargo_bin=${CARGO_HOME:-$HOME/.cargo}/bin
export PATH="$cargo_bin:$PATH"
if tansu --version 2>/dev/null | grep -qx "tansu $TANSU_VERSION"; then
    echo "tansu $TANSU_VERSION already installed: $(command -v tansu)"
else
    echo "installing tansu $TANSU_VERSION with cargo install (about 10 minutes on 2 cores, once per machine)"
    cargo install tansu --version "$TANSU_VERSION" --features dynostore,libsql
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/asyncapi-test.XXXXXX")
pids=()
cleanup() {
    status=$?
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "$status" -ne 0 ]; then
        for log in "$work"/*.log; do
            [ -f "$log" ] || continue
            echo "--- last lines of $(basename "$log")"
            tail -n 30 "$log"
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT INT TERM

wait_for_port() {
    local name=$1 port=$2 pid=$3
    for _ in $(seq 1 150); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$name exited before it listened on port $port" >&2
            return 1
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$name listens on 127.0.0.1:$port"
            return 0
        fi
        sleep 0.2
    done
    echo "$name did not listen on port $port within 30 s" >&2
    return 1
}

for port in "$MQTT_PORT" "$KAFKA_PORT" "$((KAFKA_PORT + 1))" "$((KAFKA_PORT + 2))"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is already in use; stop what holds it or set ASYNCAPI_MQTT_PORT / ASYNCAPI_KAFKA_PORT" >&2
        exit 1
    fi
done

step "brokers: start on loopback"
cat > "$work/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence false
CONF
"$mosquitto_bin" -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
pids+=($!)
wait_for_port Mosquitto "$MQTT_PORT" "${pids[-1]}"

tansu broker \
    --listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --storage-engine memory://tansu/ > "$work/tansu.log" 2>&1 &
pids+=($!)
wait_for_port tansu "$KAFKA_PORT" "${pids[-1]}"

# A second tansu for the reconnect test: it tells clients to reach it at a port where the test
# runs a proxy it can cut (Kafka clients connect to the advertised address, not the bootstrap one).
KAFKA_UPSTREAM_PORT=$((KAFKA_PORT + 1))
KAFKA_PROXIED_PORT=$((KAFKA_PORT + 2))
tansu broker \
    --listener-url "tcp://127.0.0.1:$KAFKA_UPSTREAM_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PROXIED_PORT" \
    --storage-engine memory://tansu-proxied/ > "$work/tansu-proxied.log" 2>&1 &
pids+=($!)
wait_for_port "tansu (proxied)" "$KAFKA_UPSTREAM_PORT" "${pids[-1]}"

export ASYNCAPI_TEST_MQTT="127.0.0.1:$MQTT_PORT"
export ASYNCAPI_TEST_KAFKA="127.0.0.1:$KAFKA_PORT"
export ASYNCAPI_TEST_KAFKA_UPSTREAM="127.0.0.1:$KAFKA_UPSTREAM_PORT"
export ASYNCAPI_TEST_KAFKA_PROXIED="127.0.0.1:$KAFKA_PROXIED_PORT"

step "format and lints (warnings are errors, generated code included)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "the README's examples: streetlights in memory and through Mosquitto, order events through tansu"
cargo run -p asyncapi-examples --bin streetlights
cargo run -p asyncapi-examples --bin streetlights -- --mqtt "127.0.0.1:$MQTT_PORT"
cargo run -p asyncapi-examples --features kafka --bin order-events -- --kafka "127.0.0.1:$KAFKA_PORT"

step "every test of the workspace, all features, against the brokers"
cargo test --workspace --all-features
