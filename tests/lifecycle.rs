//! The end of a connection and its health, against real brokers: `Transport::close` on MQTT
//! (the DISCONNECT reaches the broker before `close` resolves, so cutting the connection right
//! after publishes no last will; publishes made before are flushed) and on Kafka (acknowledged
//! records are committed before `close` resolves, so the group's next member starts after
//! them), and `Transport::health` going `Reconnecting` when the broker stops and `Connected`
//! when it is back (Mosquitto and tansu the test starts and stops itself, see
//! `asyncapi_tests::broker_process`).

use std::time::Duration;

use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
use asyncapi_runtime::mqtt::{LastWill, Mqtt, MqttConfig, MqttVersion};
use asyncapi_runtime::{
    Client, ConnectionState, Health, Outgoing, QoS, RawStream, Subscription, Transport,
    TransportError,
};
use asyncapi_tests::broker_process::{BrokerProcess, Stop};
use asyncapi_tests::proxy::Proxy;
use asyncapi_tests::{bounded, unique, within};
use futures::StreamExt;

// --- MQTT: close ----------------------------------------------------------------------------

fn mosquitto() -> (String, u16) {
    asyncapi_tests::broker_host_port("ASYNCAPI_TEST_MQTT")
}

fn mqtt_topic(name: &str) -> String {
    format!("asyncapi-tests/{}", unique(name))
}

fn tuned(config: MqttConfig) -> MqttConfig {
    config
        .reconnect_backoff(Duration::from_millis(20), Duration::from_millis(200))
        .ack_timeout(Duration::from_secs(8))
}

async fn mqtt(config: MqttConfig) -> Mqtt {
    within("the MQTT connection", Mqtt::connect(config))
        .await
        .expect("connect to Mosquitto")
}

async fn mqtt_subscribe(mqtt: &Mqtt, topic: &str) -> RawStream {
    within(
        "the subscription",
        mqtt.subscribe(Subscription::new(topic.to_owned()).with_qos(QoS::AtLeastOnce)),
    )
    .await
    .expect("subscribe")
}

