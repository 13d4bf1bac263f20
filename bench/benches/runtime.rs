//! The runtime's own cost, in memory (no broker, no network): typed messages through the
//! generated API of `specs/bench.yaml` against the untyped `Transport` API carrying the same 200
//! JSON bytes, serialized and deserialized with serde_json by hand, on one thread.
//!
//! ```text
//! cargo bench -p asyncapi-bench --bench runtime
//! ```
//!
//! Benchmarks (each typed against raw):
//! - `memory/one_at_a_time`: publish one message (awaited) and receive it (decoded), over and over.
//! - `memory/batch_1000`: publish 1,000 messages (each awaited; the subscription buffers them
//!   all), then receive the 1,000.
//! - `encode`: the message ready to send, not sent: typed, the generated send method's `Publish`
//!   (address, JSON, the outgoing message); raw, `serde_json::to_vec` into an `Outgoing`.
//! - `decode`: one received message decoded: typed, the next item of the generated stream (over a
//!   stream that always has the message ready); raw, the next raw item and
//!   `serde_json::from_slice` into the same struct.
//!
//! Then, with a counting global allocator: allocations (and bytes asked for) per message, typed
//! and raw, for the publish side (10,000 messages published, nobody reading yet), the receive
//! side (then read) and the round trip (one at a time).
//!
//! Besides criterion's report, one record per benchmark goes through `asyncapi_bench::record`
//! (`suite: "runtime-micro"`): the median of criterion's own samples (time per message) and, for
//! typed, the ratio of raw's throughput to typed's; and one `allocations` record per client and
//! side. Records are written only under `cargo bench` (not when `cargo test` runs the target).

use std::future::IntoFuture;
use std::hint::black_box;
use std::time::{Duration, Instant};

use asyncapi_bench::alloc::{self, Counting};
use asyncapi_bench::reading::{self, ADDRESS, Publisher, RawReading, Subscriber, api, now_ns};
use asyncapi_bench::record;
use asyncapi_bench::samples::Samples;
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{Client, Incoming, MessageStream, Outgoing, RawStream, Subscription};
use asyncapi_runtime::{Transport as _, memory};
use criterion::{Criterion, Throughput};
use futures::{FutureExt, StreamExt};
use serde::Serialize;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SAMPLES: usize = 50;
const BATCH: usize = 1_000;
const ALLOCATION_MESSAGES: usize = 10_000;

/// Per benchmark: each `iter_custom` call's time per message, in nanoseconds. Criterion calls it
/// during warm-up too; the last `SAMPLES` calls are the samples.
static TIMES: Samples = Samples::new();

