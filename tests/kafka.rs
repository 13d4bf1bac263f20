//! The Kafka adapter (`asyncapi_runtime::kafka`) against a real Kafka-compatible broker (tansu):
//! what is particular to Kafka (partitions and offsets, keys, consumer groups and commits,
//! topic creation, pattern subscriptions, large records). What every transport must do is the
//! conformance suite's.
//!
//! The broker is `ASYNCAPI_TEST_KAFKA` (`host:port`), which `scripts/test.sh` sets; the tests
//! fail, rather than skip, without it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use asyncapi_runtime::bindings::KafkaTopic;
use asyncapi_runtime::kafka::{CORRELATION_ID_HEADER, Kafka, KafkaConfig, OffsetReset};
use asyncapi_runtime::{
    Headers, Incoming, Outgoing, RawStream, Subscription, Transport, TransportError,
};
use asyncapi_tests::{unique, within};
use futures::StreamExt;

fn broker() -> String {
    asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA")
}

async fn connect() -> Kafka {
    within(
        "connecting to the Kafka broker",
        Kafka::connect(KafkaConfig::new(broker()).client_id("asyncapi-tests")),
    )
    .await
    .expect("the Kafka broker is reachable")
}

/// A fresh topic with `partitions` partitions.
async fn topic(kafka: &Kafka, prefix: &str, partitions: i32) -> String {
    let name = unique(prefix);
    within("creating a topic", kafka.create_topic(&name, partitions))
        .await
        .unwrap();
    name
}

async fn subscribe(kafka: &Kafka, subscription: Subscription) -> RawStream {
    within("the subscription to go live", kafka.subscribe(subscription))
        .await
        .unwrap()
}

async fn next(stream: &mut RawStream) -> Incoming {
    within("a record", stream.next())
        .await
        .expect("the stream goes on")
        .expect("a record, not an error")
}

/// Nothing arrives for a while.
async fn quiet(stream: &mut RawStream, wait: Duration) {
    if let Ok(item) = tokio::time::timeout(wait, stream.next()).await {
        panic!("expected nothing, got {item:?}");
    }
}

fn text(message: &Incoming) -> &str {
    std::str::from_utf8(&message.payload).unwrap()
}

#[tokio::test]
async fn a_publish_resolves_with_the_partition_and_offset_the_subscriber_reads() {
    let kafka = connect().await;
    let name = topic(&kafka, "delivery", 1).await;
    let mut stream = subscribe(&kafka, Subscription::new(name.clone())).await;

    let mut deliveries = Vec::new();
    for i in 0..3 {
        let delivery = kafka
            .publish(Outgoing::new(name.as_str(), format!("m{i}")))
            .await
            .unwrap();
        deliveries.push(delivery);
    }
    let offsets: Vec<i64> = deliveries.iter().map(|d| d.offset.unwrap()).collect();
    assert!(
        deliveries.iter().all(|d| d.partition == Some(0)),
        "{deliveries:?}"
    );
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");

    for (i, offset) in offsets.iter().enumerate() {
        let message = next(&mut stream).await;
        assert_eq!(text(&message), format!("m{i}"));
        assert_eq!(message.address, name);
        assert_eq!(message.partition, Some(0));
        assert_eq!(message.offset, Some(*offset));
        // A subscription without a group has nothing to acknowledge.
        assert!(message.ack.is_none());
    }
}

