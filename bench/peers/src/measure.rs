//! What every case shares: the clock, the payload, the collector the handler records into, the
//! publish loop of each mode, and the JSON line a case ends as.

use std::fmt::Display;
use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use ruststream::Outgoing;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

/// The size of every encoded payload, in bytes.
pub const PAYLOAD_BYTES: usize = 200;

/// The sequence number of the warm-up message, which proves the subscription delivers before the
/// clock starts and is left out of every figure.
pub const WARM_UP: u64 = u64::MAX;

static START: OnceLock<Instant> = OnceLock::new();

/// Fixes the process-wide monotonic start every `sent_ns` is measured from.
pub fn start_clock() {
    START.get_or_init(Instant::now);
}

/// Nanoseconds since the process-wide monotonic start.
pub fn now_ns() -> u64 {
    u64::try_from(START.get_or_init(Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The message as it is published: the filler is borrowed, so a publish allocates no payload
/// of its own beyond what the framework's codec writes.
#[derive(Serialize, Outgoing)]
pub struct Sample {
    pub seq: u64,
    pub sent_ns: u64,
    pub data: &'static str,
}

/// The message as the handler receives it, decoded by the framework's JSON codec.
#[derive(Deserialize)]
pub struct Received {
    pub seq: u64,
    pub sent_ns: u64,
    #[allow(dead_code, reason = "decoded like any payload field, read by no one")]
    pub data: String,
}

const FILL: &str = match std::str::from_utf8(&[b'x'; PAYLOAD_BYTES]) {
    Ok(fill) => fill,
    Err(_) => panic!("ASCII is UTF-8"),
};

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

impl Sample {
    /// A sample stamped now, its filler sized so the encoded JSON is exactly
    /// [`PAYLOAD_BYTES`] long.
    pub fn stamped(seq: u64) -> Self {
        let sent_ns = now_ns();
        // `{"seq":` + `,"sent_ns":` + `,"data":"` + `"}` is 29 bytes around the two numbers.
        let filler = PAYLOAD_BYTES - 29 - digits(seq) - digits(sent_ns);
        Self {
            seq,
            sent_ns,
            data: &FILL[..filler],
        }
    }
}

/// Checks the payload size once, before anything is measured.
pub fn check_payload() -> Result<(), String> {
    for seq in [0, 9, 10, 12_345, WARM_UP] {
        let encoded = serde_json::to_vec(&Sample::stamped(seq)).map_err(|e| e.to_string())?;
        if encoded.len() != PAYLOAD_BYTES {
            return Err(format!(
                "the payload of seq {seq} encodes to {} bytes, not {PAYLOAD_BYTES}",
                encoded.len()
            ));
        }
    }
    Ok(())
}

/// What the handler records into: one latency slot per sequence number, so a redelivery is
/// counted once and noticed.
pub struct Collector {
    latencies: Vec<AtomicU64>,
    received: AtomicUsize,
    duplicates: AtomicUsize,
    last_ns: AtomicU64,
    warmed: AtomicBool,
    warmed_signal: Notify,
    done: Notify,
}

const UNSEEN: u64 = u64::MAX;

impl Collector {
    pub fn new(messages: usize) -> Self {
        Self {
            latencies: (0..messages).map(|_| AtomicU64::new(UNSEEN)).collect(),
            received: AtomicUsize::new(0),
            duplicates: AtomicUsize::new(0),
            last_ns: AtomicU64::new(0),
            warmed: AtomicBool::new(false),
            warmed_signal: Notify::new(),
            done: Notify::new(),
        }
    }

    /// Records one delivery: its end-to-end latency, and the time of the last receive.
    pub fn record(&self, seq: u64, sent_ns: u64) {
        let now = now_ns();
        if seq == WARM_UP {
            if !self.warmed.swap(true, Ordering::AcqRel) {
                self.warmed_signal.notify_one();
            }
            return;
        }
        let Some(slot) = usize::try_from(seq)
            .ok()
            .and_then(|i| self.latencies.get(i))
        else {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
            return;
        };
        let latency = now.saturating_sub(sent_ns);
        if slot
            .compare_exchange(UNSEEN, latency, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.last_ns.fetch_max(now, Ordering::AcqRel);
        if self.received.fetch_add(1, Ordering::AcqRel) + 1 == self.latencies.len() {
            self.done.notify_one();
        }
    }
}

/// How the messages are published.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// Each publish is awaited before the next one starts.
    Awaited,
    /// Up to this many publishes are in flight at once; the run then waits for all of them.
    Pipelined(usize),
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Self::Awaited => "awaited",
            Self::Pipelined(_) => "pipelined",
        }
    }

    fn in_flight(self) -> usize {
        match self {
            Self::Awaited => 1,
            Self::Pipelined(k) => k,
        }
    }
}

/// The figures of one run.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    seconds: f64,
    msgs_per_sec: f64,
    publish_msgs_per_sec: f64,
    p50_us: f64,
    p99_us: f64,
    duplicates: usize,
}

impl Run {
    pub fn summary(&self) -> String {
        format!(
            "{:.3} s, {:.0} msg/s end to end, {:.0} msg/s published, p50 {:.0} us, p99 {:.0} us{}",
            self.seconds,
            self.msgs_per_sec,
            self.publish_msgs_per_sec,
            self.p50_us,
            self.p99_us,
            if self.duplicates > 0 {
                format!(", {} duplicate deliveries ignored", self.duplicates)
            } else {
                String::new()
            }
        )
    }
}

