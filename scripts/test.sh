#!/usr/bin/env bash
# The whole test suite against real brokers: installs what is missing (Mosquitto with apt-get,
# tansu with cargo install), starts both on loopback, runs lints, the example and every test of the
# workspace with all features, and stops the brokers whatever happened.
#
# Ports can be moved with ASYNCAPI_MQTT_PORT and ASYNCAPI_KAFKA_PORT (each uses that port and the
# next three).
set -euo pipefail

cd "$(dirname "$0")/.."

MQTT_PORT=${ASYNCAPI_MQTT_PORT:-21883}
KAFKA_PORT=${ASYNCAPI_KAFKA_PORT:-29092}
# A second tansu for the reconnect test: it tells clients to reach it at a port where the test
# runs a proxy it can cut (Kafka clients connect to the advertised address, not the bootstrap one).
KAFKA_UPSTREAM_PORT=$((KAFKA_PORT + 1))
KAFKA_PROXIED_PORT=$((KAFKA_PORT + 2))
# The security tests (tests/security.rs): Mosquitto over TLS, with client certificates, with a
# password; tansu with SASL SCRAM.
MQTT_TLS_PORT=$((MQTT_PORT + 1))
MQTT_MTLS_PORT=$((MQTT_PORT + 2))
MQTT_AUTH_PORT=$((MQTT_PORT + 3))
KAFKA_SASL_PORT=$((KAFKA_PORT + 3))

source scripts/brokers.sh
install_brokers
ports_free "$MQTT_PORT" "$KAFKA_PORT" "$KAFKA_UPSTREAM_PORT" "$KAFKA_PROXIED_PORT" \
    "$MQTT_TLS_PORT" "$MQTT_MTLS_PORT" "$MQTT_AUTH_PORT" "$KAFKA_SASL_PORT"

step "brokers: start on loopback"
# No cap on the messages Mosquitto queues for a slow subscriber: with its default (1,000 QoS 1
# messages beyond those in flight) it drops the rest, which tests/backpressure.rs would see.
start_mosquitto "$MQTT_PORT" "max_queued_messages 0"
start_tansu "$KAFKA_PORT"
start_tansu "$KAFKA_UPSTREAM_PORT" "$KAFKA_PROXIED_PORT"
# A user and a password made for this run, known to the password Mosquitto and the SASL tansu.
SECURITY_USER=asyncapi-tests
SECURITY_PASSWORD="pw-$(openssl rand -hex 12)"
start_mosquitto_secured "$MQTT_TLS_PORT" "$MQTT_MTLS_PORT" "$MQTT_AUTH_PORT" "$SECURITY_USER" "$SECURITY_PASSWORD"
start_tansu_sasl "$KAFKA_SASL_PORT" "$SECURITY_USER" "$SECURITY_PASSWORD"

export ASYNCAPI_TEST_MQTT="127.0.0.1:$MQTT_PORT"
export ASYNCAPI_TEST_KAFKA="127.0.0.1:$KAFKA_PORT"
export ASYNCAPI_TEST_KAFKA_UPSTREAM="127.0.0.1:$KAFKA_UPSTREAM_PORT"
export ASYNCAPI_TEST_KAFKA_PROXIED="127.0.0.1:$KAFKA_PROXIED_PORT"
export ASYNCAPI_TEST_MQTT_TLS="127.0.0.1:$MQTT_TLS_PORT"
export ASYNCAPI_TEST_MQTT_MTLS="127.0.0.1:$MQTT_MTLS_PORT"
export ASYNCAPI_TEST_MQTT_AUTH="127.0.0.1:$MQTT_AUTH_PORT"
export ASYNCAPI_TEST_KAFKA_SASL="127.0.0.1:$KAFKA_SASL_PORT"
# ca.pem, client.pem, client.key and other-ca.pem (see make_test_pki in scripts/brokers.sh).
export ASYNCAPI_TEST_TLS_DIR="$tls_dir"
# As MqttConfig::credentials_from_env and KafkaConfig::credentials_from_env read them.
export ASYNCAPI_TEST_MQTT_AUTH_USERNAME="$SECURITY_USER"
export ASYNCAPI_TEST_MQTT_AUTH_PASSWORD="$SECURITY_PASSWORD"
export ASYNCAPI_TEST_KAFKA_SASL_USERNAME="$SECURITY_USER"
export ASYNCAPI_TEST_KAFKA_SASL_PASSWORD="$SECURITY_PASSWORD"
# The fault tests start, stop and restart brokers of their own on free ports.
export ASYNCAPI_TEST_MOSQUITTO_BIN="$mosquitto_bin"
ASYNCAPI_TEST_TANSU_BIN=$(command -v tansu)
export ASYNCAPI_TEST_TANSU_BIN

# `scripts/test.sh --reliability [RUNS]`: only the reliability tests (faults, backpressure, floods
# in the conformance suites, injection, close and health in lifecycle), RUNS times (3 by
# default), their figures summed into the table of RELIABILITY.md (rows also kept in
# docs/reliability.jsonl).
if [ "${1:-}" = "--reliability" ]; then
    runs=${2:-3}
    export ASYNCAPI_RELIABILITY_OUT="$work/reliability.jsonl"
    for run in $(seq 1 "$runs"); do
        step "reliability: run $run of $runs"
        cargo test -p asyncapi-tests --features brokers --test faults --test backpressure \
            --test injection --test conformance_memory --test conformance_mqtt --test conformance_kafka \
            --test lifecycle
    done
    step "reliability: RELIABILITY.md"
    cp "$ASYNCAPI_RELIABILITY_OUT" docs/reliability.jsonl
    {
        echo "Recorded by \`scripts/test.sh --reliability $runs\` on $(date -u '+%Y-%m-%d %H:%MZ'):" \
            "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
            "$("$mosquitto_bin" -h 2>/dev/null | head -n1 || true), tansu $TANSU_VERSION."
        echo
        python3 scripts/reliability_table.py docs/reliability.jsonl
    } > "$work/table.md"
    python3 - "$work/table.md" <<'PY'
import re, sys
table = open(sys.argv[1]).read().strip()
text = open("RELIABILITY.md").read()
start, end = "<!-- reliability table: start -->", "<!-- reliability table: end -->"
before, rest = text.split(start)
_, after = rest.split(end)
open("RELIABILITY.md", "w").write(f"{before}{start}\n{table}\n{end}{after}")
PY
    exit 0
fi

step "format and lints (warnings are errors, generated code included)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "the README's examples: streetlights in memory and through Mosquitto, order events through tansu"
cargo run -p asyncapi-examples --bin streetlights
cargo run -p asyncapi-examples --bin streetlights -- --mqtt "127.0.0.1:$MQTT_PORT"
cargo run -p asyncapi-examples --features kafka --bin order-events -- --kafka "127.0.0.1:$KAFKA_PORT"

step "every test of the workspace, all features, against the brokers"
cargo test --workspace --all-features
