//! The runtime benchmark's scenarios, run through ruststream (its `ruststream-rumqttc` and
//! `ruststream-rdkafka` brokers), so the peers' figures sit beside the typed client's and the raw
//! clients' in one chart.
//!
//! ```text
//! CARGO_TARGET_DIR=target cargo run --release --manifest-path bench/peers/Cargo.toml -- \
//!     [--mqtt HOST:PORT] [--kafka HOST:PORT] [--messages N] [--in-flight K] [--repeats R]
//! ```
//!
//! Each case: the subscriber is mounted in a started ruststream app (a `#[subscriber]` handler
//! decoding the JSON payload with the framework's codec), one warm-up message goes through, then
//! N messages are published and the run waits until the handler has seen all N. Each case runs
//! `--repeats` times (3) and the run with the median msgs/s is written as one JSON line
//! (`$ASYNCAPI_BENCH_OUT`, stdout when unset), in the record format of `bench/src/record.rs`.
//! Message counts, the window of the pipelined mode, the percentiles and the median follow the
//! typed/raw benchmark (`bench/src/bin/throughput.rs`), so the figures sit in one chart.

mod kafka;
mod measure;
mod mqtt;

use std::process::ExitCode;
use std::time::Duration;

use measure::{Mode, Run};

/// What the command line asked for.
struct Args {
    mqtt: Option<String>,
    kafka: Option<String>,
    messages: Option<usize>,
    in_flight: usize,
    repeats: usize,
}

/// Messages per case unless `--messages` says otherwise: the counts of the typed/raw benchmark
/// (`bench/src/bin/throughput.rs`), a few seconds each.
fn default_messages(transport: &str, mode: Mode) -> usize {
    match (transport, mode) {
        ("mqtt-qos0", Mode::Awaited) => 20_000,
        ("mqtt-qos0", Mode::Pipelined(_)) => 100_000,
        ("mqtt-qos1", Mode::Awaited) => 10_000,
        ("mqtt-qos1", Mode::Pipelined(_)) => 50_000,
        (_, Mode::Awaited) => 2_000,
        (_, Mode::Pipelined(_)) => 20_000,
    }
}

fn usage() -> &'static str {
    "usage: asyncapi-bench-peers [--mqtt HOST:PORT] [--kafka HOST:PORT] [--messages N] \
     [--in-flight K] [--repeats R]"
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        mqtt: None,
        kafka: None,
        messages: None,
        in_flight: 1_000,
        repeats: 3,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(flag) = argv.next() {
        let mut value = || {
            argv.next()
                .ok_or_else(|| format!("{flag} needs a value\n{}", usage()))
        };
        let number = |text: String| {
            text.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{flag}: {text:?} is not a positive number"))
        };
        match flag.as_str() {
            "--mqtt" => args.mqtt = Some(value()?),
            "--kafka" => args.kafka = Some(value()?),
            "--messages" => args.messages = Some(number(value()?)?),
            "--in-flight" => args.in_flight = number(value()?)?,
            "--repeats" => args.repeats = number(value()?)?,
            "-h" | "--help" => return Err(usage().to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    if args.mqtt.is_none() && args.kafka.is_none() {
        return Err(format!(
            "nothing to measure: give --mqtt and/or --kafka\n{}",
            usage()
        ));
    }
    Ok(args)
}

/// How long one run may take before it fails loudly.
fn deadline(messages: usize) -> Duration {
    Duration::from_secs(60) + Duration::from_millis(messages as u64)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    measure::start_clock();
    if let Err(message) = measure::check_payload() {
        eprintln!("{message}");
        return ExitCode::FAILURE;
    }
    let mut cases: Vec<(&'static str, Mode)> = Vec::new();
    if args.mqtt.is_some() {
        for transport in ["mqtt-qos0", "mqtt-qos1"] {
            cases.push((transport, Mode::Awaited));
            cases.push((transport, Mode::Pipelined(args.in_flight)));
        }
    }
    if args.kafka.is_some() {
        cases.push(("kafka", Mode::Awaited));
        cases.push(("kafka", Mode::Pipelined(args.in_flight)));
    }

    for (transport, mode) in cases {
        let messages = args
            .messages
            .unwrap_or_else(|| default_messages(transport, mode));
        let timeout = deadline(messages);
        let mut runs: Vec<Run> = Vec::with_capacity(args.repeats);
        for repeat in 0..args.repeats {
            let label = format!("{transport} {} run {}", mode.name(), repeat + 1);
            let outcome = match transport {
                "kafka" => {
                    let server = args.kafka.as_deref().unwrap_or_default();
                    kafka::run(server, mode, messages, timeout).await
                }
                _ => {
                    let server = args.mqtt.as_deref().unwrap_or_default();
                    let qos1 = transport == "mqtt-qos1";
                    mqtt::run(server, qos1, mode, messages, timeout).await
                }
            };
            match outcome {
                Ok(run) => {
                    eprintln!("ruststream {label}: {}", run.summary());
                    runs.push(run);
                }
                Err(error) => {
                    eprintln!("ruststream {label} FAILED: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
        let note = match transport {
            "kafka" => kafka::note(mode),
            _ => mqtt::note(mode),
        };
        measure::write_median(transport, mode, messages, runs, note);
    }
    ExitCode::SUCCESS
}
