#!/usr/bin/env bash
# What the `asyncapi!` macro costs a user's build, measured on real crates.
#
#   bench/compile-cost/run.sh [--codegen-time] [--full-big]
#
# 1. The macro's own time ("macro" records): user crates that invoke the macro on
#    examples/specs/streetlights-mqtt.yml and on a synthetic spec of $MACRO_CHANNELS channels
#    (default 1000), against the same crates with the expansion (`asyncapi expand`) pasted in. Each
#    run touches the spec (or src/lib.rs) and runs `cargo check` of the user crate only, stopped
#    after macro expansion: rustc gets `-Zno-analysis -Ztime-passes` for that one crate (through
#    RUSTC_WORKSPACE_WRAPPER, with RUSTC_BOOTSTRAP set for that rustc only, so no dependency is
#    rebuilt or changed). Type-checking the generated code is left out on purpose: for 1,000
#    channels it takes minutes, the same with or without the macro (step 2 measures it). Three
#    profiles: the default (proc macros and their dependencies at opt-level 0),
#    `[profile.dev.build-override] opt-level = 3`, and `[profile.dev.package.asyncapi-codegen]
#    opt-level = 3` alone. The macro's time is rustc's `macro_expand_crate` (which also runs
#    serde's derives) with the macro minus with the pasted expansion, under the same profile.
# 2. Compile cost ("compile" records): a full `cargo check` of the user crate with the macro vs
#    with the expansion pasted in, default profile, on streetlights and on a synthetic spec of
#    $COMPILE_CHANNELS channels (default 100). --full-big adds the $MACRO_CHANNELS-channel spec
#    (2 runs; minutes each).
#
# Figures are medians: $RUNS runs (default 5) for streetlights and synthetic-$COMPILE_CHANNELS,
# $BIG_RUNS (default 3) for synthetic-$MACRO_CHANNELS. Variants alternate within each round, so
# load from elsewhere on the machine spreads over all of them. Every `cargo check` runs with
# CARGO_INCREMENTAL=0: each run redoes the whole user crate, as after a real edit of the spec,
# rather than replaying an incremental cache for an unchanged input. With --codegen-time, the
# generator alone is timed first (the codegen_time binary, dev and release builds), which
# scripts/bench.sh otherwise does itself.
#
# The crates are made under target/compile-cost/crates and built in target/compile-cost/<profile>
# (one target dir per profile, so dependencies stay cached between runs). Records (JSON lines, the
# format of asyncapi_bench::record) go to $ASYNCAPI_BENCH_OUT, stdout when unset; progress and a
# summary go to stderr. Knobs: COMPILE_COST_RUNS, COMPILE_COST_BIG_RUNS,
# COMPILE_COST_MACRO_CHANNELS, COMPILE_COST_COMPILE_CHANNELS.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
RUNS=${COMPILE_COST_RUNS:-5}
BIG_RUNS=${COMPILE_COST_BIG_RUNS:-3}
MACRO_CHANNELS=${COMPILE_COST_MACRO_CHANNELS:-1000}
COMPILE_CHANNELS=${COMPILE_COST_COMPILE_CHANNELS:-100}
codegen_time=false
full_big=false
for arg in "$@"; do
    case "$arg" in
        --codegen-time) codegen_time=true ;;
        --full-big) full_big=true ;;
        *) echo "usage: $0 [--codegen-time] [--full-big]" >&2; exit 2 ;;
    esac
done
work="$root/target/compile-cost"
crates="$work/crates"
mkdir -p "$crates"

say() { printf '%s\n' "$*" >&2; }
record() {
    if [ -n "${ASYNCAPI_BENCH_OUT:-}" ]; then
        printf '%s\n' "$1" >>"$ASYNCAPI_BENCH_OUT"
    else
        printf '%s\n' "$1"
    fi
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
spec_bytes() { wc -c <"$1" | tr -d ' '; }

if $codegen_time; then
    say "== the generator alone, dev and release builds (codegen_time)"
    cargo run --quiet -p asyncapi-bench --bin codegen_time
    cargo run --quiet --release -p asyncapi-bench --bin codegen_time
fi

say "== tools: the asyncapi CLI (expand) and the synthetic specs"
cargo build --quiet --release -p asyncapi-cli -p asyncapi-bench --bin asyncapi --bin codegen_time
cli="$root/target/release/asyncapi"
streetlights="$root/examples/specs/streetlights-mqtt.yml"
big="$work/synthetic-$MACRO_CHANNELS.yaml"
small="$work/synthetic-$COMPILE_CHANNELS.yaml"
"$root/target/release/codegen_time" --spec "$MACRO_CHANNELS" >"$big"
"$root/target/release/codegen_time" --spec "$COMPILE_CHANNELS" >"$small"

# The wrapper that stops the user crate's rustc after macro expansion (see 1. above).
expand_only="$work/expand-only.sh"
cat >"$expand_only" <<'EOF'
#!/bin/sh
# Made by bench/compile-cost/run.sh: RUSTC_WORKSPACE_WRAPPER for the user crate only.
rustc=$1
shift
RUSTC_BOOTSTRAP=1 exec "$rustc" "$@" -Zno-analysis -Ztime-passes
EOF
chmod +x "$expand_only"

# profile name → the profile section of the user crate's manifest.
profile_toml() {
    case "$1" in
        none) ;;
        opt3) printf '[profile.dev.build-override]\nopt-level = 3\n' ;;
        codegen-opt3) printf '[profile.dev.package.asyncapi-codegen]\nopt-level = 3\n' ;;
    esac
}

