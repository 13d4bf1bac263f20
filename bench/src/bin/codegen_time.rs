//! How long the generator takes in the profile this binary was built with, which is the point:
//! the `asyncapi!` macro runs the generator compiled like a build dependency, unoptimized by
//! default, so `cargo run --bin codegen_time` (dev profile) shows what users wait for and
//! `--release` what the generator can do.
//!
//! ```text
//! cargo run -p asyncapi-bench --bin codegen_time [--release] [-- OPTIONS]
//!   --sizes 10,100,1000   synthetic sizes in channels (default 10,100,1000,10000)
//!   --corpus N            the N largest accepted corpus documents (default 4)
//!   --budget SECONDS      time spent per input, at least 3 runs (default 2)
//!   --spec N              only print the synthetic spec of N channels and exit
//! ```
//!
//! Each input is generated once to warm up (that run counts when it alone exceeds the budget),
//! then repeatedly until the budget is spent (3 runs at least, 51 at most); the figures are
//! medians. The first call of the process, which also compiles the schema validators, is
//! reported apart. Every run also times the stages the public API
//! exposes: parse and resolve references (`loader::load_text`), then build the model
//! (`model::build`); emit is the whole (`generate_text`) minus those. One record per input.

use std::path::Path;
use std::time::{Duration, Instant};

use asyncapi_bench::record;
use asyncapi_bench::samples::median;
use asyncapi_bench::synthetic::{self, Input};
use asyncapi_codegen::{Settings, generate_text, loader, model};
use serde::Serialize;

#[derive(Serialize)]
struct Record<'a> {
    suite: &'static str,
    input: &'static str,
    name: &'a str,
    channels: usize,
    spec_bytes: usize,
    profile: &'static str,
    /// The whole pipeline (`generate_text`), median.
    millis: f64,
    /// Parse and resolve references, median.
    parse_millis: f64,
    /// Build the model, median.
    model_millis: f64,
    /// The whole minus parse and model, median of the per-run differences.
    emit_millis: f64,
    /// `TokenStream::to_string` of the result (what a CLI or `build.rs` caller adds), median.
    to_string_millis: f64,
    runs: usize,
    source: &'static str,
}

const PROFILE: &str = if cfg!(debug_assertions) {
    "debug"
} else {
    "release"
};

struct Options {
    sizes: Vec<usize>,
    corpus: usize,
    budget: Duration,
}

fn main() {
    let options = match parse(std::env::args().skip(1).collect()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("codegen_time: {message}");
            std::process::exit(2);
        }
    };
    // Before anything else generates: choosing the corpus documents runs the generator.
    first_call();
    let mut inputs = synthetic::largest_corpus_documents(options.corpus);
    inputs.extend(options.sizes.iter().map(|&n| synthetic::synthetic_input(n)));
    eprintln!(
        "{:<70} {:>8} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>5}",
        format!("generator, {PROFILE} build"),
        "channels",
        "bytes",
        "total ms",
        "ms/chan",
        "parse",
        "model",
        "emit",
        "runs"
    );
    for input in &inputs {
        measure(input, options.budget);
    }
}

/// The first generation in a process also compiles the AsyncAPI 3.0 JSON Schema validator, once;
/// each crate that invokes the macro pays that once per compilation. Timed on the smallest spec,
/// against a second call.
fn first_call() {
    let text = synthetic::spec(1);
    let path = Path::new("synthetic-1.yaml");
    let settings = Settings::default();
    let time = || {
        let t = Instant::now();
        let tokens = generate_text(&text, path, &settings).expect("the input generates");
        std::hint::black_box(tokens);
        millis(t.elapsed())
    };
    let (first, second) = (time(), time());
    eprintln!(
        "first call (synthetic-1): {first:.3} ms, then {second:.3} ms: {:.3} ms are one-time \
         setup (schema validators)",
        first - second
    );
    record::write(&FirstCall {
        suite: "codegen",
        input: "first-call",
        name: "synthetic-1",
        channels: 1,
        spec_bytes: text.len(),
        profile: PROFILE,
        millis: first,
        second_millis: second,
        runs: 1,
        source: "codegen_time",
    });
}

