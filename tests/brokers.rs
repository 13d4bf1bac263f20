//! Smoke tests proving the real brokers that `scripts/test.sh` starts are there and usable: raw
//! rumqttc through Mosquitto, raw rdkafka through tansu. Later the adapters are tested against
//! the same brokers.
//!
//! The broker addresses come from `ASYNCAPI_TEST_MQTT` and `ASYNCAPI_TEST_KAFKA` (`host:port`);
//! these tests fail, rather than skip, when a broker is missing.

use std::time::Duration;

use asyncapi_tests::{unique, within};

fn broker(var: &str) -> String {
    asyncapi_tests::broker_address(var)
}

#[tokio::test]
async fn mosquitto_round_trips_a_message_with_raw_rumqttc() {
    use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};

    let address = broker("ASYNCAPI_TEST_MQTT");
    let (host, port) = address
        .rsplit_once(':')
        .expect("ASYNCAPI_TEST_MQTT is host:port");
    let mut options = MqttOptions::new(unique("smoke"), host, port.parse().expect("a port number"));
    options.set_keep_alive(Duration::from_secs(5));
    let (client, mut events) = AsyncClient::new(options, 16);
    let topic = format!("{}/lights/1", unique("smoke"));

    client.subscribe(&topic, QoS::AtLeastOnce).await.unwrap();
    let mut published = false;
    let received = within("the message back from Mosquitto", async {
        loop {
            match events.poll().await.expect("connection to Mosquitto") {
                Event::Incoming(Packet::SubAck(_)) if !published => {
                    client
                        .publish(&topic, QoS::AtLeastOnce, false, &b"{\"lumens\":42}"[..])
                        .await
                        .unwrap();
                    published = true;
                }
                Event::Incoming(Packet::Publish(p)) => break p,
                _ => {}
            }
        }
    })
    .await;
    assert_eq!(received.topic, topic);
    assert_eq!(&received.payload[..], b"{\"lumens\":42}");
    client.disconnect().await.unwrap();
}

#[tokio::test]
async fn tansu_round_trips_a_message_with_raw_rdkafka() {
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    use rdkafka::client::DefaultClientContext;
    use rdkafka::config::ClientConfig;
    use rdkafka::consumer::{Consumer, StreamConsumer};
    use rdkafka::message::Message;
    use rdkafka::producer::{FutureProducer, FutureRecord};

    let brokers = broker("ASYNCAPI_TEST_KAFKA");
    let topic = unique("smoke");
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", &brokers);

    // tansu does not create topics on first use.
    let admin: AdminClient<DefaultClientContext> = config.create().unwrap();
    let created = admin
        .create_topics(
            &[NewTopic::new(&topic, 1, TopicReplication::Fixed(1))],
            &AdminOptions::new(),
        )
        .await
        .unwrap();
    assert!(
        created.iter().all(Result::is_ok),
        "topic creation failed: {created:?}"
    );

    let producer: FutureProducer = config.clone().set("linger.ms", "0").create().unwrap();
    let delivery = producer
        .send(
            FutureRecord::to(&topic)
                .key("lamp-1")
                .payload("{\"lumens\":42}"),
            Duration::from_secs(10),
        )
        .await
        .map_err(|(e, _)| e)
        .expect("tansu acknowledged the message");
    assert_eq!(delivery.partition, 0);

    let consumer: StreamConsumer = config
        .clone()
        .set("group.id", unique("smoke-group"))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    consumer.subscribe(&[&topic]).unwrap();
    let message = within("the message back from tansu", consumer.recv())
        .await
        .unwrap();
    assert_eq!(message.topic(), topic);
    assert_eq!(message.offset(), delivery.offset);
    assert_eq!(message.key(), Some(&b"lamp-1"[..]));
    assert_eq!(message.payload(), Some(&b"{\"lumens\":42}"[..]));
}