fn sample(id: &str, elapsed: Duration, messages: u64) {
    TIMES.push(id, elapsed.as_secs_f64() * 1e9 / messages.max(1) as f64);
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

type TypedStream = MessageStream<api::ReadingsParameters, reading::ReadingPayload>;

/// A typed client and its subscription over a fresh broker buffering `buffer` messages.
async fn typed_pair(buffer: usize) -> (Client<MemoryBroker>, TypedStream) {
    let client = Client::new(MemoryBroker::with_buffer(buffer));
    let stream = client.subscribe_receive_reading().await.expect("subscribe");
    (client, stream)
}

/// A broker and a raw subscription to the channel's address.
async fn raw_pair(buffer: usize) -> (MemoryBroker, RawStream) {
    let broker = MemoryBroker::with_buffer(buffer);
    let stream = broker
        .subscribe(Subscription::new(ADDRESS))
        .await
        .expect("subscribe");
    (broker, stream)
}

async fn typed_publish(
    client: &Client<MemoryBroker>,
    message: &mut reading::ReadingPayload,
    seq: i64,
) {
    reading::refill_typed(message, seq, now_ns());
    client.send_reading(message).await.expect("typed publish");
}

async fn typed_receive(stream: &mut TypedStream) -> i64 {
    let received = stream.next().await.expect("open").expect("decodes");
    received.payload.sent_ns
}

async fn raw_publish(broker: &MemoryBroker, message: &mut RawReading, seq: i64) {
    reading::refill_raw(message, seq, now_ns());
    let bytes = serde_json::to_vec(message).expect("encode");
    broker
        .publish(Outgoing::new(ADDRESS, bytes))
        .await
        .expect("raw publish");
}

async fn raw_receive(stream: &mut RawStream) -> i64 {
    let incoming = stream.next().await.expect("open").expect("receives");
    let reading: RawReading = serde_json::from_slice(&incoming.payload).expect("decodes");
    reading.sent_ns
}

/// A message as the broker delivers it, for the decode benchmarks.
fn incoming() -> Incoming {
    let bytes = serde_json::to_vec(&reading::raw(12_345, 678_901_234)).expect("encode");
    let mut incoming = Incoming::new(ADDRESS, bytes);
    incoming.content_type = Some("application/json".into());
    incoming
}

/// A raw stream that always has `message` ready.
fn always(message: Incoming) -> RawStream {
    futures::stream::repeat_with(move || Ok(message.clone())).boxed()
}

fn benchmarks(criterion: &mut Criterion) -> Vec<(&'static str, &'static str)> {
    let rt = runtime();
    let mut ran = Vec::new();
    let mut group = criterion.benchmark_group("memory");
    group.sample_size(SAMPLES);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));

    group.throughput(Throughput::Elements(1));
    {
        let (client, mut stream) = rt.block_on(typed_pair(memory::DEFAULT_BUFFER));
        let mut message = reading::typed(0, 0);
        let id = "memory/one_at_a_time/typed";
        group.bench_function("one_at_a_time/typed", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for seq in 0..iters as i64 {
                        typed_publish(&client, &mut message, seq).await;
                        black_box(typed_receive(&mut stream).await);
                    }
                    let elapsed = start.elapsed();
                    sample(id, elapsed, iters);
                    elapsed
                })
            })
        });
        ran.push(("memory", "one_at_a_time"));
    }
    {
        let (broker, mut stream) = rt.block_on(raw_pair(memory::DEFAULT_BUFFER));
        let mut message = reading::raw(0, 0);
        let id = "memory/one_at_a_time/raw";
        group.bench_function("one_at_a_time/raw", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for seq in 0..iters as i64 {
                        raw_publish(&broker, &mut message, seq).await;
                        black_box(raw_receive(&mut stream).await);
                    }
                    let elapsed = start.elapsed();
                    sample(id, elapsed, iters);
                    elapsed
                })
            })
        });
    }

    group.throughput(Throughput::Elements(BATCH as u64));
    {
        let (client, mut stream) = rt.block_on(typed_pair(BATCH));
        let mut message = reading::typed(0, 0);
        let id = "memory/batch_1000/typed";
        group.bench_function("batch_1000/typed", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        for seq in 0..BATCH as i64 {
                            typed_publish(&client, &mut message, seq).await;
                        }
                        for _ in 0..BATCH {
                            black_box(typed_receive(&mut stream).await);
                        }
                    }
                    let elapsed = start.elapsed();
                    sample(id, elapsed, iters * BATCH as u64);
                    elapsed
                })
            })
        });
        ran.push(("memory", "batch_1000"));
    }
    {
        let (broker, mut stream) = rt.block_on(raw_pair(BATCH));
        let mut message = reading::raw(0, 0);
        let id = "memory/batch_1000/raw";
        group.bench_function("batch_1000/raw", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        for seq in 0..BATCH as i64 {
                            raw_publish(&broker, &mut message, seq).await;
                        }
                        for _ in 0..BATCH {
                            black_box(raw_receive(&mut stream).await);
                        }
                    }
                    let elapsed = start.elapsed();
                    sample(id, elapsed, iters * BATCH as u64);
                    elapsed
                })
            })
        });
    }
    group.finish();

    let mut group = criterion.benchmark_group("codec");
    group.sample_size(SAMPLES);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(1));
    {
        let client = Client::new(MemoryBroker::new());
        let mut message = reading::typed(0, 0);
        let id = "codec/encode/typed";
        group.bench_function("encode/typed", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for seq in 0..iters as i64 {
                    reading::refill_typed(&mut message, seq, now_ns());
                    let publish = client.send_reading(&message);
                    black_box(publish.message().is_ok());
                    drop(black_box(publish));
                }
                let elapsed = start.elapsed();
                sample(id, elapsed, iters);
                elapsed
            })
        });
        ran.push(("codec", "encode"));
    }
    {
        let mut message = reading::raw(0, 0);
        let id = "codec/encode/raw";
        group.bench_function("encode/raw", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for seq in 0..iters as i64 {
                    reading::refill_raw(&mut message, seq, now_ns());
                    let bytes = serde_json::to_vec(&message).expect("encode");
                    drop(black_box(Outgoing::new(ADDRESS, bytes)));
                }
                let elapsed = start.elapsed();
                sample(id, elapsed, iters);
                elapsed
            })
        });
    }
    {
        let mut stream = TypedStream::new(always(incoming()), "receiveReading");
        let id = "codec/decode/typed";
        group.bench_function("decode/typed", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let item = stream.next().now_or_never().expect("ready");
                    black_box(item.expect("open").expect("decodes").payload.sent_ns);
                }
                let elapsed = start.elapsed();
                sample(id, elapsed, iters);
                elapsed
            })
        });
        ran.push(("codec", "decode"));
    }
    {
        let mut stream = always(incoming());
        let id = "codec/decode/raw";
        group.bench_function("decode/raw", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let item = stream.next().now_or_never().expect("ready");
                    let incoming = item.expect("open").expect("receives");
                    let reading: RawReading =
                        serde_json::from_slice(&incoming.payload).expect("decodes");
                    black_box(reading.sent_ns);
                }
                let elapsed = start.elapsed();
                sample(id, elapsed, iters);
                elapsed
            })
        });
    }
    group.finish();
    ran
}