/// Ten clients with a last will, each connected through a proxy and busy (subscribed to a
/// topic another client floods, with publishes of its own still in flight) when it is closed;
/// right after `close` resolves the proxy drops the connection, as when a process exits. The
/// broker publishes a will when a connection ends without a DISCONNECT it has read, so no will
/// may arrive; one client not closed, whose connection is dropped the same way, shows that a
/// will would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_close_the_broker_has_the_disconnect_and_publishes_no_last_will() {
    let (host, port) = mosquitto();
    let upstream = format!("{host}:{port}");
    let wills = mqtt_topic("wills");
    let busy = mqtt_topic("busy");
    let watcher = mqtt(tuned(MqttConfig::new(host.clone(), port))).await;
    let mut will_stream = mqtt_subscribe(&watcher, &wills).await;
    let flooder = mqtt(tuned(MqttConfig::new(host.clone(), port))).await;
    let flood = {
        let (flooder, busy) = (flooder.clone(), busy.clone());
        tokio::spawn(async move {
            for i in 0u64.. {
                let message = Outgoing::new(busy.as_str(), i.to_string());
                if flooder.publish(message).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };

    for run in 0..10 {
        let version = if run % 2 == 0 {
            MqttVersion::V5
        } else {
            MqttVersion::V3_1_1
        };
        let proxy = Proxy::start("127.0.0.1:0", &upstream).await;
        let will = LastWill::new(&wills, format!("run {run} gone")).with_qos(QoS::AtLeastOnce);
        let client = Client::new(
            mqtt(
                tuned(MqttConfig::new("127.0.0.1", proxy.port()).version(version)).last_will(will),
            )
            .await,
        );
        let mut inbox = mqtt_subscribe(client.transport(), &busy).await;
        within("a flooded message", inbox.next()).await;
        // Publishes made (polled once: each has entered the connection) and not awaited
        // before closing: `close` lets them finish first.
        let own = mqtt_topic("own");
        let mut own_stream = mqtt_subscribe(&watcher, &own).await;
        let mut publishes: Vec<_> = (0..20)
            .map(|i| {
                let message = Outgoing::new(own.as_str(), i.to_string()).with_qos(QoS::AtLeastOnce);
                Box::pin(client.transport().publish(message))
            })
            .collect();
        let mut published = Vec::new();
        let mut pending = Vec::new();
        for mut publish in publishes.drain(..) {
            match futures::poll!(publish.as_mut()) {
                std::task::Poll::Ready(done) => published.push(done),
                std::task::Poll::Pending => pending.push(publish),
            }
        }
        let mut health = client.health();
        let (closed, rest) = within(
            "close",
            futures::future::join(client.close(), futures::future::join_all(pending)),
        )
        .await;
        published.extend(rest);
        proxy.set_down(true);
        closed.expect("a clean close");
        assert_eq!(health.state(), ConnectionState::Closed);
        assert_eq!(
            health.changed().await,
            Some(ConnectionState::Closed),
            "the health changed to closed"
        );
        for publish in published {
            publish.expect("a publish made before close was acknowledged");
        }
        for _ in 0..20 {
            let message = within("a flushed publish", own_stream.next())
                .await
                .expect("the watcher's stream goes on")
                .expect("a message");
            if let Some(ack) = message.ack {
                ack.ack().unwrap();
            }
        }
        // Everything the client had ends.
        within("the subscription to end", inbox.count()).await;
        assert!(matches!(
            client
                .transport()
                .publish(Outgoing::new(own.as_str(), "late"))
                .await,
            Err(TransportError::Closed)
        ));
        // Closing again is a no-op.
        client.close().await.expect("a second close");
    }

    // The control: a connection dropped without close.
    let proxy = Proxy::start("127.0.0.1:0", &upstream).await;
    let will = LastWill::new(&wills, "dropped").with_qos(QoS::AtLeastOnce);
    let dropped = mqtt(tuned(MqttConfig::new("127.0.0.1", proxy.port())).last_will(will)).await;
    proxy.set_down(true);
    let first = within("the control's will", will_stream.next())
        .await
        .expect("the watcher's stream goes on")
        .expect("a message");
    assert_eq!(
        std::str::from_utf8(&first.payload).unwrap(),
        "dropped",
        "a will of a closed client arrived before the control's"
    );
    // And nothing else (a late will of a closed client would come by now).
    if let Ok(Some(late)) = tokio::time::timeout(Duration::from_secs(1), will_stream.next()).await {
        panic!("a will of a closed client: {late:?}");
    }
    drop(dropped);
    flooder.close().await.unwrap();
    flood.await.unwrap();
    watcher.close().await.unwrap();
}

// --- MQTT: health ---------------------------------------------------------------------------

/// Waits (bounded) until the health is `wanted`.
async fn health_becomes(health: &mut Health, wanted: ConnectionState, limit: Duration) {
    let seen = bounded(
        &format!("the health to become {wanted}"),
        limit,
        health.wait_for(|state| state == wanted),
    )
    .await;
    assert_eq!(seen, Some(wanted));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_health_goes_reconnecting_when_mosquitto_stops_and_connected_when_it_is_back() {
    let mut broker = BrokerProcess::mosquitto(&[]).await;
    for version in [MqttVersion::V5, MqttVersion::V3_1_1] {
        let client = mqtt(tuned(
            MqttConfig::new("127.0.0.1", broker.port()).version(version),
        ))
        .await;
        let mut health = client.health();
        assert_eq!(health.state(), ConnectionState::Connected);

        for how in [Stop::Term, Stop::Kill] {
            broker.stop(how).await;
            health_becomes(
                &mut health,
                ConnectionState::Reconnecting,
                Duration::from_secs(10),
            )
            .await;
            assert!(!client.is_connected());
            broker.start_again().await;
            health_becomes(
                &mut health,
                ConnectionState::Connected,
                Duration::from_secs(15),
            )
            .await;
            within(
                "a publish after the reconnect",
                client.publish(Outgoing::new("health/after", "x").with_qos(QoS::AtLeastOnce)),
            )
            .await
            .expect("publish after the reconnect");
        }
        within("close", client.close()).await.unwrap();
        assert_eq!(health.state(), ConnectionState::Closed);
        assert_eq!(health.changed().await, Some(ConnectionState::Closed));
        // Nothing changes after closed.
        assert_eq!(within("no change", health.changed()).await, None);
    }
}

// --- Kafka ----------------------------------------------------------------------------------

fn tansu() -> String {
    asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA")
}

/// Quick reconnects to a broker that comes back.
fn kafka_config(address: &str) -> KafkaConfig {
    KafkaConfig::new(address)
        .client_id("asyncapi-lifecycle")
        .timeout(Duration::from_secs(15))
        .set("reconnect.backoff.ms", "50")
        .set("reconnect.backoff.max.ms", "500")
}

async fn kafka(config: KafkaConfig) -> Kafka {
    bounded(
        "the Kafka connection",
        Duration::from_secs(20),
        Kafka::connect(config),
    )
    .await
    .expect("connect to tansu")
}

async fn next_text(stream: &mut RawStream) -> (String, asyncapi_runtime::Incoming) {
    let message = within("a record", stream.next())
        .await
        .expect("the stream goes on")
        .expect("a record");
    (
        std::str::from_utf8(&message.payload).unwrap().to_owned(),
        message,
    )
}

/// A member of a group acknowledges the first 6 of 10 records and is closed: the commit is
/// done when `close` resolves (not left to the 5 s auto-commit, nor to dropping), the member's
/// stream ends, and the group's next member starts at record 6.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_close_commits_what_was_acknowledged_and_leaves_the_group() {
    let address = tansu();
    let producer = kafka(kafka_config(&address)).await;
    let topic = unique("close-commits");
    within("create the topic", producer.create_topic(&topic, 1))
        .await
        .unwrap();
    for i in 0..10 {
        producer
            .publish(Outgoing::new(topic.as_str(), i.to_string()))
            .await
            .unwrap();
    }
    let group = unique("closer");
    let subscription = Subscription::new(topic.clone()).with_group(group.clone());

    let consumer = Client::new(kafka(kafka_config(&address)).await);
    let mut stream = within(
        "the subscription",
        consumer.transport().subscribe(subscription.clone()),
    )
    .await
    .unwrap();
    for i in 0..10 {
        let (text, message) = next_text(&mut stream).await;
        assert_eq!(text, i.to_string());
        if i < 6 {
            message.ack.expect("an ack").ack().unwrap();
        }
    }
    let mut health = consumer.health();
    within("close", consumer.close())
        .await
        .expect("a clean close");
    assert!(
        within("the stream to end", stream.next()).await.is_none(),
        "the subscription ended"
    );
    assert_eq!(health.state(), ConnectionState::Closed);
    assert_eq!(health.changed().await, Some(ConnectionState::Closed));
    assert!(matches!(
        consumer
            .transport()
            .publish(Outgoing::new(topic.as_str(), "late"))
            .await,
        Err(TransportError::Closed)
    ));
    assert!(matches!(
        consumer.transport().subscribe(subscription.clone()).await,
        Err(TransportError::Closed)
    ));
    // Committed already: asked right away, by a client outside the group.
    let committed = {
        let (address, group, topic) = (address.clone(), group.clone(), topic.clone());
        tokio::task::spawn_blocking(move || committed(&address, &group, &topic))
            .await
            .unwrap()
    };
    assert_eq!(committed, Some(6));

    let mut next_member = within("the next member", producer.subscribe(subscription))
        .await
        .unwrap();
    let (text, _) = next_text(&mut next_member).await;
    assert_eq!(text, "6");
    drop(next_member);
    within("close the producer", producer.close())
        .await
        .unwrap();
}

/// The group's committed offset of partition 0 of `topic`, asked of the broker by a client
/// that does not join the group.
fn committed(address: &str, group: &str, topic: &str) -> Option<i64> {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", address)
        .set("group.id", group)
        .create()
        .expect("a consumer to ask for committed offsets");
    let mut list = rdkafka::TopicPartitionList::new();
    list.add_partition(topic, 0);
    let answer = consumer
        .committed_offsets(list, Duration::from_secs(5))
        .ok()?;
    match answer.elements().first()?.offset() {
        rdkafka::Offset::Offset(at) => Some(at),
        _ => None,
    }
}

/// Twice: tansu stopped (the health goes `Reconnecting`), started again (`Connected`), with a
/// transport that only produces and one that consumes with a group.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_health_goes_reconnecting_when_tansu_stops_and_connected_when_it_is_back() {
    let mut broker = BrokerProcess::tansu().await;
    let address = broker.address();
    let producer = kafka(kafka_config(&address)).await;
    let topic = "health";
    within("create the topic", producer.create_topic(topic, 1))
        .await
        .unwrap();
    let consumer = kafka(kafka_config(&address)).await;
    let _stream = within(
        "the subscription",
        consumer.subscribe(Subscription::new(topic).with_group("health")),
    )
    .await
    .unwrap();
    let mut producer_health = producer.health();
    let mut consumer_health = consumer.health();
    assert_eq!(producer_health.state(), ConnectionState::Connected);
    assert_eq!(consumer_health.state(), ConnectionState::Connected);

    for how in [Stop::Term, Stop::Kill] {
        broker.stop(how).await;
        for health in [&mut producer_health, &mut consumer_health] {
            health_becomes(
                health,
                ConnectionState::Reconnecting,
                Duration::from_secs(15),
            )
            .await;
        }
        broker.start_again().await;
        for health in [&mut producer_health, &mut consumer_health] {
            health_becomes(health, ConnectionState::Connected, Duration::from_secs(30)).await;
        }
        bounded(
            "a publish after the restart",
            Duration::from_secs(30),
            producer.publish(Outgoing::new(topic, "after")),
        )
        .await
        .expect("publish after the restart");
    }
    within("close", consumer.close()).await.unwrap();
    within("close", producer.close()).await.unwrap();
    assert_eq!(producer_health.state(), ConnectionState::Closed);
}
