//! The MQTT transport against a real Mosquitto (started by `scripts/test.sh`; its address comes
//! from `ASYNCAPI_TEST_MQTT`, `host:port`): acknowledgements, MQTT 5 properties and what MQTT
//! 3.1.1 refuses, demultiplexing, unsubscribing, retained messages, manual acks with persistent
//! sessions, reconnects and last wills through a proxy the tests cut, backpressure and shared
//! subscriptions. TLS, client certificates and passwords against Mosquittos set up for them are
//! `security.rs`'s; the behaviour every transport shares is the conformance suite's
//! (`conformance_mqtt.rs`).

use std::time::Duration;

use asyncapi_runtime::mqtt::{LastWill, Mqtt, MqttConfig, MqttVersion};
use asyncapi_runtime::{
    Headers, Incoming, Outgoing, QoS, RawStream, SecurityScheme, Server, Subscription, Transport,
    TransportError,
};
use asyncapi_tests::proxy::Proxy;
use asyncapi_tests::{unique, within};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const BOTH: [MqttVersion; 2] = [MqttVersion::V3_1_1, MqttVersion::V5];

fn broker() -> (String, u16) {
    asyncapi_tests::broker_host_port("ASYNCAPI_TEST_MQTT")
}

fn topic(name: &str) -> String {
    format!("asyncapi-tests/{}", unique(name))
}

/// Settings for the test broker: quick reconnects, bounded waits.
fn direct(version: MqttVersion) -> MqttConfig {
    let (host, port) = broker();
    tuned(MqttConfig::new(host, port).version(version))
}

fn through(proxy: &Proxy, version: MqttVersion) -> MqttConfig {
    tuned(MqttConfig::new("127.0.0.1", proxy.port()).version(version))
}

fn tuned(config: MqttConfig) -> MqttConfig {
    config
        .reconnect_backoff(Duration::from_millis(20), Duration::from_millis(200))
        .ack_timeout(Duration::from_secs(8))
}

async fn connect(config: MqttConfig) -> Mqtt {
    within("the connection", Mqtt::connect(config))
        .await
        .expect("connect to Mosquitto")
}

async fn disconnect(mqtt: &Mqtt) {
    within("the disconnection", mqtt.disconnect())
        .await
        .expect("disconnect");
}

async fn subscribe(mqtt: &Mqtt, template: &str, qos: QoS) -> RawStream {
    within(
        "the subscription",
        mqtt.subscribe(Subscription::new(template.to_owned()).with_qos(qos)),
    )
    .await
    .expect("subscribe")
}

async fn publish(mqtt: &Mqtt, message: Outgoing) {
    within("the publish", mqtt.publish(message))
        .await
        .expect("publish");
}

/// The next message, not acknowledged.
async fn next(stream: &mut RawStream, what: &str) -> Incoming {
    within(what, stream.next())
        .await
        .expect("the stream ended")
        .expect("a transport error")
}

/// The next message, acknowledged.
async fn take(stream: &mut RawStream, what: &str) -> Incoming {
    let message = next(stream, what).await;
    if let Some(ack) = &message.ack {
        ack.ack().expect("acknowledge");
    }
    message
}

fn text(message: &Incoming) -> &str {
    std::str::from_utf8(&message.payload).expect("a UTF-8 payload")
}

/// Fails if a message arrives within `wait`.
async fn quiet(stream: &mut RawStream, wait: Duration) {
    if let Ok(Some(message)) = tokio::time::timeout(wait, stream.next()).await {
        panic!("no message expected, got {message:?}");
    }
}

