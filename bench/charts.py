"""Charts and tables from one benchmark run.

usage: python bench/charts.py RESULTS.jsonl OUT_DIR

Reads the JSON lines every benchmark of scripts/bench.sh appended (one measurement each) and writes
into OUT_DIR:
  codegen.png     generator time against spec size (synthetic specs, release and debug builds)
  throughput.png  messages per second, typed against the raw clients and the peers
  latency.png     p50 and p99 end-to-end latency of the same runs
  summary.md      the tables BENCHMARKS.md quotes, every speed also as a ratio to its baseline
Only what the file holds is drawn; a part that did not run is left out, not invented.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TRANSPORTS = ["memory", "mqtt-qos0", "mqtt-qos1", "kafka"]
MODES = ["awaited", "pipelined"]
CLIENTS = ["typed", "raw", "raw-default-linger", "raw-content-type", "ruststream", "faststream"]
COLOURS = {
    "typed": "#1f77b4",
    "raw": "#7f7f7f",
    "raw-default-linger": "#c7c7c7",
    "raw-content-type": "#a0a0a0",
    "ruststream": "#ff7f0e",
    "faststream": "#2ca02c",
}


def load(path):
    records = []
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            sys.exit(f"{path}:{number}: not a JSON record: {e}")
    return records


def of(records, suite):
    return [r for r in records if r.get("suite") == suite]


def fmt(value, digits=0):
    if value is None:
        return "–"
    if isinstance(value, float) and digits:
        return f"{value:,.{digits}f}"
    return f"{value:,.0f}"


def ratio(value, base):
    if value is None or not base:
        return "–"
    return f"{value / base:.2f}×"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def codegen(records, out, summary):
    runs = of(records, "codegen")
    if not runs:
        return
    # The whole pipeline (stage "generate", or no stage), criterion's figure before a plain timing
    # of the same build when both exist.
    whole = [r for r in runs if r.get("stage") in (None, "generate")]
    whole.sort(key=lambda r: r.get("source") == "criterion")
    synthetic = defaultdict(dict)
    for r in whole:
        if r.get("input") == "synthetic":
            synthetic[r["profile"]][r["channels"]] = r["millis"]
    stages = defaultdict(dict)
    for r in of(records, "codegen-stage"):
        if r.get("input") == "synthetic" and r.get("profile", "release") == "release":
            stages[r["channels"]][r["stage"]] = r["millis"]

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for profile, style in (("release", "o-"), ("debug", "s--")):
        points = sorted(synthetic.get(profile, {}).items())
        if points:
            xs, ys = zip(*points)
            ax.plot(xs, ys, style, label=f"{profile} build")
    release = sorted(synthetic.get("release", {}).items())
    if release:
        # A line through the smallest-but-one point with slope 1: where linear growth would be.
        n0, t0 = release[min(1, len(release) - 1)]
        xs = [n for n, _ in release]
        ax.plot(xs, [t0 * n / n0 for n in xs], ":", color="grey", label="linear from 100 channels")
    ax.axhline(100, color="red", linewidth=0.8, label="goal: 100 ms at 1,000 channels")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("channels (each with its own message and operation)")
    ax.set_ylabel("generator time, ms (parse + model + emit)")
    ax.set_title("Generator time against spec size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "codegen.png", dpi=110)
    plt.close(fig)

    rows = []
    for channels in sorted(set(synthetic.get("release", {})) | set(synthetic.get("debug", {}))):
        rel = synthetic.get("release", {}).get(channels)
        dbg = synthetic.get("debug", {}).get(channels)
        rows.append(
            [
                f"{channels:,}",
                fmt(rel, 2),
                fmt(rel / channels * 1000, 1) if rel else "–",
                fmt(dbg, 2),
                ratio(dbg, rel),
            ]
        )
    summary.append("### Generator: synthetic specs\n")
    summary.append(
        table(
            ["channels", "release ms", "release µs/channel", "debug ms", "debug / release"],
            rows,
        )
    )
    if stages:
        names = sorted({stage for by in stages.values() for stage in by})
        summary.append("\n### Generator stages, synthetic specs (release, ms)\n")
        summary.append(
            table(
                ["channels", *names],
                [[f"{n:,}", *(fmt(by.get(stage), 2) for stage in names)] for n, by in sorted(stages.items())],
            )
        )
    corpus = {}
    for r in whole:
        if r.get("input") == "corpus":
            corpus.setdefault(r["name"], {})[r["profile"]] = r
    if corpus:
        summary.append("\n### Generator: the largest documents of the corpus\n")
        summary.append(
            table(
                ["document", "bytes", "release ms", "debug ms", "debug / release"],
                [
                    [
                        name,
                        fmt(next(iter(by.values())).get("spec_bytes")),
                        fmt(by.get("release", {}).get("millis"), 2),
                        fmt(by.get("debug", {}).get("millis"), 2),
                        ratio(by.get("debug", {}).get("millis"), by.get("release", {}).get("millis")),
                    ]
                    for name, by in sorted(corpus.items())
                ],
            )
        )


def macro_and_compile(records, summary):
    macro = of(records, "macro")
    if macro:
        base = {r["channels"]: r["seconds"] for r in macro if r.get("build_override") == "none"}
        summary.append("\n### The macro in a user's debug build (`cargo check` after touching the spec)\n")
        summary.append(
            table(
                ["spec", "build-override", "the macro's seconds", "vs default"],
                [
                    [
                        r.get("spec", f"{r['channels']:,} channels"),
                        r["build_override"],
                        fmt(r["seconds"], 2),
                        ratio(r["seconds"], base.get(r["channels"])),
                    ]
                    for r in sorted(macro, key=lambda r: (r["channels"], r["build_override"] != "none"))
                ],
            )
        )
    compile_ = of(records, "compile")
    if compile_:
        by_spec = defaultdict(dict)
        for r in compile_:
            by_spec[r["spec"]][r["variant"]] = r
        rows = []
        for spec, variants in by_spec.items():
            m, e = variants.get("macro"), variants.get("expanded")
            rows.append(
                [
                    spec,
                    fmt(m and m["seconds"], 2),
                    fmt(e and e["seconds"], 2),
                    ratio(m and m["seconds"], e and e["seconds"]),
                    (m or e).get("runs", "–"),
                ]
            )
        summary.append("\n### A user's `cargo check`: macro against the expansion pasted in\n")
        summary.append(table(["spec", "macro s", "expanded s", "macro / expanded", "runs"], rows))


def runtime(records, out, summary):
    runs = of(records, "runtime")
    if not runs:
        return
    cases = [(t, m) for t in TRANSPORTS for m in MODES if any(r["transport"] == t and r["mode"] == m for r in runs)]
    clients = [c for c in CLIENTS if any(r["client"] == c for r in runs)]
    cell = {(r["transport"], r["mode"], r["client"]): r for r in runs}

    for name, metric, label, log in (
        ("throughput.png", "msgs_per_sec", "messages per second, end to end", True),
        ("latency.png", None, "end-to-end latency, µs (bar p50, whisker p99)", True),
    ):
        fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(cases)), 4.8))
        width = 0.8 / max(1, len(clients))
        for i, client in enumerate(clients):
            xs, ys, err = [], [], []
            for j, case in enumerate(cases):
                r = cell.get((*case, client))
                if not r:
                    continue
                xs.append(j + (i - (len(clients) - 1) / 2) * width)
                if metric:
                    ys.append(r[metric])
                else:
                    ys.append(r["p50_us"])
                    err.append(max(0.0, r["p99_us"] - r["p50_us"]))
            if not xs:
                continue
            ax.bar(
                xs,
                ys,
                width,
                label=client,
                color=COLOURS.get(client),
                yerr=[[0] * len(err), err] if err else None,
                capsize=2,
            )
        ax.set_xticks(range(len(cases)))
        ax.set_xticklabels([f"{t}\n{m}" for t, m in cases])
        if log:
            ax.set_yscale("log")
        ax.set_ylabel(label)
        ax.set_title("Typed client against the raw clients and the peers, 200-byte payloads")
        ax.grid(True, axis="y", which="both", alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(out / name, dpi=110)
        plt.close(fig)

    rows = []
    for case in cases:
        raw = cell.get((*case, "raw"))
        for client in clients:
            r = cell.get((*case, client))
            if not r:
                continue
            rows.append(
                [
                    case[0],
                    case[1],
                    client,
                    fmt(r["messages"]),
                    fmt(r.get("in_flight")),
                    fmt(r["msgs_per_sec"]),
                    ratio(r["msgs_per_sec"], raw and raw["msgs_per_sec"]),
                    fmt(r.get("publish_msgs_per_sec")),
                    fmt(r.get("p50_us")),
                    fmt(r.get("p99_us")),
                ]
            )
    summary.append("\n### Runtime: end to end, 200-byte payloads (ratio against raw in the same run)\n")
    summary.append(
        table(
            [
                "transport",
                "mode",
                "client",
                "messages",
                "in flight",
                "msg/s",
                "vs raw",
                "publish msg/s",
                "p50 µs",
                "p99 µs",
            ],
            rows,
        )
    )
    notes = sorted({(r["client"], r["note"]) for r in runs if r.get("note")})
    if notes:
        summary.append("\nWhat the modes mean per client:\n")
        summary.extend(f"- {client}: {note}" for client, note in notes)


def request_reply(records, summary):
    runs = of(records, "request_reply")
    if not runs:
        return
    cell = {(r["transport"], r["mode"], r["client"]): r for r in runs}
    cases = list(dict.fromkeys((r["transport"], r["mode"]) for r in runs))
    rows = []
    for case in cases:
        raw = cell.get((*case, "raw"))
        for client in ("typed", "raw"):
            r = cell.get((*case, client))
            if not r:
                continue
            rows.append(
                [
                    case[0],
                    case[1],
                    client,
                    fmt(r["requests"]),
                    fmt(r["in_flight"]),
                    fmt(r["requests_per_sec"]),
                    ratio(r["requests_per_sec"], raw and raw["requests_per_sec"]),
                    fmt(r["p50_us"], 1),
                    ratio(r["p50_us"], raw and raw["p50_us"]),
                    fmt(r["p99_us"], 1),
                    ratio(r["p99_us"], raw and raw["p99_us"]),
                    fmt(r["mean_us"], 1),
                ]
            )
    summary.append("\n### Request/reply round trip (ratio against raw in the same run)\n")
    summary.append(
        table(
            [
                "transport",
                "mode",
                "client",
                "requests",
                "in flight",
                "req/s",
                "vs raw",
                "p50 µs",
                "vs raw",
                "p99 µs",
                "vs raw",
                "mean µs",
            ],
            rows,
        )
    )
    notes = sorted({(r["transport"], r["client"], r["note"]) for r in runs if r.get("note")})
    if notes:
        summary.append("\nThe clients:\n")
        summary.extend(f"- {transport} {client}: {note}" for transport, client, note in notes)


def micro(records, summary):
    runs = of(records, "runtime-micro")
    if not runs:
        return
    cell = {(r["bench"], r["client"]): r for r in runs}
    benches = list(dict.fromkeys(r["bench"] for r in runs))
    rows = []
    for bench in benches:
        typed, raw = cell.get((bench, "typed")), cell.get((bench, "raw"))
        rows.append(
            [
                (typed or raw)["transport"],
                bench,
                fmt(typed and typed["ns_per_msg"], 1),
                fmt(raw and raw["ns_per_msg"], 1),
                ratio(raw and raw["ns_per_msg"], typed and typed["ns_per_msg"]),
            ]
        )
    summary.append("\n### Runtime in memory, one thread (`cargo bench --bench runtime`)\n")
    summary.append(table(["transport", "bench", "typed ns/msg", "raw ns/msg", "typed speed vs raw"], rows))


def allocations(records, summary):
    runs = of(records, "allocations")
    if not runs:
        return
    summary.append("\n### Allocations per message\n")
    summary.append(
        table(
            ["transport", "where", "client", "side", "allocations / message", "bytes / message"],
            [
                [
                    r["transport"],
                    r.get("mode", "cargo bench, one thread"),
                    r["client"],
                    r["side"],
                    fmt(r["allocs_per_msg"], 2),
                    fmt(r.get("bytes_per_msg")),
                ]
                for r in runs
            ],
        )
    )


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    records = load(sys.argv[1])
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    summary = []
    codegen(records, out, summary)
    macro_and_compile(records, summary)
    runtime(records, out, summary)
    request_reply(records, summary)
    micro(records, summary)
    allocations(records, summary)
    (out / "summary.md").write_text("\n".join(summary) + "\n")
    print(f"wrote {', '.join(sorted(p.name for p in out.glob('*.png')))} and summary.md to {out}")


if __name__ == "__main__":
    main()
