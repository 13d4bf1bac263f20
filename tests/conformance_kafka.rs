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