#[derive(Serialize)]
struct MicroRecord {
    suite: &'static str,
    transport: &'static str,
    bench: &'static str,
    client: &'static str,
    payload_bytes: usize,
    ns_per_msg: f64,
    msgs_per_sec: f64,
    /// Typed throughput over raw throughput (raw's time per message over typed's).
    vs_raw: Option<f64>,
    samples: usize,
}

#[derive(Serialize)]
struct AllocationRecord {
    suite: &'static str,
    transport: &'static str,
    client: &'static str,
    side: &'static str,
    allocs_per_msg: f64,
    bytes_per_msg: f64,
}

/// Allocations per message: the publish side (every message published, nobody reading), the
/// receive side (then all read), and the round trip (one at a time).
fn allocations() -> Vec<AllocationRecord> {
    let rt = runtime();
    let n = ALLOCATION_MESSAGES;
    let mut records = Vec::new();
    let mut add = |client, side, (allocs, bytes): (f64, f64)| {
        records.push(AllocationRecord {
            suite: "allocations",
            transport: "memory",
            client,
            side,
            allocs_per_msg: allocs,
            bytes_per_msg: bytes,
        });
    };
    rt.block_on(async {
        // Typed.
        let (client, mut stream) = typed_pair(n).await;
        let mut message = reading::typed(0, 0);
        // One round first: lazily made things (the broker's lists, buffers) are not counted.
        typed_publish(&client, &mut message, 0).await;
        typed_receive(&mut stream).await;
        let before = alloc::snapshot();
        for seq in 0..n as i64 {
            typed_publish(&client, &mut message, seq).await;
        }
        let published = alloc::snapshot();
        for _ in 0..n {
            black_box(typed_receive(&mut stream).await);
        }
        let received = alloc::snapshot();
        for seq in 0..n as i64 {
            typed_publish(&client, &mut message, seq).await;
            black_box(typed_receive(&mut stream).await);
        }
        let round_trips = alloc::snapshot();
        add("typed", "publish", published.per_message_since(before, n));
        add("typed", "receive", received.per_message_since(published, n));
        add(
            "typed",
            "round_trip",
            round_trips.per_message_since(received, n),
        );

        // Raw.
        let (broker, mut stream) = raw_pair(n).await;
        let mut message = reading::raw(0, 0);
        raw_publish(&broker, &mut message, 0).await;
        raw_receive(&mut stream).await;
        let before = alloc::snapshot();
        for seq in 0..n as i64 {
            raw_publish(&broker, &mut message, seq).await;
        }
        let published = alloc::snapshot();
        for _ in 0..n {
            black_box(raw_receive(&mut stream).await);
        }
        let received = alloc::snapshot();
        for seq in 0..n as i64 {
            raw_publish(&broker, &mut message, seq).await;
            black_box(raw_receive(&mut stream).await);
        }
        let round_trips = alloc::snapshot();
        add("raw", "publish", published.per_message_since(before, n));
        add("raw", "receive", received.per_message_since(published, n));
        add(
            "raw",
            "round_trip",
            round_trips.per_message_since(received, n),
        );
    });
    records
}

