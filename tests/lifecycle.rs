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
use asyncapi_tests::reliability::Row;
use asyncapi_tests::{bounded, unique, within};
use futures::StreamExt;
use std::time::Instant;

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

    let mut close_times = Vec::new();
    let mut flushed = 0u64;
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
        let closing = Instant::now();
        let (closed, rest) = within(
            "close",
            futures::future::join(
                async {
                    let closed = client.close().await;
                    close_times.push(closing.elapsed());
                    closed
                },
                futures::future::join_all(pending),
            ),
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
            flushed += 1;
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
    let slowest = close_times.iter().max().unwrap();
    let mean = close_times.iter().sum::<Duration>() / close_times.len() as u32;
    Row {
        case: "closed with a last will, connection cut right after close (subscribed to a \
               flood, 20 QoS 1 publishes not awaited)"
            .into(),
        transport: "mqtt".into(),
        tried: close_times.len() as u64,
        sent: 200,
        delivered: flushed,
        lost: 200 - flushed,
        notes: format!(
            "wills published: 0 of {} closed clients (control, cut without close: 1 of 1); \
             MQTT 5 and 3.1.1 in turn; close took {:.1} ms on average, {:.1} ms at most",
            close_times.len(),
            mean.as_secs_f64() * 1e3,
            slowest.as_secs_f64() * 1e3,
        ),
        test: "lifecycle::after_close_the_broker_has_the_disconnect_and_publishes_no_last_will"
            .into(),
        ..Row::default()
    }
    .report();
}

// --- MQTT: health ---------------------------------------------------------------------------

/// Every state a health watch goes through, with when, until it is closed.
fn record(mut health: Health) -> tokio::task::JoinHandle<Vec<(Instant, ConnectionState)>> {
    tokio::spawn(async move {
        let mut seen = vec![(Instant::now(), health.state())];
        while let Some(state) = health.changed().await {
            seen.push((Instant::now(), state));
        }
        seen
    })
}

/// Restarts the broker with each of `stops`, waiting for every watch to see `Reconnecting`
/// then `Connected`, then publishing; returns when each stop was asked for and when the broker
/// was started again.
async fn outages(
    broker: &mut BrokerProcess,
    stops: &[Stop],
    healths: &mut [&mut Health],
    publish: impl AsyncFn(),
) -> Vec<(Instant, Instant)> {
    let mut times = Vec::new();
    for &how in stops {
        let stopped = Instant::now();
        broker.stop(how).await;
        for health in healths.iter_mut() {
            health_becomes(
                health,
                ConnectionState::Reconnecting,
                Duration::from_secs(15),
            )
            .await;
        }
        let starting = Instant::now();
        broker.start_again().await;
        for health in healths.iter_mut() {
            health_becomes(health, ConnectionState::Connected, Duration::from_secs(30)).await;
        }
        publish().await;
        times.push((stopped, starting));
    }
    times
}

/// The notes of a health row: how long after each stop the watch said `Reconnecting`, how long
/// after the broker was started again it said `Connected`, and how many changes there were.
fn health_notes(
    what: &str,
    seen: &[(Instant, ConnectionState)],
    outages: &[(Instant, Instant)],
) -> String {
    let first_after = |at: Instant, state: ConnectionState| {
        seen.iter()
            .find(|(when, s)| *when >= at && *s == state)
            .map_or(f64::NAN, |(when, _)| (*when - at).as_secs_f64() * 1e3)
    };
    let each: Vec<String> = outages
        .iter()
        .map(|&(stopped, starting)| {
            format!(
                "reconnecting {:.0} ms after the stop signal, connected {:.0} ms after the \
                 broker was started again",
                first_after(stopped, ConnectionState::Reconnecting),
                first_after(starting, ConnectionState::Connected)
            )
        })
        .collect();
    format!(
        "{what}: {}; {} changes in all (closed included)",
        each.join("; "),
        seen.len() - 1
    )
}

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
    let mut notes = Vec::new();
    let mut published = 0;
    for version in [MqttVersion::V5, MqttVersion::V3_1_1] {
        let client = mqtt(tuned(
            MqttConfig::new("127.0.0.1", broker.port()).version(version),
        ))
        .await;
        let mut health = client.health();
        assert_eq!(health.state(), ConnectionState::Connected);
        let recorder = record(client.health());
        let times = outages(
            &mut broker,
            &[Stop::Term, Stop::Kill],
            &mut [&mut health],
            async || {
                assert!(client.is_connected());
                within(
                    "a publish after the reconnect",
                    client.publish(Outgoing::new("health/after", "x").with_qos(QoS::AtLeastOnce)),
                )
                .await
                .expect("publish after the reconnect");
            },
        )
        .await;
        published += times.len() as u64;
        within("close", client.close()).await.unwrap();
        assert_eq!(health.state(), ConnectionState::Closed);
        assert_eq!(health.changed().await, Some(ConnectionState::Closed));
        // Nothing changes after closed.
        assert_eq!(within("no change", health.changed()).await, None);
        let seen = within("the recorder", recorder).await.unwrap();
        notes.push(health_notes(&format!("{version}"), &seen, &times));
    }
    Row {
        case: "health while Mosquitto is stopped and started again (SIGTERM, SIGKILL)".into(),
        transport: "mqtt".into(),
        tried: u64::from(broker.restarts()),
        sent: published,
        delivered: published,
        notes: notes.join("; "),
        test: "lifecycle::mqtt_health_goes_reconnecting_when_mosquitto_stops_and_connected_when_it_is_back".into(),
        ..Row::default()
    }
    .report();
}

