# Brokers for the tests and the benchmarks, sourced by scripts/test.sh and scripts/bench.sh.
#
# `install_brokers` installs what is missing (Mosquitto with apt-get, tansu with cargo install,
# skipped when already there); `start_mosquitto` and `start_tansu` start one broker on loopback in
# the background and wait until it listens. Every broker started here is stopped on exit, whatever
# happened, and on failure the last lines of its log are shown. Logs live in "$work".

TANSU_VERSION=0.6.0

step() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

find_mosquitto() {
    command -v mosquitto 2>/dev/null || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true
}

install_brokers() {
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

    local cargo_bin=${CARGO_HOME:-$HOME/.cargo}/bin
    export PATH="$cargo_bin:$PATH"
    if tansu --version 2>/dev/null | grep -qx "tansu $TANSU_VERSION"; then
        echo "tansu $TANSU_VERSION already installed: $(command -v tansu)"
    else
        echo "installing tansu $TANSU_VERSION with cargo install (about 10 minutes on 2 cores, once per machine)"
        cargo install tansu --version "$TANSU_VERSION" --features dynostore,libsql
    fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/asyncapi-brokers.XXXXXX")
pids=()
stop_brokers() {
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
trap stop_brokers EXIT INT TERM

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

# Fails when any of the given ports is taken.
ports_free() {
    for port in "$@"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "port $port is already in use; stop what holds it or set ASYNCAPI_MQTT_PORT / ASYNCAPI_KAFKA_PORT" >&2
            return 1
        fi
    done
}

# start_mosquitto PORT [CONFIG_LINE...]: an anonymous, non-persistent Mosquitto on
# 127.0.0.1:PORT, with any further lines of configuration given.
start_mosquitto() {
    local port=$1
    shift
    {
        echo "listener $port 127.0.0.1"
        echo "allow_anonymous true"
        echo "persistence false"
        for line in "$@"; do echo "$line"; done
    } > "$work/mosquitto-$port.conf"
    "$mosquitto_bin" -c "$work/mosquitto-$port.conf" > "$work/mosquitto-$port.log" 2>&1 &
    pids+=($!)
    wait_for_port Mosquitto "$port" "${pids[-1]}"
}

# start_tansu PORT [ADVERTISED_PORT]: tansu on memory storage, listening on PORT and telling
# clients to reach it at ADVERTISED_PORT (default PORT).
start_tansu() {
    local port=$1 advertised=${2:-$1}
    tansu broker \
        --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$advertised" \
        --storage-engine "memory://tansu-$port/" > "$work/tansu-$port.log" 2>&1 &
    pids+=($!)
    wait_for_port "tansu" "$port" "${pids[-1]}"
}