# replace FILE: moves FILE.new over FILE unless they are equal, so cargo keeps its cache.
replace() {
    if cmp -s "$1.new" "$1"; then rm "$1.new"; else mv "$1.new" "$1"; fi
}

# make_crate NAME PROFILE SPEC VARIANT: a user crate holding `pub mod api`, either the macro on a
# copy of SPEC or the expansion of SPEC pasted in.
make_crate() {
    local name=$1 profile=$2 spec=$3 variant=$4 dir="$crates/$1"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml.new" <<EOF
# Made by bench/compile-cost/run.sh.
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
asyncapi-runtime = { path = "$root/asyncapi-runtime" }

$(profile_toml "$profile")
[workspace]
EOF
    replace "$dir/Cargo.toml"
    [ -f "$dir/Cargo.lock" ] || cp "$root/Cargo.lock" "$dir/Cargo.lock"
    {
        echo "//! Made by bench/compile-cost/run.sh ($variant of $(basename "$spec"))."
        echo "pub mod api {"
        if [ "$variant" = macro ]; then
            cp "$spec" "$dir/spec.yaml.new"
            replace "$dir/spec.yaml"
            echo '    asyncapi_runtime::asyncapi!("spec.yaml");'
        else
            "$cli" expand "$spec"
        fi
        echo "}"
    } >"$dir/src/lib.rs.new"
    replace "$dir/src/lib.rs"
}

# cargo_check NAME PROFILE [WRAPPER]: `cargo check` of the crate, stderr to $work/last.log.
cargo_check() {
    local dir="$crates/$1"
    CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$work/$2" RUSTC_WORKSPACE_WRAPPER="${3:-}" \
        cargo check --quiet --offline --manifest-path "$dir/Cargo.toml" 2>"$work/last.log" || {
        cat "$work/last.log" >&2
        return 1
    }
}

# touch_input NAME: what a user edits, so that the next check redoes the crate.
touch_input() {
    if [ -f "$crates/$1/spec.yaml" ]; then touch "$crates/$1/spec.yaml"; else touch "$crates/$1/src/lib.rs"; fi
}

# Crates: name, profile, spec, variant, kind (expand: step 1, check: step 2). The pasted
# crate's baseline for codegen-opt3 is the one for none: that profile changes no other crate.
small_cases=(
    "cc-streetlights-macro none $streetlights macro check"
    "cc-streetlights-expanded none $streetlights expanded check"
    "cc-synthetic$COMPILE_CHANNELS-macro none $small macro check"
    "cc-synthetic$COMPILE_CHANNELS-expanded none $small expanded check"
    "cc-streetlights-expanded-x-none none $streetlights expanded expand"
    "cc-streetlights-expanded-x-opt3 opt3 $streetlights expanded expand"
)
big_cases=(
    "cc-synthetic$MACRO_CHANNELS-expanded-x-none none $big expanded expand"
    "cc-synthetic$MACRO_CHANNELS-expanded-x-opt3 opt3 $big expanded expand"
)
for profile in none opt3 codegen-opt3; do
    small_cases+=("cc-streetlights-macro-x-$profile $profile $streetlights macro expand")
    big_cases+=("cc-synthetic$MACRO_CHANNELS-macro-x-$profile $profile $big macro expand")
done

say "== crates under $crates; dependencies warm (once per profile)"
start=$(now)
for case in "${small_cases[@]}" "${big_cases[@]}"; do
    read -r name profile spec variant kind <<<"$case"
    make_crate "$name" "$profile" "$spec" "$variant"
done
# Every crate of a profile has the same dependencies: a small crate per profile builds them.
for profile in none opt3 codegen-opt3; do
    make_crate "cc-warm-$profile" "$profile" "$streetlights" macro
    cargo_check "cc-warm-$profile" "$profile"
done
say "   warm in $(elapsed "$start") s"

