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

apt_updated=false
# apt_install PACKAGE...: installs with apt-get, updating the package lists once per run.
apt_install() {
    if [ "$apt_updated" = false ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        apt_updated=true
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

install_brokers() {
    step "brokers: install what is missing"
    mosquitto_bin=$(find_mosquitto)
    if [ -z "$mosquitto_bin" ]; then
        echo "installing Mosquitto with apt-get"
        apt_install mosquitto
        mosquitto_bin=$(find_mosquitto)
    else
        echo "Mosquitto already installed: $mosquitto_bin"
    fi

    if ! command -v openssl > /dev/null; then
        echo "installing openssl with apt-get (the security tests' certificates)"
        apt_install openssl
    fi
    # librdkafka's SASL SCRAM (the runtime's kafka-ssl feature, on in the tests) links OpenSSL.
    if ! pkg-config --exists openssl 2> /dev/null; then
        echo "installing libssl-dev and pkg-config with apt-get (librdkafka with SSL and SCRAM)"
        apt_install libssl-dev pkg-config
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

# make_test_pki DIR: test certificates in DIR, made with openssl for this run only (valid two
# days, EC P-256): ca.pem (a CA), server.pem / server.key (for localhost and 127.0.0.1, as
# subjectAltNames, which rustls requires), client.pem / client.key (CN asyncapi-client, for
# client authentication), both signed by that CA, and other-ca.pem (an unrelated CA, which
# vouches for neither).
make_test_pki() {
    local dir=$1
    mkdir -p "$dir"
    (
        cd "$dir"
        local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
        for ca in ca other-ca; do
            openssl req -x509 "${ec[@]}" -days 2 -keyout "$ca.key" -out "$ca.pem" \
                -subj "/CN=asyncapi-rs $ca for tests" \
                -addext "basicConstraints=critical,CA:TRUE" \
                -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
        done
        printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" > server.ext
        printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=clientAuth" > client.ext
        for leaf in server:localhost client:asyncapi-client; do
            local name=${leaf%%:*} cn=${leaf#*:}
            openssl req "${ec[@]}" -keyout "$name.key" -out "$name.csr" -subj "/CN=$cn" 2>/dev/null
            openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
                -days 2 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
        done
        rm -f ./*.csr ./*.ext ca.srl ca.key other-ca.key
        # Mosquitto started as root reads them as the user `mosquitto`.
        chmod a+r ./*.pem ./*.key
    )
    chmod a+x "$work" "$dir"
    echo "test certificates in $dir"
}

# start_mosquitto_secured TLS_PORT MTLS_PORT AUTH_PORT USER PASSWORD: three Mosquittos with the
# certificates of `make_test_pki "$work/tls"` (made here, in `$tls_dir`): TLS_PORT speaks MQTT over
# TLS with the CA's server certificate; MTLS_PORT also requires a client certificate from that CA
# (its CN becomes the user name); AUTH_PORT is plain MQTT that refuses anonymous clients and
# accepts only USER with PASSWORD.
start_mosquitto_secured() {
    local tls_port=$1 mtls_port=$2 auth_port=$3 user=$4 password=$5
    tls_dir="$work/tls"
    make_test_pki "$tls_dir"
    local certs=("cafile $tls_dir/ca.pem" "certfile $tls_dir/server.pem" "keyfile $tls_dir/server.key")
    start_mosquitto "$tls_port" "${certs[@]}"
    start_mosquitto "$mtls_port" "${certs[@]}" "require_certificate true" "use_identity_as_username true"
    mosquitto_passwd -b -c "$work/mosquitto-passwords" "$user" "$password"
    chmod a+r "$work/mosquitto-passwords"
    start_mosquitto "$auth_port" "allow_anonymous false" "password_file $work/mosquitto-passwords"
}

# start_tansu_sasl PORT USER PASSWORD: tansu that requires SASL authentication, knowing USER with
# PASSWORD for SCRAM-SHA-256 and SCRAM-SHA-512. tansu keeps SCRAM credentials in its storage
# (the memory engine keeps none) and creates users only through the Kafka protocol, which an
# authenticating broker refuses before login: so a first tansu without authentication creates
# them in an SQLite file (`sqlite://NAME` is relative to tansu's working directory), is stopped,
# and a second one serves that file with authentication on.
start_tansu_sasl() {
    local port=$1 user=$2 password=$3
    local storage="sqlite://tansu-sasl-$port.db"
    (cd "$work" && exec tansu broker \
        --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$port" \
        --storage-engine "$storage") > "$work/tansu-$port-setup.log" 2>&1 &
    local setup=$!
    pids+=("$setup")
    wait_for_port "tansu (creating users)" "$port" "$setup"
    for mechanism in scram256 scram512; do
        tansu user create --broker "tcp://127.0.0.1:$port" --mechanism "$mechanism" \
            "$user" "$password" >> "$work/tansu-$port-setup.log" 2>&1
    done
    kill "$setup"
    wait "$setup" 2>/dev/null || true
    local kept=()
    for pid in "${pids[@]}"; do
        [ "$pid" = "$setup" ] || kept+=("$pid")
    done
    pids=("${kept[@]}")
    (cd "$work" && exec tansu broker \
        --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$port" \
        --storage-engine "$storage" \
        --authentication) > "$work/tansu-$port.log" 2>&1 &
    pids+=($!)
    wait_for_port "tansu (SASL)" "$port" "${pids[-1]}"
}