async fn until(what: &str, condition: impl Fn() -> bool) {
    within(what, async {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

/// A proxy in front of the broker.
async fn proxy() -> Proxy {
    let (host, port) = broker();
    Proxy::start("127.0.0.1:0", &format!("{host}:{port}")).await
}

#[tokio::test]
async fn publishes_resolve_when_the_broker_has_acknowledged_them() {
    for version in BOTH {
        for qos in [QoS::AtLeastOnce, QoS::ExactlyOnce] {
            let proxy = proxy().await;
            let publisher = connect(through(&proxy, version)).await;
            let watcher = connect(direct(MqttVersion::V5)).await;
            let t = topic("acknowledged");
            let mut seen = subscribe(&watcher, &t, QoS::AtLeastOnce).await;

            // The broker's answers are held back: the publish cannot resolve.
            proxy.hold_replies(true);
            let publishing = publisher.publish(Outgoing::new(&t, "1").with_qos(qos));
            tokio::pin!(publishing);
            if qos == QoS::AtLeastOnce {
                // Mosquitto forwards a QoS 1 message at once: it was sent, only the PUBACK is
                // missing.
                tokio::select! {
                    result = &mut publishing => panic!("{version}: resolved before the PUBACK: {result:?}"),
                    message = take(&mut seen, "the message at the watcher") => assert_eq!(text(&message), "1"),
                }
            }
            let early = tokio::time::timeout(Duration::from_millis(400), &mut publishing).await;
            assert!(
                early.is_err(),
                "{version} {qos:?}: resolved before the broker's acknowledgement: {early:?}"
            );
            proxy.hold_replies(false);
            within("the acknowledgement", &mut publishing)
                .await
                .unwrap_or_else(|e| panic!("{version} {qos:?}: {e}"));
            if qos == QoS::ExactlyOnce {
                // Mosquitto forwards a QoS 2 message once the publisher released it (PUBREL).
                assert_eq!(text(&take(&mut seen, "the QoS 2 message").await), "1");
            }

            // QoS 0 has no acknowledgement: it resolves once written, replies held or not.
            proxy.hold_replies(true);
            publish(&publisher, Outgoing::new(&t, "0")).await;
            proxy.hold_replies(false);
            assert_eq!(text(&take(&mut seen, "the QoS 0 message").await), "0");
            disconnect(&publisher).await;
            disconnect(&watcher).await;
        }
    }
}

#[tokio::test]
async fn mqtt_5_carries_headers_content_type_correlation_and_response_topic_natively() {
    let t = topic("properties");
    let sender = connect(direct(MqttVersion::V5)).await;
    let five = connect(direct(MqttVersion::V5)).await;
    let three = connect(direct(MqttVersion::V3_1_1)).await;
    let mut at_five = subscribe(&five, &t, QoS::AtLeastOnce).await;
    let mut at_three = subscribe(&three, &t, QoS::AtLeastOnce).await;

    let headers = Headers::from_iter([("trace-id", "0042"), ("attempt", "2"), ("attempt", "3")]);
    let message = Outgoing::new(&t, r#"{"on":true}"#)
        .with_qos(QoS::AtLeastOnce)
        .with_headers(headers.clone())
        .with_content_type("application/json")
        .with_correlation_id("request-7")
        .with_reply_to(format!("{t}/replies"))
        .with_key("lamp-7");
    publish(&sender, message).await;

    let received = take(&mut at_five, "the message over MQTT 5").await;
    assert_eq!(received.address, t);
    assert_eq!(text(&received), r#"{"on":true}"#);
    assert_eq!(
        received.headers, headers,
        "user properties, in order, repeats kept"
    );
    assert_eq!(received.content_type.as_deref(), Some("application/json"));
    assert_eq!(received.correlation_id.as_deref(), Some("request-7"));
    assert_eq!(received.reply_to, Some(format!("{t}/replies")));
    assert_eq!(received.qos, Some(QoS::AtLeastOnce));
    assert_eq!(
        received.key.as_deref(),
        Some(&b"lamp-7"[..]),
        "as a user property"
    );

    // Natively: an MQTT 3.1.1 subscriber gets exactly the payload, nothing wrapped around it.
    let plain = take(&mut at_three, "the message over MQTT 3.1.1").await;
    assert_eq!(text(&plain), r#"{"on":true}"#);
    assert!(plain.headers.is_empty());
    assert_eq!(plain.correlation_id, None);
    assert_eq!(plain.reply_to, None);
    assert_eq!(plain.content_type, None);
    for mqtt in [&sender, &five, &three] {
        disconnect(mqtt).await;
    }
}

#[tokio::test]
async fn mqtt_3_refuses_what_it_cannot_carry_and_sends_nothing() {
    let t = topic("refused");
    let three = connect(direct(MqttVersion::V3_1_1)).await;
    let watcher = connect(direct(MqttVersion::V5)).await;
    let mut seen = subscribe(&watcher, &t, QoS::AtLeastOnce).await;

    let refused = [
        Outgoing::new(&t, "headers").with_headers(Headers::from_iter([("trace-id", "1")])),
        Outgoing::new(&t, "reply").with_reply_to("somewhere"),
        Outgoing::new(&t, "correlation").with_correlation_id("c-1"),
        Outgoing::new(&t, "key").with_key("k-1"),
    ];
    for message in refused {
        let what = text_of(&message);
        let error = within(
            "the refusal",
            three.publish(message.with_qos(QoS::AtLeastOnce)),
        )
        .await
        .expect_err("MQTT 3.1.1 cannot carry it");
        let said = error.to_string();
        assert!(
            matches!(error, TransportError::Unsupported(_)),
            "{what}: {said}"
        );
        assert!(
            said.contains("MQTT 3.1.1") && said.contains("MqttVersion::V5"),
            "{what}: {said}"
        );
    }
    // A correlation id its payload holds travels with the payload.
    publish(
        &three,
        Outgoing::new(&t, r#"{"id":"c-2"}"#)
            .with_correlation_id("c-2")
            .with_qos(QoS::AtLeastOnce),
    )
    .await;
    // The trace context the runtime adds to every publish (feature `trace-context`) stays
    // behind rather than failing the publish.
    publish(
        &three,
        Outgoing::new(&t, "traced")
            .with_headers(Headers::from_iter([(
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            )]))
            .with_qos(QoS::AtLeastOnce),
    )
    .await;
    // The first message to arrive is that one: none of the refused ones went out.
    assert_eq!(
        text(&take(&mut seen, "the accepted message").await),
        r#"{"id":"c-2"}"#
    );
    let traced = take(&mut seen, "the traced message").await;
    assert_eq!(text(&traced), "traced");
    assert!(traced.headers.is_empty());
    quiet(&mut seen, Duration::from_millis(300)).await;
    disconnect(&three).await;
    disconnect(&watcher).await;
}

fn text_of(message: &Outgoing) -> String {
    String::from_utf8_lossy(&message.payload).into_owned()
}

#[tokio::test]
async fn one_connection_hands_each_subscription_what_its_template_fits() {
    let t = topic("lamps");
    let mqtt = connect(direct(MqttVersion::V5)).await;
    // `{id}.dim` and `{id}.on` are both the filter `<t>/+`: the broker sends everything once,
    // the transport sorts it out.
    let mut dim = subscribe(&mqtt, &format!("{t}/{{id}}.dim"), QoS::AtLeastOnce).await;
    let mut dim_too = subscribe(&mqtt, &format!("{t}/{{id}}.dim"), QoS::AtMostOnce).await;
    let mut on = subscribe(&mqtt, &format!("{t}/{{id}}.on"), QoS::AtLeastOnce).await;
    for address in ["a.dim", "a.on", "b.dim", "b.off", "c/x.dim"] {
        publish(
            &mqtt,
            Outgoing::new(format!("{t}/{address}"), address).with_qos(QoS::AtLeastOnce),
        )
        .await;
    }
    for stream in [&mut dim, &mut dim_too] {
        assert_eq!(text(&take(stream, "a.dim").await), "a.dim");
        assert_eq!(text(&take(stream, "b.dim").await), "b.dim");
    }
    let first_on = take(&mut on, "a.on").await;
    assert_eq!(first_on.address, format!("{t}/a.on"));
    for stream in [&mut dim, &mut dim_too, &mut on] {
        quiet(stream, Duration::from_millis(200)).await;
    }
    disconnect(&mqtt).await;
}

#[tokio::test]
async fn a_message_matching_two_filters_reaches_each_subscription_once() {
    for version in BOTH {
        let mqtt = connect(direct(version)).await;
        let t = topic("overlap");
        let exact_address = format!("{t}/exact.address");
        // A dotted template's level is the MQTT filter `+`, which also matches the exact
        // address: the broker has two subscriptions that match (and MQTT 5 sends a copy
        // through each).
        let mut dotted = subscribe(&mqtt, &format!("{t}/{{id}}.dotted"), QoS::AtLeastOnce).await;
        let mut wide = subscribe(&mqtt, &format!("{t}/{{anything}}"), QoS::AtLeastOnce).await;
        let mut exact = subscribe(&mqtt, &exact_address, QoS::AtLeastOnce).await;
        publish(
            &mqtt,
            Outgoing::new(&exact_address, "once").with_qos(QoS::AtLeastOnce),
        )
        .await;
        assert_eq!(text(&take(&mut exact, "the message").await), "once");
        assert_eq!(text(&take(&mut wide, "the message").await), "once");
        quiet(&mut exact, Duration::from_millis(300)).await;
        quiet(&mut wide, Duration::from_millis(10)).await;
        quiet(&mut dotted, Duration::from_millis(10)).await;
        disconnect(&mqtt).await;
    }
}

/// A raw MQTT 5 publisher reading the broker's PUBACK reason codes: Mosquitto says
/// `NoMatchingSubscribers` when nobody is subscribed.
struct Probe {
    client: rumqttc::v5::AsyncClient,
    events: rumqttc::v5::EventLoop,
}

impl Probe {
    fn new() -> Probe {
        let (host, port) = broker();
        let options = rumqttc::v5::MqttOptions::new(unique("probe"), host, port);
        let (client, events) = rumqttc::v5::AsyncClient::new(options, 10);
        Probe { client, events }
    }

    async fn reason(&mut self, topic: &str) -> rumqttc::v5::mqttbytes::v5::PubAckReason {
        use rumqttc::v5::Event;
        use rumqttc::v5::mqttbytes::v5::Packet;
        self.client
            .publish(
                topic,
                rumqttc::v5::mqttbytes::QoS::AtLeastOnce,
                false,
                "probe",
            )
            .await
            .unwrap();
        within("the probe's PUBACK", async {
            loop {
                if let Event::Incoming(Packet::PubAck(ack)) =
                    self.events.poll().await.expect("the probe's connection")
                {
                    return ack.reason;
                }
            }
        })
        .await
    }
}

#[tokio::test]
async fn dropping_the_last_stream_of_a_filter_unsubscribes_it() {
    use rumqttc::v5::mqttbytes::v5::PubAckReason;
    let t = topic("dropped");
    let mqtt = connect(direct(MqttVersion::V5)).await;
    let first = subscribe(&mqtt, &t, QoS::AtLeastOnce).await;
    let second = subscribe(&mqtt, &t, QoS::AtLeastOnce).await;
    let mut probe = Probe::new();
    assert_eq!(probe.reason(&t).await, PubAckReason::Success);

    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        probe.reason(&t).await,
        PubAckReason::Success,
        "the other stream still needs the subscription"
    );

    drop(second);
    within("the broker to forget the subscription", async {
        while probe.reason(&t).await != PubAckReason::NoMatchingSubscribers {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    disconnect(&mqtt).await;
}

#[tokio::test]
async fn retained_messages_reach_later_subscribers() {
    let t = topic("retained");
    let publisher = connect(direct(MqttVersion::V3_1_1)).await;
    publish(
        &publisher,
        Outgoing::new(&t, "kept")
            .with_qos(QoS::AtLeastOnce)
            .with_retain(true),
    )
    .await;
    publish(
        &publisher,
        Outgoing::new(&t, "fleeting").with_qos(QoS::AtLeastOnce),
    )
    .await;
    for version in BOTH {
        let later = connect(direct(version)).await;
        let mut stream = subscribe(&later, &t, QoS::AtLeastOnce).await;
        assert_eq!(
            text(&take(&mut stream, "the retained message").await),
            "kept"
        );
        quiet(&mut stream, Duration::from_millis(200)).await;
        disconnect(&later).await;
    }
    // An empty retained message clears it.
    publish(
        &publisher,
        Outgoing::new(&t, "")
            .with_qos(QoS::AtLeastOnce)
            .with_retain(true),
    )
    .await;
    disconnect(&publisher).await;
}

/// Ends the broker's session of `client_id` (a clean connect).
async fn forget_session(version: MqttVersion, client_id: &str) {
    let clean = connect(direct(version).client_id(client_id).clean_session(true)).await;
    disconnect(&clean).await;
}

#[tokio::test]
async fn an_unacknowledged_message_comes_again_after_a_reconnect_an_acknowledged_one_does_not() {
    for version in BOTH {
        let t = topic("redelivered");
        let id = unique("redelivery");
        let proxy = proxy().await;
        let subscriber =
            connect(through(&proxy, version).client_id(&id).clean_session(false)).await;
        let mut stream = subscribe(&subscriber, &t, QoS::AtLeastOnce).await;
        let publisher = connect(direct(MqttVersion::V5)).await;
        for payload in ["dropped by a crash", "handled"] {
            publish(
                &publisher,
                Outgoing::new(&t, payload).with_qos(QoS::AtLeastOnce),
            )
            .await;
        }
        let crashed = next(&mut stream, "the first message").await;
        assert_eq!(text(&crashed), "dropped by a crash");
        let handled = next(&mut stream, "the second message").await;
        assert_eq!(text(&handled), "handled");
        handled
            .ack
            .as_ref()
            .expect("a QoS 1 message carries an acknowledgement")
            .ack()
            .unwrap();
        // Let the PUBACK reach the broker, then cut the connection.
        tokio::time::sleep(Duration::from_millis(300)).await;
        proxy.cut();

        let again = take(&mut stream, "the unacknowledged message again").await;
        assert_eq!(text(&again), "dropped by a crash", "{version}");
        quiet(&mut stream, Duration::from_millis(500)).await;
        // Acknowledging the first delivery now does nothing: it came on the old connection.
        crashed.ack.as_ref().unwrap().ack().unwrap();

        disconnect(&subscriber).await;
        disconnect(&publisher).await;
        forget_session(version, &id).await;
    }
}

#[tokio::test]
async fn a_resumed_session_delivers_what_the_broker_kept_to_the_first_matching_subscription() {
    for version in BOTH {
        let t = topic("resumed");
        let id = unique("resumed");
        let persistent = direct(version).client_id(&id).clean_session(false);
        let publisher = connect(direct(MqttVersion::V5)).await;

        let first = connect(persistent.clone()).await;
        let mut stream = subscribe(&first, &t, QoS::AtLeastOnce).await;
        for payload in ["unacknowledged", "acknowledged"] {
            publish(
                &publisher,
                Outgoing::new(&t, payload).with_qos(QoS::AtLeastOnce),
            )
            .await;
        }
        let unacknowledged = next(&mut stream, "the first message").await;
        assert_eq!(text(&unacknowledged), "unacknowledged");
        assert_eq!(
            text(&take(&mut stream, "the second message").await),
            "acknowledged"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        disconnect(&first).await;
        drop(stream);
        publish(
            &publisher,
            Outgoing::new(&t, "while away").with_qos(QoS::AtLeastOnce),
        )
        .await;

        // The broker sends what it kept as soon as the session resumes, before the
        // application has subscribed again: the transport keeps it for the subscription.
        let second = connect(persistent.clone()).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut stream = subscribe(&second, &t, QoS::AtLeastOnce).await;
        let mut got = vec![
            text(&take(&mut stream, "a kept message").await).to_owned(),
            text(&take(&mut stream, "another kept message").await).to_owned(),
        ];
        got.sort();
        assert_eq!(got, ["unacknowledged", "while away"], "{version}");
        quiet(&mut stream, Duration::from_millis(400)).await;

        disconnect(&second).await;
        disconnect(&publisher).await;
        forget_session(version, &id).await;
    }
}

#[tokio::test]
async fn subscriptions_and_publishes_resume_after_the_connection_comes_back() {
    for version in BOTH {
        let t = topic("reconnect");
        let proxy = proxy().await;
        let client = connect(through(&proxy, version)).await;
        let mut stream = subscribe(&client, &t, QoS::AtLeastOnce).await;
        let outsider = connect(direct(MqttVersion::V5)).await;
        publish(
            &outsider,
            Outgoing::new(&t, "before").with_qos(QoS::AtLeastOnce),
        )
        .await;
        assert_eq!(
            text(&take(&mut stream, "the message before the outage").await),
            "before"
        );

        proxy.set_down(true);
        until("the client to notice the outage", || !client.is_connected()).await;
        // A publish made during the outage waits for the connection...
        let during = tokio::spawn({
            let (client, t) = (client.clone(), t.clone());
            async move {
                client
                    .publish(Outgoing::new(t, "during").with_qos(QoS::AtLeastOnce))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !during.is_finished(),
            "{version}: resolved while the broker was unreachable"
        );

        proxy.set_down(false);
        until("the client to reconnect", || client.is_connected()).await;
        within("the publish made during the outage", during)
            .await
            .unwrap()
            .expect("acknowledged after reconnecting");
        // ...and the clean session's subscription was made again before it went out.
        assert_eq!(
            text(&take(&mut stream, "the publish from the outage").await),
            "during"
        );
        publish(
            &outsider,
            Outgoing::new(&t, "after").with_qos(QoS::AtLeastOnce),
        )
        .await;
        assert_eq!(
            text(&take(&mut stream, "the message after the outage").await),
            "after"
        );

        disconnect(&client).await;
        disconnect(&outsider).await;
    }
}

#[tokio::test]
async fn the_last_will_is_published_when_the_connection_breaks_not_on_disconnect() {
    let will_topic = topic("wills");
    let watcher = connect(direct(MqttVersion::V5)).await;
    let mut wills = subscribe(&watcher, &will_topic, QoS::AtLeastOnce).await;
    for version in BOTH {
        let proxy = proxy().await;
        let will = LastWill::new(&will_topic, format!("{version} gone")).with_qos(QoS::AtLeastOnce);
        let doomed = connect(through(&proxy, version).last_will(will)).await;
        proxy.set_down(true);
        assert_eq!(
            text(&take(&mut wills, "the last will").await),
            format!("{version} gone")
        );
        disconnect(&doomed).await;
    }
    let polite =
        connect(direct(MqttVersion::V5).last_will(LastWill::new(&will_topic, "polite"))).await;
    disconnect(&polite).await;
    quiet(&mut wills, Duration::from_millis(500)).await;
    disconnect(&watcher).await;
}

#[tokio::test]
async fn a_tiny_buffer_holds_the_connection_back_without_losing_messages() {
    let t = topic("backpressure");
    let subscriber = connect(direct(MqttVersion::V5).buffer(1)).await;
    let mut stream = subscribe(&subscriber, &t, QoS::AtLeastOnce).await;
    let publisher = connect(direct(MqttVersion::V5)).await;
    within(
        "200 publishes",
        futures::future::try_join_all((0..200).map(|i| {
            publisher.publish(Outgoing::new(&t, i.to_string()).with_qos(QoS::AtLeastOnce))
        })),
    )
    .await
    .expect("published");
    // Nobody reads for a while: the subscription's buffer of one is full long before.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for i in 0..200 {
        let message = take(&mut stream, "the next message").await;
        assert_eq!(text(&message), i.to_string(), "in publish order, none lost");
    }
    quiet(&mut stream, Duration::from_millis(200)).await;
    disconnect(&subscriber).await;
    disconnect(&publisher).await;
}

#[tokio::test]
async fn members_of_a_group_share_the_messages() {
    let t = topic("shared");
    let group = unique("workers");
    let a = connect(direct(MqttVersion::V5)).await;
    let b = connect(direct(MqttVersion::V5)).await;
    let member = || {
        Subscription::new(t.clone())
            .with_group(group.clone())
            .with_qos(QoS::AtLeastOnce)
    };
    let mut at_a = within("a's subscription", a.subscribe(member()))
        .await
        .unwrap();
    let mut at_b = within("b's subscription", b.subscribe(member()))
        .await
        .unwrap();
    let publisher = connect(direct(MqttVersion::V5)).await;
    for i in 0..20 {
        publish(
            &publisher,
            Outgoing::new(&t, i.to_string()).with_qos(QoS::AtLeastOnce),
        )
        .await;
    }
    let (mut to_a, mut to_b) = (Vec::new(), Vec::new());
    within("every message once", async {
        while to_a.len() + to_b.len() < 20 {
            let (into, message) = tokio::select! {
                Some(m) = at_a.next() => (&mut to_a, m.unwrap()),
                Some(m) = at_b.next() => (&mut to_b, m.unwrap()),
            };
            message.ack.as_ref().unwrap().ack().unwrap();
            into.push(text(&message).parse::<u32>().unwrap());
        }
    })
    .await;
    quiet(&mut at_a, Duration::from_millis(200)).await;
    quiet(&mut at_b, Duration::from_millis(200)).await;
    assert!(
        !to_a.is_empty() && !to_b.is_empty(),
        "shared: {to_a:?} / {to_b:?}"
    );
    let mut all: Vec<u32> = to_a.into_iter().chain(to_b).collect();
    all.sort_unstable();
    assert_eq!(all, (0..20).collect::<Vec<_>>());
    for mqtt in [&a, &b, &publisher] {
        disconnect(mqtt).await;
    }
}

#[tokio::test]
async fn connecting_fails_for_a_missing_credential_or_an_unreachable_broker() {
    const SECURED: Server = Server {
        name: "secured",
        url: "mqtt://127.0.0.1:1883",
        protocol: "mqtt",
        protocol_version: Some("5"),
        variables: &[],
        security: &[SecurityScheme {
            name: "brokerLogin",
            kind: "userPassword",
            description: "",
        }],
        mqtt: None,
    };
    let error = within(
        "the refusal",
        Mqtt::connect(MqttConfig::from_server(&SECURED).unwrap()),
    )
    .await
    .expect_err("credentials are required");
    assert!(matches!(error, TransportError::Config(_)), "{error}");
    assert!(error.to_string().contains("brokerLogin"), "{error}");

    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let error = within(
        "the failure",
        Mqtt::connect(MqttConfig::new("127.0.0.1", port)),
    )
    .await
    .expect_err("nobody listens");
    assert!(matches!(error, TransportError::Backend(_)), "{error}");
    assert!(error.to_string().contains(&port.to_string()), "{error}");
}

/// A broker stand-in that answers every CONNECT with `connack` and then waits for the client
/// to hang up.
async fn refusing_broker(connack: &'static [u8]) -> (u16, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 1024];
                if matches!(socket.read(&mut buffer).await, Ok(n) if n > 0) {
                    let _ = socket.write_all(connack).await;
                    while matches!(socket.read(&mut buffer).await, Ok(n) if n > 0) {}
                }
            });
        }
    });
    (port, task)
}

#[tokio::test]
async fn a_refused_connection_is_an_error_with_the_brokers_reason() {
    // CONNACK, return code 5 (not authorised) / reason code 0x87 (not authorised), and
    // 3 (server unavailable) / 0x88 (server unavailable).
    let cases: [(MqttVersion, &'static [u8], bool, &str); 4] = [
        (
            MqttVersion::V3_1_1,
            &[0x20, 0x02, 0x00, 0x05],
            true,
            "NotAuthorized",
        ),
        (
            MqttVersion::V5,
            &[0x20, 0x03, 0x00, 0x87, 0x00],
            true,
            "NotAuthorized",
        ),
        (
            MqttVersion::V3_1_1,
            &[0x20, 0x02, 0x00, 0x03],
            false,
            "ServiceUnavailable",
        ),
        (
            MqttVersion::V5,
            &[0x20, 0x03, 0x00, 0x88, 0x00],
            false,
            "ServerUnavailable",
        ),
    ];
    for (version, connack, about_identity, reason) in cases {
        let (port, broker) = refusing_broker(connack).await;
        let config = MqttConfig::new("127.0.0.1", port)
            .version(version)
            .credentials("lamp", "wrong");
        let error = within("the refusal", Mqtt::connect(config))
            .await
            .expect_err("refused");
        let said = error.to_string();
        assert!(said.contains(reason), "{version}: {said}");
        assert_eq!(
            matches!(error, TransportError::Config(_)),
            about_identity,
            "{version}: {said}"
        );
        broker.abort();
    }
}

#[tokio::test]
async fn a_spec_server_and_its_mqtt_binding_configure_the_connection() {
    let (host, port) = broker();
    let id: &'static str = Box::leak(unique("bound").into_boxed_str());
    let server = Server {
        name: "test",
        url: "mqtt://{host}:{port}",
        protocol: "mqtt",
        protocol_version: Some("3.1.1"),
        variables: &[
            asyncapi_runtime::ServerVariable {
                name: "host",
                default: Some("localhost"),
                allowed: &[],
                description: "",
            },
            asyncapi_runtime::ServerVariable {
                name: "port",
                default: Some("1883"),
                allowed: &[],
                description: "",
            },
        ],
        security: &[],
        mqtt: Some(asyncapi_runtime::bindings::MqttServerBinding {
            client_id: Some(id),
            clean_session: Some(true),
            keep_alive: Some(20),
            last_will: None,
            session_expiry_interval: None,
        }),
    };
    let port = port.to_string();
    let config =
        MqttConfig::from_server_with(&server, &[("host", &host), ("port", &port)]).unwrap();
    let mqtt = connect(tuned(config)).await;
    assert_eq!(mqtt.client_id(), id);
    assert_eq!(mqtt.version(), MqttVersion::V3_1_1);
    let t = topic("bound");
    let mut stream = subscribe(&mqtt, &t, QoS::ExactlyOnce).await;
    publish(&mqtt, Outgoing::new(&t, "x").with_qos(QoS::ExactlyOnce)).await;
    let message = take(&mut stream, "the message").await;
    assert_eq!(message.qos, Some(QoS::ExactlyOnce));
    disconnect(&mqtt).await;
    assert!(matches!(
        mqtt.publish(Outgoing::new(&t, "late")).await,
        Err(TransportError::Closed)
    ));
    assert!(
        within("the end of the stream", stream.next())
            .await
            .is_none()
    );
}