#[tokio::test]
async fn key_headers_correlation_id_reply_to_and_content_type_round_trip() {
    let kafka = connect().await;
    let name = topic(&kafka, "metadata", 1).await;
    let mut stream = subscribe(&kafka, Subscription::new(name.clone())).await;

    let headers = Headers::from_iter([("trace", "t-1"), ("attempt", "2"), ("trace", "t-2")]);
    let outgoing = Outgoing::new(name.as_str(), "{}")
        .with_key("lamp-7")
        .with_headers(headers.clone())
        .with_correlation_id("corr-42")
        .with_reply_to("replies.lamp-7")
        .with_content_type("application/json");
    kafka.publish(outgoing).await.unwrap();
    // Without any of them, none comes back.
    kafka
        .publish(Outgoing::new(name.as_str(), "bare"))
        .await
        .unwrap();

    let message = next(&mut stream).await;
    assert_eq!(message.key.as_deref(), Some(&b"lamp-7"[..]));
    // The application's headers in order, repeated names kept; the transport's taken out.
    assert_eq!(message.headers, headers);
    assert_eq!(message.correlation_id.as_deref(), Some("corr-42"));
    assert_eq!(message.reply_to.as_deref(), Some("replies.lamp-7"));
    assert_eq!(message.content_type.as_deref(), Some("application/json"));

    let bare = next(&mut stream).await;
    assert_eq!(text(&bare), "bare");
    assert_eq!(bare.key, None);
    assert!(bare.headers.is_empty());
    assert_eq!(
        (bare.correlation_id, bare.reply_to, bare.content_type),
        (None, None, None)
    );
}

#[tokio::test]
async fn transport_headers_are_ordinary_kafka_headers_for_other_clients() {
    use rdkafka::Message;
    use rdkafka::consumer::{Consumer, StreamConsumer};
    use rdkafka::message::Headers as _;

    let kafka = connect().await;
    let name = topic(&kafka, "interop", 1).await;
    kafka
        .publish(Outgoing::new(name.as_str(), "x").with_correlation_id("c-9"))
        .await
        .unwrap();
    let consumer: StreamConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker())
        .set("group.id", unique("interop"))
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    consumer.subscribe(&[&name]).unwrap();
    let record = within("the record through raw rdkafka", consumer.recv())
        .await
        .unwrap();
    let headers = record.headers().expect("headers");
    let correlation = headers
        .iter()
        .find(|h| h.key == CORRELATION_ID_HEADER)
        .and_then(|h| h.value);
    assert_eq!(correlation, Some(&b"c-9"[..]));
}

#[tokio::test]
async fn topics_are_created_explicitly_with_their_partitions_and_never_implicitly() {
    let kafka = connect().await;
    let name: &'static str = unique("created").leak();
    let spec = KafkaTopic {
        channel: "created",
        name,
        partitions: Some(3),
        replicas: Some(1),
        config: &[("retention.ms", "3600000")],
    };
    within("creating the topic", kafka.create_topics(&[spec]))
        .await
        .unwrap();
    assert_eq!(kafka.partitions(name).await.unwrap(), Some(3));
    // Creating it again is fine, and changes nothing.
    within("creating the topic again", kafka.create_topics(&[spec]))
        .await
        .unwrap();
    kafka.create_topic(name, 5).await.unwrap();
    assert_eq!(kafka.partitions(name).await.unwrap(), Some(3));
    // A binding without a partition count: one partition, an ordered channel (tansu's own
    // default is 3).
    let ordered = KafkaTopic {
        name: unique("unbound").leak(),
        partitions: None,
        replicas: None,
        config: &[],
        ..spec
    };
    kafka.create_topics(&[ordered]).await.unwrap();
    assert_eq!(kafka.partitions(ordered.name).await.unwrap(), Some(1));

    // A topic nobody created: publishing fails, subscribing fails, and it still does not exist.
    let missing = unique("missing");
    assert_eq!(kafka.partitions(&missing).await.unwrap(), None);
    let started = Instant::now();
    let published = within(
        "the publish to a missing topic to fail",
        kafka.publish(Outgoing::new(missing.as_str(), "lost")),
    )
    .await;
    let error = published.expect_err("no topic, no delivery");
    assert!(error.to_string().contains("does not exist"), "{error}");
    eprintln!(
        "publishing to a missing topic failed after {:?}: {error}",
        started.elapsed()
    );
    let subscribed = within(
        "the subscription to a missing topic to fail",
        kafka.subscribe(Subscription::new(missing.clone())),
    )
    .await;
    let Err(error) = subscribed else {
        panic!("subscribed to a topic that does not exist")
    };
    assert!(matches!(error, TransportError::Config(_)), "{error}");
    assert!(error.to_string().contains("does not exist"), "{error}");
    assert_eq!(kafka.partitions(&missing).await.unwrap(), None);
}

