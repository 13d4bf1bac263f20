//! The conformance suite through tansu (Kafka protocol), which `scripts/test.sh` starts; its
//! address comes from `ASYNCAPI_TEST_KAFKA`. The reconnect test uses a second tansu that
//! advertises `ASYNCAPI_TEST_KAFKA_PROXIED` while listening on `ASYNCAPI_TEST_KAFKA_UPSTREAM`:
//! the test runs a proxy it can cut between the two.

mod conformance;

use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
use asyncapi_runtime::{Outgoing, Transport};
use asyncapi_tests::proxy::Proxy;

struct Tansu;

fn env(name: &str) -> String {
    asyncapi_tests::broker_address(name)
}

/// Connects and creates the spec's topics (never created implicitly).
async fn connect(bootstrap: &str) -> Kafka {
    let kafka = Kafka::connect(KafkaConfig::new(bootstrap))
        .await
        .expect("connect to tansu");
    kafka
        .create_topics(conformance::spec::topics::ALL)
        .await
        .expect("create the spec's topics");
    kafka
}

impl conformance::Harness for Tansu {
    type Transport = Kafka;
    const NAME: &'static str = "kafka";

    async fn connect(&self) -> Kafka {
        connect(&env("ASYNCAPI_TEST_KAFKA")).await
    }

    async fn prepare(&self, kafka: &Kafka, addresses: &[String]) {
        for address in addresses {
            kafka
                .create_topic(address, 1)
                .await
                .expect("create a topic");
        }
    }

    /// Ends each partition of the topic with a record in a batch of its own, so that tansu
    /// tells a subscription starting "at the end" where the end is.
    ///
    /// tansu 0.6.0 (its memory storage) answers ListOffsets "latest" with the base offset of
    /// the partition's most recently written batch plus one rather than the log end offset,
    /// and a Fetch from an offset inside a batch leaves out the rest of that batch and returns
    /// later batches more than once. A subscription that starts at the end of a partition whose
    /// last batch holds several records (pipelined publishes leave such batches, so the order
    /// test finds them from its previous runs on a long-lived broker) thus starts inside that
    /// batch and reads records of its own run twice. After a batch of one record, "plus one" is
    /// the end. On Kafka this changes nothing: the record precedes the subscription's start.
    async fn create_topics(
        &self,
        kafka: &Kafka,
        topics: &'static [asyncapi_runtime::bindings::KafkaTopic],
    ) {
        kafka
            .create_topics(topics)
            .await
            .expect("create the topics");
    }

    async fn committed_to_the_end(&self, _: &Kafka, topic: &str, group: &str) {
        let (topic, group) = (topic.to_owned(), group.to_owned());
        asyncapi_tests::within(
            "the group's commits to reach the end of every partition",
            async {
                loop {
                    let (t, g) = (topic.clone(), group.clone());
                    let behind = tokio::task::spawn_blocking(move || behind(&t, &g))
                        .await
                        .unwrap();
                    if behind == Some(0) {
                        return;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            },
        )
        .await;
    }

    async fn before_reading_from_now(&self, kafka: &Kafka, address: &str) {
        let partitions = kafka
            .partitions(address)
            .await
            .expect("the topic's partitions")
            .expect("the topic exists");
        for partition in 0..partitions {
            let before = r#"{"stream":"before the subscription","seq":-1}"#;
            // Awaited one by one: nothing else is in flight, so each is a batch of one.
            kafka
                .publish(Outgoing::new(address, before).with_partition(partition as i32))
                .await
                .expect("publish the record that ends the partition");
        }
    }

    /// Through a producer of its own (rdkafka): Kafka header values are bytes. A name that is
    /// not UTF-8 is added through librdkafka, since rdkafka takes names as `&str`.
    async fn publish_header_bytes(
        &self,
        _: &Kafka,
        address: &str,
        messages: Vec<(Vec<u8>, conformance::RawHeaders)>,
    ) -> conformance::HeaderBytes {
        use rdkafka::message::{Header, OwnedHeaders};
        use rdkafka::producer::{FutureProducer, FutureRecord};
        let producer: FutureProducer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", env("ASYNCAPI_TEST_KAFKA"))
            .set("linger.ms", "0")
            .create()
            .expect("a producer");
        for (payload, raw_headers) in messages {
            let mut headers = OwnedHeaders::new();
            for (name, value) in &raw_headers {
                match std::str::from_utf8(name) {
                    Ok(name) => {
                        headers = headers.insert(Header {
                            key: name,
                            value: Some(value),
                        })
                    }
                    Err(_) => add_header_with_bytes_name(&headers, name, value),
                }
            }
            let record = FutureRecord::<(), [u8]>::to(address)
                .payload(&payload)
                .headers(headers);
            producer
                .send(record, std::time::Duration::from_secs(10))
                .await
                .expect("a record with raw header bytes");
        }
        conformance::HeaderBytes::Sent
    }

    async fn connect_through_proxy(&self) -> Option<(Kafka, Proxy)> {
        let proxy = Proxy::start(
            &env("ASYNCAPI_TEST_KAFKA_PROXIED"),
            &env("ASYNCAPI_TEST_KAFKA_UPSTREAM"),
        )
        .await;
        let kafka = connect(proxy.address()).await;
        Some((kafka, proxy))
    }
}

conformance_suite!(Tansu);

/// Adds a header whose name is any bytes (rdkafka's `insert` takes a `&str`).
#[allow(unsafe_code)]
fn add_header_with_bytes_name(headers: &rdkafka::message::OwnedHeaders, name: &[u8], value: &[u8]) {
    // rdkafka's `BorrowedHeaders` is the librdkafka header list itself (its address is the
    // list's), which is how rdkafka reads it too.
    let list = headers.as_borrowed() as *const rdkafka::message::BorrowedHeaders
        as *mut rdkafka::bindings::rd_kafka_headers_t;
    // SAFETY: `list` is the live, writable list `headers` owns; librdkafka copies the name
    // and the value (lengths given, no NUL needed).
    let err = unsafe {
        rdkafka::bindings::rd_kafka_header_add(
            list,
            name.as_ptr().cast(),
            name.len() as isize,
            value.as_ptr().cast(),
            value.len() as isize,
        )
    };
    assert_eq!(
        err,
        rdkafka::types::RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR
    );
}

/// How many records of `topic` `group` has not committed, over every partition; `None` when
/// the broker cannot say yet. Asked by a client that does not join the group.
fn behind(topic: &str, group: &str) -> Option<i64> {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    let timeout = std::time::Duration::from_secs(5);
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", env("ASYNCAPI_TEST_KAFKA"))
        .set("group.id", group)
        .create()
        .expect("a consumer to ask for committed offsets");
    let metadata = consumer.fetch_metadata(Some(topic), timeout).ok()?;
    let partitions = metadata.topics().first()?.partitions().len() as i32;
    let mut list = rdkafka::TopicPartitionList::new();
    for partition in 0..partitions {
        list.add_partition(topic, partition);
    }
    let committed = consumer.committed_offsets(list, timeout).ok()?;
    let mut behind = 0;
    for element in committed.elements() {
        let (low, high) = consumer
            .fetch_watermarks(topic, element.partition(), timeout)
            .ok()?;
        let at = match element.offset() {
            rdkafka::Offset::Offset(at) => at,
            _ => low,
        };
        behind += high - at;
    }
    Some(behind)
}
