//! The generator's speed: `generate_text` (parse, model, emit) on the largest accepted documents of
//! the public corpus and on synthetic specs of 10 to 10,000 channels; the stages the public API
//! exposes apart (parse with reference loading, then the model); and turning the result into text,
//! as the CLI and `build.rs` callers do.
//!
//! ```text
//! cargo bench -p asyncapi-bench --bench codegen
//! ```
//!
//! Besides criterion's report, one record per benchmark goes through `asyncapi_bench::record`:
//! the median of criterion's own samples (each sample's time per iteration, collected through
//! `iter_custom`, so the figure is the one criterion's "median" estimate is computed from).

use std::hint::black_box;
use std::time::{Duration, Instant};

use asyncapi_bench::record;
use asyncapi_bench::samples::Samples;
use asyncapi_bench::synthetic::{self, Input};
use asyncapi_codegen::{Settings, generate_text, loader, model};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use serde::Serialize;

/// Per benchmark: each `iter_custom` call's time per iteration, in milliseconds. Criterion calls
/// it during warm-up too; the last `sample_size` calls are the samples.
static SAMPLES: Samples = Samples::new();

fn sample(id: &str, per_iteration: Duration) {
    SAMPLES.push(id, per_iteration.as_secs_f64() * 1e3);
}

/// Times `iters` calls of `f` and records the time per call under `id`.
fn timed<T>(id: &str, iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    let elapsed = start.elapsed();
    sample(id, elapsed / iters.max(1) as u32);
    elapsed
}

#[derive(Serialize)]
struct Record<'a> {
    suite: &'static str,
    input: &'static str,
    name: &'a str,
    channels: usize,
    spec_bytes: usize,
    profile: &'static str,
    /// `generate`, `parse`, `parse+model` or `to_string`.
    stage: &'static str,
    millis: f64,
    samples: usize,
    source: &'static str,
}

/// Sample counts: criterion's default for small inputs; fewer, flat samples for big ones.
fn sample_size(input: &Input) -> usize {
    match input.text.len() {
        0..=200_000 => 50,
        200_001..=2_000_000 => 15,
        _ => 10,
    }
}

fn configure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    input: &Input,
) {
    let samples = sample_size(input);
    group.sample_size(samples);
    if input.text.len() > 200_000 {
        group.sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));
    } else {
        group.sampling_mode(SamplingMode::Auto);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(3));
    }
    if input.kind == "synthetic" {
        group.throughput(Throughput::Elements(input.channels as u64));
    } else {
        group.throughput(Throughput::Bytes(input.text.len() as u64));
    }
}

struct Ran<'i> {
    input: &'i Input,
    stage: &'static str,
    id: String,
    samples: usize,
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let settings = Settings::default();
    let mut inputs = synthetic::largest_corpus_documents(4);
    inputs.extend(
        synthetic::SIZES
            .iter()
            .map(|&n| synthetic::synthetic_input(n)),
    );
    let mut ran = Vec::new();

    // The whole pipeline.
    {
        let mut group = criterion.benchmark_group("generate");
        for input in &inputs {
            configure(&mut group, input);
            let id = format!("generate/{}", input.name);
            group.bench_with_input(
                BenchmarkId::from_parameter(&input.name),
                input,
                |b, input| {
                    b.iter_custom(|iters| {
                        timed(&id, iters, || {
                            generate_text(&input.text, &input.path, &settings).expect("generates")
                        })
                    })
                },
            );
            ran.push(Ran {
                input,
                stage: "generate",
                id,
                samples: sample_size(input),
            });
        }
        group.finish();
    }

    // The stages: parse (with references), then parse and model; emit is the rest. Not on the
    // 10,000-channel spec, to keep the run short (codegen_time has the split at every size).
    let staged: Vec<&Input> = inputs.iter().filter(|i| i.channels < 10_000).collect();
    let options = settings.load_options();
    let load = |input: &Input| {
        loader::load_text(&input.text, &input.path, &input.path, &options).expect("loads")
    };
    for (stage, with_model) in [("parse", false), ("parse+model", true)] {
        let mut group = criterion.benchmark_group(stage);
        for &input in &staged {
            configure(&mut group, input);
            let id = format!("{stage}/{}", input.name);
            group.bench_with_input(
                BenchmarkId::from_parameter(&input.name),
                input,
                |b, input| {
                    b.iter_custom(|iters| {
                        timed(&id, iters, || {
                            let sources = load(input);
                            if with_model {
                                drop(model::build(&sources).expect("builds"));
                            }
                            sources
                        })
                    })
                },
            );
            ran.push(Ran {
                input,
                stage,
                id,
                samples: sample_size(input),
            });
        }
        group.finish();
    }

    // Tokens to text: what `asyncapi expand` and `build.rs` callers add (the macro does not).
    {
        let mut group = criterion.benchmark_group("to_string");
        for input in inputs.iter().filter(|i| i.channels == 1_000) {
            configure(&mut group, input);
            let tokens = generate_text(&input.text, &input.path, &settings).expect("generates");
            let id = format!("to_string/{}", input.name);
            group.bench_with_input(BenchmarkId::from_parameter(&input.name), &tokens, |b, t| {
                b.iter_custom(|iters| timed(&id, iters, || t.to_string()))
            });
            ran.push(Ran {
                input,
                stage: "to_string",
                id,
                samples: sample_size(input),
            });
        }
        group.finish();
    }

    criterion.final_summary();

    // Records only from a real measurement (`cargo bench`), not from `cargo test --benches`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    eprintln!(
        "\n{:<12} {:<70} {:>8} {:>10} {:>9}",
        "stage", "input", "channels", "median ms", "ms/chan"
    );
    for r in &ran {
        let Some((millis, samples)) = SAMPLES.median_of_last(&r.id, r.samples) else {
            continue; // filtered out on the command line
        };
        eprintln!(
            "{:<12} {:<70} {:>8} {:>10.3} {:>9.4}",
            r.stage,
            r.input.name,
            r.input.channels,
            millis,
            millis / r.input.channels as f64
        );
        record::write(&Record {
            // The whole pipeline in the brief's `codegen` suite; stages apart, so that charts
            // of `codegen` see one figure per input.
            suite: if r.stage == "generate" {
                "codegen"
            } else {
                "codegen-stage"
            },
            input: r.input.kind,
            name: &r.input.name,
            channels: r.input.channels,
            spec_bytes: r.input.text.len(),
            profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            stage: r.stage,
            millis,
            samples,
            source: "criterion",
        });
    }
}