#[tokio::test]
async fn a_template_with_parameters_subscribes_to_every_matching_topic() {
    let kafka = connect().await;
    let base = unique("lights");
    let a = format!("{base}.a.measured");
    let b = format!("{base}.b.measured");
    let other = format!("{base}.a.dimmed");
    for name in [&a, &b, &other] {
        kafka.create_topic(name, 1).await.unwrap();
    }
    let template = format!("{base}.{{id}}.measured");
    let mut stream = subscribe(&kafka, Subscription::new(template)).await;

    kafka.publish(Outgoing::new(a.as_str(), "a")).await.unwrap();
    kafka
        .publish(Outgoing::new(other.as_str(), "dimmed"))
        .await
        .unwrap();
    kafka.publish(Outgoing::new(b.as_str(), "b")).await.unwrap();
    let mut got = BTreeMap::new();
    for _ in 0..2 {
        let message = next(&mut stream).await;
        got.insert(message.address.clone(), text(&message).to_owned());
    }
    assert_eq!(
        got,
        BTreeMap::from([(a.clone(), "a".to_owned()), (b.clone(), "b".to_owned())])
    );

    // A matching topic created afterwards is found (metadata is refreshed every 2 s), from
    // its first record.
    let c = format!("{base}.c.measured");
    kafka.create_topic(&c, 1).await.unwrap();
    kafka.publish(Outgoing::new(c.as_str(), "c")).await.unwrap();
    let message = next(&mut stream).await;
    assert_eq!(
        (message.address.as_str(), text(&message)),
        (c.as_str(), "c")
    );
    quiet(&mut stream, Duration::from_millis(500)).await;
}

#[tokio::test]
async fn records_with_one_key_stay_in_order_on_one_partition() {
    let kafka = connect().await;
    let name = topic(&kafka, "ordered", 3).await;
    let mut stream = subscribe(&kafka, Subscription::new(name.clone())).await;

    // All in flight at once: idempotence keeps each partition's records in publish order.
    let keys = ["lamp-1", "lamp-2", "lamp-3", "lamp-4", "lamp-5", "lamp-6"];
    let publishes = (0..60).map(|i| {
        let key = keys[i % keys.len()];
        kafka.publish(
            Outgoing::new(name.as_str(), format!("{key}:{}", i / keys.len())).with_key(key),
        )
    });
    let deliveries = futures::future::try_join_all(publishes).await.unwrap();
    let partitions: BTreeSet<i32> = deliveries.iter().filter_map(|d| d.partition).collect();
    assert!(partitions.len() > 1, "every key landed on {partitions:?}");

    let mut seen: HashMap<String, (i32, Vec<usize>)> = HashMap::new();
    for _ in 0..60 {
        let message = next(&mut stream).await;
        let (key, n) = text(&message).split_once(':').unwrap();
        assert_eq!(message.key.as_deref(), Some(key.as_bytes()));
        let entry = seen
            .entry(key.to_owned())
            .or_insert((message.partition.unwrap(), Vec::new()));
        assert_eq!(
            entry.0,
            message.partition.unwrap(),
            "{key} changed partition"
        );
        entry.1.push(n.parse().unwrap());
    }
    for (key, (_, sequence)) in seen {
        assert_eq!(sequence, (0..10).collect::<Vec<_>>(), "{key}");
    }
}