/// Mosquitto comes back refusing anonymous clients: the health is `Failed` (the broker refuses
/// who the client is, retrying alone will not help) while the transport keeps trying, and
/// `Connected` once the broker takes it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_health_is_failed_while_the_broker_refuses_the_client() {
    let mut broker = BrokerProcess::mosquitto(&[]).await;
    let conf = broker.dir().join("mosquitto.conf");
    let open = std::fs::read_to_string(&conf).unwrap();
    for version in [MqttVersion::V5, MqttVersion::V3_1_1] {
        // A short acknowledgement timeout: the publish while refused times out quickly.
        let client = mqtt(
            tuned(MqttConfig::new("127.0.0.1", broker.port()).version(version))
                .ack_timeout(Duration::from_secs(1)),
        )
        .await;
        let mut health = client.health();
        broker.stop(Stop::Term).await;
        std::fs::write(
            &conf,
            open.replace("allow_anonymous true", "allow_anonymous false"),
        )
        .unwrap();
        broker.start_again().await;
        health_becomes(
            &mut health,
            ConnectionState::Failed,
            Duration::from_secs(15),
        )
        .await;
        assert!(matches!(
            client.publish(Outgoing::new("health/refused", "x")).await,
            Err(TransportError::Timeout(_))
        ));
        broker.stop(Stop::Term).await;
        std::fs::write(&conf, &open).unwrap();
        broker.start_again().await;
        health_becomes(
            &mut health,
            ConnectionState::Connected,
            Duration::from_secs(15),
        )
        .await;
        within(
            "a publish once taken again",
            client.publish(Outgoing::new("health/after", "x").with_qos(QoS::AtLeastOnce)),
        )
        .await
        .expect("publish once taken again");
        within("close", client.close()).await.unwrap();
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
    let closing = Instant::now();
    within("close", consumer.close())
        .await
        .expect("a clean close");
    let close_took = closing.elapsed();
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
    Row {
        case: "group member closed after acknowledging 6 of 10 records".into(),
        transport: "kafka".into(),
        tried: 1,
        sent: 10,
        delivered: 10,
        notes: format!(
            "committed offset right after close: 6; the next member started at 6 (the 4 \
             records handed out unacknowledged are read again); close took {:.0} ms",
            close_took.as_secs_f64() * 1e3
        ),
        test: "lifecycle::kafka_close_commits_what_was_acknowledged_and_leaves_the_group".into(),
        ..Row::default()
    }
    .report();
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
    let (producer_seen, consumer_seen) = (record(producer.health()), record(consumer.health()));

    let times = outages(
        &mut broker,
        &[Stop::Term, Stop::Kill],
        &mut [&mut producer_health, &mut consumer_health],
        async || {
            bounded(
                "a publish after the restart",
                Duration::from_secs(30),
                producer.publish(Outgoing::new(topic, "after")),
            )
            .await
            .expect("publish after the restart");
        },
    )
    .await;
    within("close", consumer.close()).await.unwrap();
    within("close", producer.close()).await.unwrap();
    assert_eq!(producer_health.state(), ConnectionState::Closed);
    let producer_seen = within("the recorder", producer_seen).await.unwrap();
    let consumer_seen = within("the recorder", consumer_seen).await.unwrap();
    Row {
        case: "health while tansu is stopped and started again (SIGTERM, SIGKILL)".into(),
        transport: "kafka".into(),
        tried: u64::from(broker.restarts()),
        sent: times.len() as u64,
        delivered: times.len() as u64,
        notes: format!(
            "{}; {} (tansu closes its listener at SIGTERM and its open connections only when \
             it exits, about 5 s later)",
            health_notes("producing transport", &producer_seen, &times),
            health_notes("consuming transport (a group)", &consumer_seen, &times),
        ),
        test: "lifecycle::kafka_health_goes_reconnecting_when_tansu_stops_and_connected_when_it_is_back".into(),
        ..Row::default()
    }
    .report();
}
