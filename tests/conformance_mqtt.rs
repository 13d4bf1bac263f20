//! The conformance suite through Mosquitto (MQTT 5), which `scripts/test.sh` starts; its address
//! comes from `ASYNCAPI_TEST_MQTT` (`host:port`).

mod conformance;

use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
use asyncapi_tests::proxy::Proxy;

struct Mosquitto;

fn broker() -> (String, u16) {
    asyncapi_tests::broker_host_port("ASYNCAPI_TEST_MQTT")
}

impl conformance::Harness for Mosquitto {
    type Transport = Mqtt;
    const NAME: &'static str = "mqtt";

    async fn connect(&self) -> Mqtt {
        let (host, port) = broker();
        Mqtt::connect(MqttConfig::new(host, port))
            .await
            .expect("connect to Mosquitto")
    }

    /// QoS 1 with a persistent session: what is not acknowledged is sent again to the next
    /// connection of the same client id.
    async fn connect_persistent(&self, session: &str) -> Mqtt {
        let (host, port) = broker();
        let config = MqttConfig::new(host, port)
            .client_id(session)
            .clean_session(false)
            .session_expiry(std::time::Duration::from_secs(600));
        Mqtt::connect(config).await.expect("connect to Mosquitto")
    }

    /// A group is an MQTT shared subscription, and an offline persistent session stays one of
    /// its members (Mosquitto keeps handing it a share of the messages).
    async fn forget_session(&self, session: &str) {
        let (host, port) = broker();
        let config = MqttConfig::new(host, port)
            .client_id(session)
            .clean_session(true);
        let mqtt = Mqtt::connect(config).await.expect("connect to Mosquitto");
        mqtt.disconnect().await.expect("disconnect from Mosquitto");
    }

    async fn disconnect(&self, mqtt: Mqtt) {
        mqtt.disconnect().await.expect("disconnect from Mosquitto");
    }

    /// MQTT 5 user properties are UTF-8 strings and rumqttc takes `String`s, so the messages
    /// go out through a bare MQTT 5 client written here, over TCP: CONNECT, then each PUBLISH
    /// (QoS 1) with the user properties as bytes. The broker must treat a string that is not
    /// UTF-8 as a malformed packet; Mosquitto closes the connection instead of answering.
    async fn publish_header_bytes(
        &self,
        _: &Mqtt,
        address: &str,
        messages: Vec<(Vec<u8>, conformance::RawHeaders)>,
    ) -> conformance::HeaderBytes {
        let (host, port) = broker();
        // The bare client works: the same with UTF-8 properties is acknowledged (on a topic
        // nobody reads).
        let mut socket = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .expect("connect to Mosquitto");
        let control = [(b"unit".to_vec(), b"C".to_vec())];
        let topic = format!("{address}.control");
        let client_id = asyncapi_tests::unique("raw-headers");
        assert!(
            raw_mqtt::publish(&mut socket, &client_id, &topic, 1, b"{}", &control).await,
            "the bare client's PUBLISH was not acknowledged"
        );
        let (mut acknowledged, mut refused) = (0, 0);
        for (id, (payload, headers)) in messages.iter().enumerate() {
            let mut socket = tokio::net::TcpStream::connect((host.as_str(), port))
                .await
                .expect("connect to Mosquitto");
            let client_id = asyncapi_tests::unique("raw-headers");
            if raw_mqtt::publish(
                &mut socket,
                &client_id,
                address,
                id as u16 + 1,
                payload,
                headers,
            )
            .await
            {
                acknowledged += 1;
            } else {
                refused += 1;
            }
        }
        if refused == messages.len() {
            conformance::HeaderBytes::Refused(format!(
                "MQTT 5 cannot carry them (user properties are UTF-8 strings; rumqttc takes \
                 String); sent anyway by a bare client, Mosquitto closed its connection on each \
                 of {refused} (a malformed packet) and delivered none"
            ))
        } else {
            panic!(
                "Mosquitto took {acknowledged} of {} PUBLISH packets with user properties that are not UTF-8",
                messages.len()
            )
        }
    }

    async fn connect_through_proxy(&self) -> Option<(Mqtt, Proxy)> {
        let (host, port) = broker();
        let proxy = Proxy::start("127.0.0.1:0", &format!("{host}:{port}")).await;
        let (proxy_host, proxy_port) = proxy.address().rsplit_once(':').unwrap();
        let config = MqttConfig::new(proxy_host, proxy_port.parse().unwrap());
        let mqtt = Mqtt::connect(config)
            .await
            .expect("connect through the proxy");
        Some((mqtt, proxy))
    }
}

conformance_suite!(Mosquitto);

