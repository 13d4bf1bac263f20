//! Fresh Kafka topics for each benchmark case: tansu's in-memory log gets slower to read as it
//! grows, so every case starts on topics of its own, named like the spec's fixed addresses (the
//! same length) so that the binaries rename addresses in place, allocating nothing.

use std::time::{Duration, Instant};

use asyncapi_runtime::kafka::Kafka;

/// A topic name unique to this case: `address` with its last 7 characters replaced by a hex
/// count (so `address` must be longer than 7).
pub fn case_topic(address: &str) -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (stem, _) = address.split_at(address.len() - 7);
    let topic = format!("{stem}{:07x}", (seconds * 64 + n) & 0x0fff_ffff);
    debug_assert_eq!(topic.len(), address.len());
    topic
}

/// Creates `name` with one partition and waits until the cluster knows it.
pub async fn create_topic(kafka: &Kafka, name: &str) {
    kafka.create_topic(name, 1).await.expect("create the topic");
    let deadline = Instant::now() + Duration::from_secs(10);
    while kafka.partitions(name).await.expect("metadata") != Some(1) {
        assert!(Instant::now() < deadline, "{name} has no partition");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Renames `address` to `to` in place (same length: no allocation).
pub fn rename(address: &mut String, to: &str) {
    address.clear();
    address.push_str(to);
}