#[tokio::test]
async fn members_of_a_named_group_share_the_partitions() {
    let kafka = connect().await;
    let name = topic(&kafka, "shared", 4).await;
    let group = unique("workers");
    let subscription = Subscription::new(name.clone()).with_group(group);
    let mut first = subscribe(&kafka, subscription.clone()).await;
    let mut second = subscribe(&kafka, subscription.clone()).await;

    for i in 0..40 {
        kafka
            .publish(Outgoing::new(name.as_str(), format!("{i}")).with_key(format!("k{i}")))
            .await
            .unwrap();
    }
    let mut by_member: [Vec<Incoming>; 2] = [Vec::new(), Vec::new()];
    within("every record once across the group", async {
        while by_member[0].len() + by_member[1].len() < 40 {
            tokio::select! {
                Some(item) = first.next() => by_member[0].push(item.unwrap()),
                Some(item) = second.next() => by_member[1].push(item.unwrap()),
            }
        }
    })
    .await;
    let all: BTreeSet<String> = by_member
        .iter()
        .flatten()
        .map(|m| text(m).to_owned())
        .collect();
    assert_eq!(all.len(), 40, "a record came twice");
    let partitions = |member: &[Incoming]| -> BTreeSet<i32> {
        member.iter().filter_map(|m| m.partition).collect()
    };
    let (one, two) = (partitions(&by_member[0]), partitions(&by_member[1]));
    assert!(!one.is_empty() && !two.is_empty(), "{one:?} / {two:?}");
    assert!(one.is_disjoint(&two), "{one:?} / {two:?}");
    // Group records are acknowledged.
    assert!(by_member.iter().flatten().all(|m| m.ack.is_some()));
    quiet(&mut first, Duration::from_millis(300)).await;
    quiet(&mut second, Duration::from_millis(300)).await;
}

/// The threads of this process whose name starts with `prefix` (librdkafka names its own
/// `rdk:main`, `rdk:broker…`; a group's reading thread is `kafka group …`).
fn threads_named(prefix: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with(prefix))
        .count()
}

/// Set in the process a test runs alone in.
const ALONE: &str = "ASYNCAPI_TEST_KAFKA_ALONE";

/// Runs the test `name` again in a process of its own (this binary, that test only), so that
/// what it counts of the process is its own; `true` in that process.
fn alone(name: &str) -> bool {
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(ALONE, "1")
        .status()
        .unwrap();
    assert!(status.success(), "{name}, alone in a process: {status}");
    false
}