/// A bare MQTT 5 client for what rumqttc cannot send.
mod raw_mqtt {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn varint(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (n % 128) as u8;
            n /= 128;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn string(bytes: &[u8], out: &mut Vec<u8>) {
        out.extend((bytes.len() as u16).to_be_bytes());
        out.extend(bytes);
    }

    fn packet(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![kind];
        varint(body.len(), &mut out);
        out.extend(body);
        out
    }

    /// Connects as `client_id` and publishes one QoS 1 message whose user properties are the
    /// given bytes; whether the broker acknowledged it (`false`: it closed the connection or
    /// answered otherwise).
    pub async fn publish(
        socket: &mut tokio::net::TcpStream,
        client_id: &str,
        topic: &str,
        packet_id: u16,
        payload: &[u8],
        user_properties: &[(Vec<u8>, Vec<u8>)],
    ) -> bool {
        // CONNECT: protocol name, version 5, clean start, keep alive 30 s, no properties.
        let mut connect = Vec::new();
        string(b"MQTT", &mut connect);
        connect.extend([5, 0x02, 0, 30, 0]);
        string(client_id.as_bytes(), &mut connect);
        socket.write_all(&packet(0x10, &connect)).await.unwrap();
        let mut connack = [0u8; 2];
        socket.read_exact(&mut connack).await.expect("a CONNACK");
        assert_eq!(connack[0], 0x20, "not a CONNACK");
        let mut rest = vec![0u8; connack[1] as usize];
        socket.read_exact(&mut rest).await.unwrap();
        assert_eq!(rest.get(1), Some(&0), "the connection was refused");

        let mut properties = Vec::new();
        for (name, value) in user_properties {
            properties.push(0x26);
            string(name, &mut properties);
            string(value, &mut properties);
        }
        let mut publish = Vec::new();
        string(topic.as_bytes(), &mut publish);
        publish.extend(packet_id.to_be_bytes());
        varint(properties.len(), &mut publish);
        publish.extend(properties);
        publish.extend(payload);
        socket.write_all(&packet(0x32, &publish)).await.unwrap();
        let mut answer = [0u8; 1];
        match tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut answer))
            .await
        {
            Ok(Ok(1)) => answer[0] == 0x40,
            Ok(_) => false,
            Err(_) => panic!("Mosquitto neither acknowledged nor closed within 5 s"),
        }
    }
}

/// What a subscriber whose `max_packet_size` is smaller than a message gets, for each protocol
/// version and session kind: the connection is not lost over and over, and the next message
/// arrives. MQTT 5: the broker, told the limit in CONNECT, drops the oversized message for this
/// client. MQTT 3.1.1 has no way to tell it, so the adapter reads any packet and the oversized
/// message arrives whole (the typed layer's limit refuses it); it used to drop the connection,
/// which made Mosquitto send it again on every reconnect (persistent session) or lose what came
/// after it (clean session).
async fn oversized_message_is_skipped(version: asyncapi_runtime::mqtt::MqttVersion, clean: bool) {
    let arrives = version == asyncapi_runtime::mqtt::MqttVersion::V3_1_1;
    use asyncapi_runtime::mqtt::MqttConfig;
    use asyncapi_runtime::{Outgoing, QoS, Subscription, Transport};
    use futures::StreamExt;
    let (host, port) = broker();
    let topic = asyncapi_tests::unique("oversized");
    let config = MqttConfig::new(&host, port)
        .version(version)
        .clean_session(clean)
        .client_id(asyncapi_tests::unique("small"))
        .max_packet_size(16 * 1024);
    let small = Mqtt::connect(config).await.expect("connect");
    let mut stream = small
        .subscribe(Subscription::new(topic.clone()).with_qos(QoS::AtLeastOnce))
        .await
        .unwrap();
    let publisher = Mosquitto.connect().await;
    for payload in [vec![b'x'; 64 * 1024], b"after".to_vec()] {
        publisher
            .publish(Outgoing::new(&topic, payload).with_qos(QoS::AtLeastOnce))
            .await
            .unwrap();
    }
    if arrives {
        let oversized = asyncapi_tests::within("the oversized message", stream.next()).await;
        assert_eq!(oversized.unwrap().unwrap().payload.len(), 64 * 1024);
    }
    let after = asyncapi_tests::within("the message after the oversized one", stream.next())
        .await
        .unwrap()
        .unwrap();
    assert!(
        &after.payload[..] == b"after",
        "{} bytes",
        after.payload.len()
    );
}

use conformance::Harness as _;

#[tokio::test]
async fn mqtt5_an_oversized_message_is_not_sent_to_a_client_that_announced_its_limit() {
    oversized_message_is_skipped(asyncapi_runtime::mqtt::MqttVersion::V5, true).await;
}

#[tokio::test]
async fn mqtt5_persistent_session_an_oversized_message_is_dropped() {
    oversized_message_is_skipped(asyncapi_runtime::mqtt::MqttVersion::V5, false).await;
}

#[tokio::test]
async fn mqtt311_an_oversized_message_arrives_and_the_connection_holds() {
    oversized_message_is_skipped(asyncapi_runtime::mqtt::MqttVersion::V3_1_1, true).await;
}

#[tokio::test]
async fn mqtt311_persistent_session_an_oversized_message_arrives_once() {
    oversized_message_is_skipped(asyncapi_runtime::mqtt::MqttVersion::V3_1_1, false).await;
}