#[derive(Serialize)]
struct FirstCall {
    suite: &'static str,
    input: &'static str,
    name: &'static str,
    channels: usize,
    spec_bytes: usize,
    profile: &'static str,
    /// The first call in the process.
    millis: f64,
    /// The call after it.
    second_millis: f64,
    runs: usize,
    source: &'static str,
}

fn measure(input: &Input, budget: Duration) {
    let settings = Settings::default();
    let path = input.path.as_path();
    let (mut total, mut parse, mut model, mut emit, mut to_string) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let started = Instant::now();
    // A warm-up run, kept as a measurement when it alone takes the whole budget (one-time setup
    // is paid by `first_call` already, so it only warms caches).
    let mut pending = Some(run_once(input, path, &settings)).filter(|_| started.elapsed() > budget);
    let started = Instant::now();
    while total.len() < 3 || (started.elapsed() < budget && total.len() < 51) {
        let t = pending
            .take()
            .unwrap_or_else(|| run_once(input, path, &settings));
        total.push(t.total);
        parse.push(t.parse);
        model.push(t.model);
        emit.push(t.total - t.parse - t.model);
        to_string.push(t.to_string);
    }
    let millis = median(&mut total);
    let record = Record {
        suite: "codegen",
        input: input.kind,
        name: &input.name,
        channels: input.channels,
        spec_bytes: input.text.len(),
        profile: PROFILE,
        millis,
        parse_millis: median(&mut parse),
        model_millis: median(&mut model),
        emit_millis: median(&mut emit),
        to_string_millis: median(&mut to_string),
        runs: total.len(),
        source: "codegen_time",
    };
    eprintln!(
        "{:<70} {:>8} {:>9} {:>10.3} {:>9.4} {:>9.3} {:>9.3} {:>9.3} {:>5}",
        record.name,
        record.channels,
        record.spec_bytes,
        record.millis,
        record.millis / record.channels as f64,
        record.parse_millis,
        record.model_millis,
        record.emit_millis,
        record.runs
    );
    record::write(&record);
}

/// Milliseconds of one run, per stage.
struct Timing {
    total: f64,
    parse: f64,
    model: f64,
    to_string: f64,
}

fn run_once(input: &Input, path: &Path, settings: &Settings) -> Timing {
    let options = settings.load_options();
    let t = Instant::now();
    let sources = loader::load_text(&input.text, path, path, &options).expect("the input loads");
    let parse = millis(t.elapsed());
    let t = Instant::now();
    let api = model::build(&sources).expect("the input builds");
    let model = millis(t.elapsed());
    drop((api, sources));
    let t = Instant::now();
    let tokens = generate_text(&input.text, path, settings).expect("the input generates");
    let total = millis(t.elapsed());
    let t = Instant::now();
    let text = tokens.to_string();
    let to_string = millis(t.elapsed());
    std::hint::black_box(text);
    Timing {
        total,
        parse,
        model,
        to_string,
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        sizes: synthetic::SIZES.to_vec(),
        corpus: 4,
        budget: Duration::from_secs(2),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => {
                options.sizes = value()?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.trim().parse().map_err(|e| format!("--sizes: {s}: {e}")))
                    .collect::<Result<_, _>>()?;
            }
            "--corpus" => {
                options.corpus = value()?.parse().map_err(|e| format!("--corpus: {e}"))?;
            }
            "--budget" => {
                let seconds: f64 = value()?.parse().map_err(|e| format!("--budget: {e}"))?;
                options.budget = Duration::from_secs_f64(seconds);
            }
            "--spec" => {
                let n: usize = value()?.parse().map_err(|e| format!("--spec: {e}"))?;
                if n == 0 {
                    return Err("--spec: a spec needs at least one channel".to_owned());
                }
                print!("{}", synthetic::spec(n));
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}