/// Publishes the warm-up message and waits for it, then publishes `messages` messages as `mode`
/// says and waits until the handler has recorded all of them, failing once `timeout` has passed.
///
/// `publish(seq)` stamps and publishes message `seq`, resolving when the framework's publish
/// resolves.
pub async fn drive<F, Fut, E>(
    sink: &Collector,
    mode: Mode,
    timeout: Duration,
    publish: F,
) -> Result<Run, String>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Display,
{
    let messages = sink.latencies.len();
    let deadline = tokio::time::Instant::now() + timeout;

    publish(WARM_UP)
        .await
        .map_err(|e| format!("the warm-up publish failed: {e}"))?;
    tokio::time::timeout_at(deadline, sink.warmed_signal.notified())
        .await
        .map_err(|_| "the warm-up message never reached the subscriber".to_owned())?;

    let first_ns = now_ns();
    let failed = |seq: u64, e: E| format!("publish of message {seq} failed: {e}");
    let publishing = async {
        match mode {
            Mode::Awaited => {
                for seq in 0..messages as u64 {
                    publish(seq).await.map_err(|e| failed(seq, e))?;
                }
            }
            Mode::Pipelined(in_flight) => {
                let mut pending = FuturesUnordered::new();
                for seq in 0..messages as u64 {
                    if pending.len() >= in_flight
                        && let Some((seq, outcome)) = pending.next().await
                    {
                        let outcome: Result<(), E> = outcome;
                        outcome.map_err(|e| failed(seq, e))?;
                    }
                    let sent = publish(seq);
                    pending.push(async move { (seq, sent.await) });
                }
                while let Some((seq, outcome)) = pending.next().await {
                    outcome.map_err(|e| failed(seq, e))?;
                }
            }
        }
        Ok::<_, String>(())
    };
    tokio::time::timeout_at(deadline, publishing)
        .await
        .map_err(|_| format!("publishing did not finish within {timeout:?}"))??;
    let published_ns = now_ns();

    if tokio::time::timeout_at(deadline, sink.done.notified())
        .await
        .is_err()
    {
        return Err(format!(
            "only {} of {messages} messages arrived within {timeout:?}",
            sink.received.load(Ordering::Acquire)
        ));
    }
    let last_ns = sink.last_ns.load(Ordering::Acquire);

    let mut latencies: Vec<u64> = sink
        .latencies
        .iter()
        .map(|slot| slot.load(Ordering::Acquire))
        .collect();
    latencies.sort_unstable();
    let seconds = last_ns.saturating_sub(first_ns) as f64 / 1e9;
    let publish_seconds = published_ns.saturating_sub(first_ns) as f64 / 1e9;
    Ok(Run {
        seconds,
        msgs_per_sec: messages as f64 / seconds,
        publish_msgs_per_sec: messages as f64 / publish_seconds,
        p50_us: percentile(&latencies, 50) / 1e3,
        p99_us: percentile(&latencies, 99) / 1e3,
        duplicates: sink.duplicates.load(Ordering::Acquire),
    })
}

/// The percentile `q` (0-100) of sorted values, picked as the typed/raw benchmark picks it.
fn percentile(sorted: &[u64], q: usize) -> f64 {
    sorted[(sorted.len() * q / 100).min(sorted.len() - 1)] as f64
}

/// One line of the benchmark's output, as `bench/src/record.rs` defines it.
#[derive(Serialize)]
struct Record<'a> {
    suite: &'static str,
    transport: &'a str,
    mode: &'static str,
    client: &'static str,
    messages: usize,
    payload_bytes: usize,
    in_flight: Option<usize>,
    seconds: f64,
    msgs_per_sec: f64,
    publish_msgs_per_sec: f64,
    p50_us: f64,
    p99_us: f64,
    allocs_per_msg: Option<f64>,
    runs: usize,
    note: String,
}

/// Writes the run with the median msgs/s as one JSON line to `$ASYNCAPI_BENCH_OUT` (stdout when
/// unset).
pub fn write_median(
    transport: &str,
    mode: Mode,
    messages: usize,
    mut runs: Vec<Run>,
    note: String,
) {
    runs.sort_by(|a, b| a.msgs_per_sec.total_cmp(&b.msgs_per_sec));
    let median = runs[runs.len() / 2];
    let record = Record {
        suite: "runtime",
        transport,
        mode: mode.name(),
        client: "ruststream",
        messages,
        payload_bytes: PAYLOAD_BYTES,
        in_flight: Some(mode.in_flight()),
        seconds: median.seconds,
        msgs_per_sec: median.msgs_per_sec,
        publish_msgs_per_sec: median.publish_msgs_per_sec,
        p50_us: median.p50_us,
        p99_us: median.p99_us,
        allocs_per_msg: None,
        runs: runs.len(),
        note,
    };
    let line = serde_json::to_string(&record).expect("a benchmark record serializes");
    match std::env::var_os("ASYNCAPI_BENCH_OUT") {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.to_string_lossy()));
            writeln!(file, "{line}").expect("a benchmark record is written");
        }
        None => println!("{line}"),
    }
}

/// A name no earlier run used: the process id, the clock and a counter.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{prefix}-{}-{stamp}-{n}", std::process::id())
}
