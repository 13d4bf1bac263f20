//! The conformance suite through tansu (Kafka protocol), which `scripts/test.sh` starts; its
//! address comes from `ASYNCAPI_TEST_KAFKA`. The reconnect test uses a second tansu that
//! advertises `ASYNCAPI_TEST_KAFKA_PROXIED` while listening on `ASYNCAPI_TEST_KAFKA_UPSTREAM`:
//! the test runs a proxy it can cut between the two.

mod conformance;

use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
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