#[tokio::test]
async fn a_hundred_subscriptions_of_a_group_share_one_consumer() {
    if !alone("a_hundred_subscriptions_of_a_group_share_one_consumer") {
        return;
    }
    let kafka = connect().await;
    let group = unique("hundred");
    let names: Vec<String> = (0..100).map(|i| unique(&format!("many{i}"))).collect();
    within(
        "creating 100 topics",
        futures::future::try_join_all(names.iter().map(|name| kafka.create_topic(name, 1))),
    )
    .await
    .unwrap();
    // The producer's and the admin client's threads are there already.
    let before = threads_named("rdk:");
    let subscribe_all =
        futures::future::try_join_all(names.iter().map(|name| {
            kafka.subscribe(Subscription::new(name.clone()).with_group(group.clone()))
        }));
    let mut streams = within("100 subscriptions to go live", subscribe_all)
        .await
        .unwrap();
    // One more, later, from a clone: the group's consumer takes it in.
    let later = topic(&kafka, "later", 2).await;
    let clone = kafka.clone();
    streams.push(
        subscribe(
            &clone,
            Subscription::new(later.clone()).with_group(group.clone()),
        )
        .await,
    );
    let mut names = names;
    names.push(later);

    // One consumer: librdkafka's threads of one client (its main thread and one per broker
    // connection, about five), not 101 times that; one reading thread.
    let consumer = threads_named("rdk:") - before;
    assert!(consumer <= 8, "{consumer} librdkafka threads for one group");
    assert_eq!(threads_named("kafka group"), 1);

    // Every subscription gets its own topic's records, and only those.
    for name in &names {
        kafka
            .publish(Outgoing::new(name.as_str(), name.clone()))
            .await
            .unwrap();
    }
    for (name, stream) in names.iter().zip(&mut streams) {
        let message = next(stream).await;
        assert_eq!(&message.address, name);
        assert_eq!(text(&message), name);
        message
            .ack
            .expect("group records carry an ack")
            .ack()
            .unwrap();
    }
    // Dropping subscriptions leaves the others reading; the consumer stays one member.
    let kept = streams.split_off(50);
    drop(streams);
    let mut kept = kept;
    for name in &names[50..] {
        kafka
            .publish(Outgoing::new(name.as_str(), format!("again {name}")))
            .await
            .unwrap();
    }
    for (name, stream) in names[50..].iter().zip(&mut kept) {
        assert_eq!(text(&next(stream).await), format!("again {name}"));
    }
    assert_eq!(threads_named("rdk:") - before, consumer);
    assert_eq!(threads_named("kafka group"), 1);
    // The last one dropped, the consumer ends.
    drop(kept);
    within("the group's consumer to end", async {
        while threads_named("kafka group") > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert_eq!(threads_named("rdk:"), before);
}

#[tokio::test]
async fn a_dropped_subscription_leaves_what_it_did_not_acknowledge_to_the_group() {
    let kafka = connect().await;
    let group = unique("dropped");
    let (one, two) = (
        topic(&kafka, "dropped-one", 1).await,
        topic(&kafka, "dropped-two", 1).await,
    );
    let mut first = subscribe(
        &kafka,
        Subscription::new(one.clone()).with_group(group.clone()),
    )
    .await;
    let mut second = subscribe(
        &kafka,
        Subscription::new(two.clone()).with_group(group.clone()),
    )
    .await;
    for i in 0..3 {
        kafka
            .publish(Outgoing::new(one.as_str(), format!("{i}")))
            .await
            .unwrap();
    }
    // 0 acknowledged, 1 and 2 not.
    next(&mut first).await.ack.unwrap().ack().unwrap();
    assert_eq!(text(&next(&mut first).await), "1");
    drop(first);
    // The other subscription of the group reads on.
    kafka
        .publish(Outgoing::new(two.as_str(), "two"))
        .await
        .unwrap();
    assert_eq!(text(&next(&mut second).await), "two");
    // The next subscription to the topic in the group starts after what was acknowledged.
    let mut again = subscribe(
        &kafka,
        Subscription::new(one.clone()).with_group(group.clone()),
    )
    .await;
    assert_eq!(text(&next(&mut again).await), "1");
    assert_eq!(text(&next(&mut again).await), "2");
}

#[tokio::test]
async fn a_full_subscription_does_not_hold_up_the_others_of_its_group() {
    let kafka = Kafka::connect(KafkaConfig::new(broker()).buffer(2))
        .await
        .unwrap();
    let group = unique("busy");
    let (slow, fast) = (
        topic(&kafka, "slow", 1).await,
        topic(&kafka, "fast", 1).await,
    );
    let mut stuck = subscribe(
        &kafka,
        Subscription::new(slow.clone()).with_group(group.clone()),
    )
    .await;
    let mut moving = subscribe(
        &kafka,
        Subscription::new(fast.clone()).with_group(group.clone()),
    )
    .await;
    for i in 0..200 {
        kafka
            .publish(Outgoing::new(slow.as_str(), format!("{i}")))
            .await
            .unwrap();
    }
    // Nobody reads the slow one; the other still gets its records.
    for i in 0..10 {
        kafka
            .publish(Outgoing::new(fast.as_str(), format!("{i}")))
            .await
            .unwrap();
        assert_eq!(text(&next(&mut moving).await), i.to_string());
    }
    // And the slow one, read at last, has lost nothing.
    for i in 0..200 {
        let message = next(&mut stuck).await;
        assert_eq!(text(&message), i.to_string());
        message.ack.unwrap().ack().unwrap();
    }
}

#[tokio::test]
async fn a_member_joining_does_not_reread_what_the_group_acknowledged() {
    handover(OffsetReset::Earliest).await;
}

#[tokio::test]
async fn a_member_joining_a_group_starting_at_the_end_does_not_reread_either() {
    handover(OffsetReset::Latest).await;
}

/// A member reads and acknowledges; a second joins; what was acknowledged is not read again.
async fn handover(reset: OffsetReset) {
    // No periodic commit during the test: only the commit on revocation can tell the second
    // member (and the first, assigned anew) where the group is.
    let config = KafkaConfig::new(broker())
        .offset_reset(reset)
        .consumer_set("auto.commit.interval.ms", "600000");
    let kafka = Kafka::connect(config).await.unwrap();
    let name = topic(&kafka, "handover", 4).await;
    let subscription = Subscription::new(name.clone()).with_group(unique("handover"));
    let mut first = subscribe(&kafka, subscription.clone()).await;
    for i in 0..20 {
        kafka
            .publish(Outgoing::new(name.as_str(), format!("old-{i}")).with_key(format!("k{i}")))
            .await
            .unwrap();
    }
    for _ in 0..20 {
        next(&mut first).await.ack.unwrap().ack().unwrap();
    }
    let mut second = subscribe(&kafka, subscription).await;
    for i in 0..20 {
        kafka
            .publish(Outgoing::new(name.as_str(), format!("new-{i}")).with_key(format!("k{i}")))
            .await
            .unwrap();
    }
    let mut received = Vec::new();
    within("the new records across the group", async {
        while received.len() < 20 {
            let item = tokio::select! {
                Some(item) = first.next() => item,
                Some(item) = second.next() => item,
            };
            received.push(text(&item.unwrap()).to_owned());
        }
    })
    .await;
    assert!(
        received.iter().all(|r| r.starts_with("new-")),
        "{received:?}"
    );
    quiet(&mut first, Duration::from_millis(300)).await;
    quiet(&mut second, Duration::from_millis(300)).await;
}

#[tokio::test]
async fn only_acknowledged_records_are_committed() {
    let kafka = connect().await;
    let name = topic(&kafka, "commits", 1).await;
    for i in 0..10 {
        kafka
            .publish(Outgoing::new(name.as_str(), format!("{i}")))
            .await
            .unwrap();
    }
    let group = unique("committer");
    let subscription = Subscription::new(name.clone()).with_group(group);

    // A new group starts at the beginning; acknowledge 0..=3 and 6, not 4, 5 or the rest.
    let mut stream = subscribe(&kafka, subscription.clone()).await;
    for i in 0..10 {
        let message = next(&mut stream).await;
        assert_eq!(text(&message), i.to_string());
        if i < 4 || i == 6 {
            message
                .ack
                .expect("group records carry an ack")
                .ack()
                .unwrap();
        }
    }
    drop(stream);

    // The next member of the group goes on after the last record with none unacknowledged
    // before it: 4 (6 is acknowledged, but 4 and 5 were not).
    let mut again = subscribe(&kafka, subscription.clone()).await;
    let first = next(&mut again).await;
    assert_eq!(text(&first), "4");
    for i in 5..10 {
        let message = next(&mut again).await;
        assert_eq!(text(&message), i.to_string());
        message.ack.unwrap().ack().unwrap();
    }
    first.ack.unwrap().ack().unwrap();
    drop(again);

    // Everything acknowledged now: a later member gets only what comes next.
    let mut last = subscribe(&kafka, subscription).await;
    kafka
        .publish(Outgoing::new(name.as_str(), "10"))
        .await
        .unwrap();
    assert_eq!(text(&next(&mut last).await), "10");
}

#[tokio::test]
async fn a_group_starting_at_the_end_is_live_at_once_and_then_resumes_where_it_committed() {
    let config = KafkaConfig::new(broker()).offset_reset(OffsetReset::Latest);
    let kafka = Kafka::connect(config).await.unwrap();
    let name = topic(&kafka, "latest", 1).await;
    kafka
        .publish(Outgoing::new(name.as_str(), "before"))
        .await
        .unwrap();
    let subscription = Subscription::new(name.clone()).with_group(unique("latest"));
    let mut stream = subscribe(&kafka, subscription.clone()).await;
    // Published the moment the subscription is live: read.
    kafka
        .publish(Outgoing::new(name.as_str(), "1"))
        .await
        .unwrap();
    let first = next(&mut stream).await;
    assert_eq!(text(&first), "1");
    first.ack.unwrap().ack().unwrap();
    drop(stream);

    // Published while the group has no member: read by the next one, which starts at the
    // committed offset, not at the end.
    kafka
        .publish(Outgoing::new(name.as_str(), "2"))
        .await
        .unwrap();
    let mut again = subscribe(&kafka, subscription).await;
    assert_eq!(text(&next(&mut again).await), "2");
}

#[tokio::test]
async fn subscriptions_without_a_group_each_read_what_comes_after_they_start() {
    let kafka = connect().await;
    let name = topic(&kafka, "broadcast", 2).await;
    kafka
        .publish(Outgoing::new(name.as_str(), "before"))
        .await
        .unwrap();
    let mut one = subscribe(&kafka, Subscription::new(name.clone())).await;
    let mut two = subscribe(&kafka, Subscription::new(name.clone())).await;
    kafka
        .publish(Outgoing::new(name.as_str(), "after"))
        .await
        .unwrap();
    assert_eq!(text(&next(&mut one).await), "after");
    assert_eq!(text(&next(&mut two).await), "after");
    quiet(&mut one, Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_full_buffer_pauses_reading_without_losing_records() {
    let kafka = Kafka::connect(KafkaConfig::new(broker()).buffer(2))
        .await
        .unwrap();
    let name = topic(&kafka, "backpressure", 1).await;
    let mut stream = subscribe(&kafka, Subscription::new(name.clone())).await;
    for i in 0..50 {
        kafka
            .publish(Outgoing::new(name.as_str(), format!("{i}")))
            .await
            .unwrap();
    }
    // Nobody reads for a while: the reader pauses instead of buffering all 50.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for i in 0..50 {
        assert_eq!(text(&next(&mut stream).await), i.to_string());
    }
}

#[tokio::test]
async fn a_one_mebibyte_payload_round_trips() {
    let kafka = connect().await;
    let name = topic(&kafka, "large", 1).await;
    let mut stream = subscribe(&kafka, Subscription::new(name.clone())).await;
    let payload: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    let delivery = within(
        "the large record's delivery",
        kafka.publish(
            Outgoing::new(name.as_str(), payload.clone())
                .with_key("big")
                .with_headers(Headers::from_iter([("kind", "blob")])),
        ),
    )
    .await
    .unwrap();
    let message = next(&mut stream).await;
    assert_eq!(message.offset, delivery.offset);
    assert_eq!(message.payload.len(), payload.len());
    assert!(message.payload == payload);
}

#[tokio::test]
async fn connecting_to_nothing_fails_fast() {
    let started = Instant::now();
    let result =
        Kafka::connect(KafkaConfig::new("127.0.0.1:1").timeout(Duration::from_secs(8))).await;
    let error = result.expect_err("nobody listens on port 1");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}: {error}",
        started.elapsed()
    );
    assert!(error.to_string().contains("127.0.0.1:1"), "{error}");
}

#[tokio::test]
async fn a_pattern_no_topic_matches_yet_is_live_and_reads_new_topics_from_their_start() {
    let kafka = connect().await;
    let base = unique("later");
    let mut stream = subscribe(&kafka, Subscription::new(format!("{base}.{{id}}"))).await;
    let topic = format!("{base}.first");
    kafka.create_topic(&topic, 1).await.unwrap();
    // Published before the subscription has found the topic: read all the same.
    for i in 0..3 {
        kafka
            .publish(Outgoing::new(topic.as_str(), format!("{i}")))
            .await
            .unwrap();
    }
    for i in 0..3 {
        let message = next(&mut stream).await;
        assert_eq!(
            (message.address.as_str(), text(&message)),
            (topic.as_str(), &*i.to_string())
        );
    }
}

/// Publish rates, for the record (`--ignored --nocapture`): one publish awaited at a time, and
/// many in flight, with librdkafka's default linger (5 ms) and the adapter's (0).
#[tokio::test]
#[ignore = "a measurement, not a test"]
async fn publish_rates() {
    const COUNT: usize = 5_000;
    let payload = vec![b'x'; 200];
    for linger in ["5", "0"] {
        let kafka = Kafka::connect(KafkaConfig::new(broker()).producer_set("linger.ms", linger))
            .await
            .unwrap();
        let name = topic(&kafka, "rates", 1).await;
        let started = Instant::now();
        for _ in 0..COUNT {
            kafka
                .publish(Outgoing::new(name.as_str(), payload.clone()))
                .await
                .unwrap();
        }
        let one_at_a_time = COUNT as f64 / started.elapsed().as_secs_f64();
        let started = Instant::now();
        let publishes =
            (0..COUNT).map(|_| kafka.publish(Outgoing::new(name.as_str(), payload.clone())));
        futures::future::try_join_all(publishes).await.unwrap();
        let in_flight = COUNT as f64 / started.elapsed().as_secs_f64();
        eprintln!(
            "linger.ms={linger}: {COUNT} x 200 B one at a time: {one_at_a_time:.0} msg/s; all in flight: {in_flight:.0} msg/s"
        );
    }
}

/// The requester and the responder of `specs/rpc.yaml`'s `askAnywhere` (the reply goes where
/// the request's `replyTo` header says: the requester's inbox).
mod rpc_asker {
    asyncapi_runtime::asyncapi!("specs/rpc.yaml", include = "askAnywhere");
}
mod rpc_responder {
    asyncapi_runtime::asyncapi!("specs/rpc.yaml", include = "askAnywhere", role = "mirror");
}

struct Doubling;

impl rpc_responder::Handler for Doubling {
    async fn ask_anywhere(
        &self,
        m: asyncapi_runtime::Received<
            rpc_responder::InquiriesParameters,
            rpc_responder::InquiryPayload,
            rpc_responder::InquiryHeaders,
        >,
    ) -> asyncapi_runtime::HandlerResult<
        asyncapi_runtime::serve::Reply<
            rpc_responder::AnswerPayload,
            rpc_responder::AnswerHeaders,
            String,
        >,
    > {
        Ok(asyncapi_runtime::serve::Reply {
            payload: rpc_responder::AnswerPayload {
                n: m.payload.n,
                doubled: 2 * m.payload.n,
            },
            headers: rpc_responder::AnswerHeaders {
                correlation_id: None,
                region: "here".into(),
            },
            key: String::new(),
        })
    }
}

/// Two instances of a requesting service, configured with a default consumer group and
/// sharing one reply topic, each get the replies to their requests: a reply inbox is read
/// outside every group (in the service's group, the topic's one partition would go to one
/// instance and the other's requests would time out).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_inboxes_stay_out_of_the_default_group() {
    use rpc_asker::Publisher as _;
    let replies = unique("rpc-replies");
    let admin = connect().await;
    admin.create_topics(rpc_asker::topics::ALL).await.unwrap();
    admin.create_topic(&replies, 1).await.unwrap();
    let responder = asyncapi_runtime::Client::new(connect().await);
    let subscriptions = rpc_responder::Subscriptions::new(&responder).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        subscriptions
            .serve(&Doubling, async {
                let _ = stopped.await;
            })
            .await
    });
    let group = unique("requesting-service");
    let mut instances = Vec::new();
    for _ in 0..2 {
        let config = KafkaConfig::new(broker()).group_id(group.clone());
        let transport = Kafka::connect(config).await.unwrap();
        instances.push(asyncapi_runtime::Client::new(transport).with_reply_inbox(replies.clone()));
    }
    for (n, client) in instances.iter().enumerate() {
        let reply = client
            .ask_anywhere(
                &rpc_asker::InquiryHeaders {
                    correlation_id: None,
                    reply_to: None,
                },
                &rpc_asker::InquiryPayload { n: n as i64 },
            )
            .timeout(Duration::from_secs(20))
            .await
            .unwrap_or_else(|e| panic!("instance {n}: {e}"));
        assert_eq!(reply.payload.doubled, 2 * n as i64);
    }
    stop.send(()).unwrap();
    within("serve to stop", serving).await.unwrap().unwrap();
}
