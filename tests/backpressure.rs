//! A slow consumer under a fast producer, on every transport: the process's memory stays
//! bounded (peak RSS measured), because a full subscription buffer holds the transport back
//! (the in-memory broker makes publishers wait; the MQTT adapter stops reading its connection;
//! the Kafka adapter pauses its partitions) instead of queueing without end. Every message
//! still arrives once the consumer reads on.
//!
//! One test runs the three cases one after the other, so the peak RSS of each is its own (it is
//! reset between them through `/proc/self/clear_refs`). Mosquitto and tansu come from
//! `scripts/test.sh` (`ASYNCAPI_TEST_MQTT`, `ASYNCAPI_TEST_KAFKA`).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
use asyncapi_runtime::{Client, Transport};
use asyncapi_tests::reliability::Row;
use futures::StreamExt;

mod spec {
    asyncapi_runtime::asyncapi!("specs/backpressure.yaml");
}
use spec::*;

/// Messages per case and their payload size: 100 MiB in all, far more than the bound.
const MESSAGES: u64 = 25_000;
const CHUNK: usize = 4096;
/// Publishes in flight at once.
const WINDOW: usize = 256;
/// How long the consumer reads nothing while the producer goes on.
const STALL: Duration = Duration::from_secs(4);
/// The most the process may grow by, peak over the start of the case.
const BOUND_MIB: u64 = 48;

/// A `/proc/self/status` figure in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// Resets the peak RSS (VmHWM) to the current RSS.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
}

async fn case<T: Transport + Clone>(name: &str, transport: T, prepare: impl AsyncFnOnce(&str)) {
    let client = Client::new(transport);
    let parameters = ChunksParameters {
        run: asyncapi_tests::unique("run").replace('-', "_"),
    };
    let address = parameters.address().unwrap();
    prepare(&address).await;
    let mut stream = client.subscribe_receive_chunk().await.unwrap();

    reset_peak();
    let start_kib = status_kib("VmRSS:");
    let sent = Arc::new(AtomicU64::new(0));
    let producer = {
        let (client, parameters, sent) = (client.clone(), parameters.clone(), sent.clone());
        tokio::spawn(async move {
            let filler = "x".repeat(CHUNK);
            futures::stream::iter(0..MESSAGES)
                .map(|seq| {
                    let payload = ChunkPayload {
                        seq: seq as i64,
                        data: filler.clone(),
                    };
                    let (client, parameters, sent) = (&client, &parameters, &sent);
                    async move {
                        client.send_chunk(parameters, &payload).await.unwrap();
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                })
                .buffer_unordered(WINDOW)
                .collect::<()>()
                .await;
        })
    };

    // The consumer reads nothing for a while (or until the producer is done).
    let stalled = Instant::now();
    while stalled.elapsed() < STALL && !producer.is_finished() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sent_while_stalled = sent.load(Ordering::Relaxed);
    let stall_peak_kib = status_kib("VmHWM:");

    // Then it reads everything.
    let mut seen = HashSet::new();
    let mut duplicated = 0u64;
    let drain = async {
        while (seen.len() as u64) < MESSAGES {
            let message = stream
                .next()
                .await
                .expect("the stream goes on")
                .expect("a valid chunk");
            assert_eq!(message.parameters.run, parameters.run);
            if !seen.insert(message.payload.seq) {
                duplicated += 1;
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(120), drain)
        .await
        .is_err()
    {
        panic!(
            "{name}: {} of {MESSAGES} chunks arrived within 120 s ({} sent)",
            seen.len(),
            sent.load(Ordering::Relaxed)
        );
    }
    producer.await.unwrap();
    let peak_kib = status_kib("VmHWM:");
    let grown_mib = peak_kib.saturating_sub(start_kib) / 1024;
    let stall_grown_mib = stall_peak_kib.saturating_sub(start_kib) / 1024;
    let total_mib = MESSAGES * CHUNK as u64 / (1024 * 1024);
    Row {
        case: format!("slow consumer: reads nothing for {STALL:?}, then drains"),
        transport: name.into(),
        tried: 1,
        sent: MESSAGES,
        delivered: seen.len() as u64,
        duplicated,
        rejected: 0,
        lost: MESSAGES - seen.len() as u64,
        notes: format!(
            "{total_mib} MiB sent; peak RSS +{stall_grown_mib} MiB while stalled, +{grown_mib} MiB \
             in all (bound {BOUND_MIB} MiB); {sent_while_stalled} publishes done while stalled"
        ),
        test: "backpressure::a_slow_consumer_holds_the_producer_back_in_bounded_memory".into(),
    }
    .report();
    assert!(
        grown_mib < BOUND_MIB,
        "{name}: the process grew by {grown_mib} MiB for {total_mib} MiB of messages"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_consumer_holds_the_producer_back_in_bounded_memory() {
    // In memory the producer itself is held back: it can be ahead by the buffer and the window.
    case("memory", MemoryBroker::new(), async |_| {}).await;

    let (host, port) = asyncapi_tests::broker_host_port("ASYNCAPI_TEST_MQTT");
    let mqtt = Mqtt::connect(MqttConfig::new(host, port)).await.unwrap();
    case("mqtt", mqtt.clone(), async |_| {}).await;
    mqtt.disconnect().await.unwrap();

    let kafka = Kafka::connect(KafkaConfig::new(asyncapi_tests::broker_address(
        "ASYNCAPI_TEST_KAFKA",
    )))
    .await
    .unwrap();
    let admin = kafka.clone();
    case("kafka", kafka, async move |address| {
        admin.create_topic(address, 1).await.unwrap()
    })
    .await;
}