declare -A wall expand
# one NAME PROFILE KIND: one measured run, appended to wall[NAME] (and expand[NAME]); its wall
# time also in $last.
last=
one() {
    local name=$1 profile=$2 kind=$3 start
    touch_input "$name"
    start=$(now)
    if [ "$kind" = expand ]; then
        cargo_check "$name" "$profile" "$expand_only"
    else
        cargo_check "$name" "$profile"
    fi
    last=$(elapsed "$start")
    wall[$name]+="$last "
    if [ "$kind" = expand ]; then
        expand[$name]+="$(awk '$NF == "macro_expand_crate" { gsub(";", "", $2); print $2; exit }' "$work/last.log") "
    fi
}

# rounds N CASE...: N rounds over the cases, alternating.
rounds() {
    local n=$1 round case name profile spec variant kind line
    shift
    for round in $(seq "$n"); do
        line="   round $round:"
        for case in "$@"; do
            read -r name profile spec variant kind <<<"$case"
            one "$name" "$profile" "$kind"
            line+=" ${name#cc-}=$last"
        done
        say "$line"
    done
}

say "== streetlights and synthetic-$COMPILE_CHANNELS: $RUNS rounds, variants alternating (seconds)"
rounds "$RUNS" "${small_cases[@]}"
say "== synthetic-$MACRO_CHANNELS, expansion only: $BIG_RUNS rounds"
rounds "$BIG_RUNS" "${big_cases[@]}"
if $full_big; then
    say "== full checks of the $MACRO_CHANNELS-channel crates, default profile: 2 rounds"
    full_cases=()
    for variant in macro expanded; do
        make_crate "cc-synthetic$MACRO_CHANNELS-$variant" none "$big" "$variant"
        full_cases+=("cc-synthetic$MACRO_CHANNELS-$variant none $big $variant check")
    done
    rounds 2 "${full_cases[@]}"
fi

med() { tr ' ' '\n' <<<"${1:-}" | grep . | median; }
count() { tr ' ' '\n' <<<"${1:-}" | grep -c .; }

say ""
say "== summary (medians; CARGO_INCREMENTAL=0; dependencies warm)"
say "   1. the macro's time, expansion only: rustc's macro_expand_crate s (whole cargo check s)"
for spec in streetlights "synthetic$MACRO_CHANNELS"; do
    case $spec in
        streetlights) file=$streetlights label=streetlights channels=4 ;;
        *) file=$big label="synthetic-$MACRO_CHANNELS" channels=$MACRO_CHANNELS ;;
    esac
    for profile in none opt3 codegen-opt3; do
        m="cc-$spec-macro-x-$profile"
        e="cc-$spec-expanded-x-${profile/codegen-opt3/none}"
        mw=$(med "${wall[$m]}") ew=$(med "${wall[$e]}") mx=$(med "${expand[$m]}") ex=$(med "${expand[$e]}")
        share=$(minus "$mx" "$ex")
        record "{\"suite\":\"macro\",\"build_override\":\"$profile\",\"spec\":\"$label\",\"channels\":$channels,\"spec_bytes\":$(spec_bytes "$file"),\"seconds\":$share,\"macro_expand_seconds\":$mx,\"expanded_expand_seconds\":$ex,\"macro_wall_seconds\":$mw,\"expanded_wall_seconds\":$ew,\"what\":\"the asyncapi! expansion: rustc macro_expand_crate with the macro minus with its expansion pasted in\",\"runs\":$(count "${wall[$m]}")}"
        say "      $(printf '%-15s %-13s' "$label" "$profile") with the macro ${mx} (${mw})   pasted ${ex} (${ew})   => the macro: ${share} s"
    done
done

say "   2. full cargo check, macro vs pasted expansion (default profile): seconds"
specs=(streetlights "synthetic$COMPILE_CHANNELS")
$full_big && specs+=("synthetic$MACRO_CHANNELS")
for spec in "${specs[@]}"; do
    case $spec in
        streetlights) file=$streetlights label=streetlights channels=4 ;;
        "synthetic$COMPILE_CHANNELS") file=$small label="synthetic-$COMPILE_CHANNELS" channels=$COMPILE_CHANNELS ;;
        *) file=$big label="synthetic-$MACRO_CHANNELS" channels=$MACRO_CHANNELS ;;
    esac
    m=$(med "${wall[cc-$spec-macro]}") e=$(med "${wall[cc-$spec-expanded]}")
    n=$(count "${wall[cc-$spec-macro]}")
    record "{\"suite\":\"compile\",\"variant\":\"macro\",\"spec\":\"$label\",\"channels\":$channels,\"spec_bytes\":$(spec_bytes "$file"),\"seconds\":$m,\"runs\":$n}"
    record "{\"suite\":\"compile\",\"variant\":\"expanded\",\"spec\":\"$label\",\"channels\":$channels,\"spec_bytes\":$(spec_bytes "$file"),\"seconds\":$e,\"runs\":$n}"
    say "      $(printf '%-18s' "$label") macro ${m}   expanded ${e}   macro/expanded $(ratio "$m" "$e")   ($n runs)"
done