/// The future of one typed publish (its transport's future kept inline in a fixed buffer) and
/// the in-memory broker's own: their sizes are what every publish moves.
fn future_sizes() {
    let client = Client::new(MemoryBroker::new());
    let message = reading::typed(0, 0);
    let typed = client.send_reading(&message).into_future();
    let raw = client
        .transport()
        .publish(Outgoing::new(ADDRESS, bytes::Bytes::new()));
    eprintln!(
        "future sizes: typed PublishFuture {} bytes, raw MemoryBroker::publish {} bytes",
        std::mem::size_of_val(&typed),
        std::mem::size_of_val(&raw)
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let ran = benchmarks(&mut criterion);
    criterion.final_summary();

    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    future_sizes();
    eprintln!();
    eprintln!(
        "{:<10} {:<14} {:>12} {:>12} {:>14} {:>8}",
        "group", "bench", "typed ns", "raw ns", "typed msgs/s", "vs raw"
    );
    for (group, bench) in ran {
        let (Some((typed, samples)), Some((raw, raw_samples))) = (
            TIMES.median_of_last(&format!("{group}/{bench}/typed"), SAMPLES),
            TIMES.median_of_last(&format!("{group}/{bench}/raw"), SAMPLES),
        ) else {
            continue;
        };
        let transport = if group == "memory" { "memory" } else { "none" };
        record::write(&MicroRecord {
            suite: "runtime-micro",
            transport,
            bench,
            client: "typed",
            payload_bytes: reading::PAYLOAD_BYTES,
            ns_per_msg: typed,
            msgs_per_sec: 1e9 / typed,
            vs_raw: Some(raw / typed),
            samples,
        });
        record::write(&MicroRecord {
            suite: "runtime-micro",
            transport,
            bench,
            client: "raw",
            payload_bytes: reading::PAYLOAD_BYTES,
            ns_per_msg: raw,
            msgs_per_sec: 1e9 / raw,
            vs_raw: None,
            samples: raw_samples,
        });
        eprintln!(
            "{group:<10} {bench:<14} {typed:>12.1} {raw:>12.1} {:>14.0} {:>8.3}",
            1e9 / typed,
            raw / typed
        );
    }
    eprintln!();
    eprintln!(
        "{:<8} {:<11} {:>14} {:>14}",
        "client", "side", "allocs/msg", "bytes/msg"
    );
    for allocation in allocations() {
        eprintln!(
            "{:<8} {:<11} {:>14.2} {:>14.1}",
            allocation.client, allocation.side, allocation.allocs_per_msg, allocation.bytes_per_msg
        );
        record::write(&allocation);
    }
}
