//! Channel-parameter injection through the generated API: values that would change an address's
//! structure (a level separator, an MQTT wildcard, a NUL, a placeholder brace), empty values,
//! values Kafka's topic names do not allow and values that make the address longer than the
//! broker allows are refused before anything is published, with an error naming the parameter.
//! Runs on the in-memory broker, which would take any address: the refusal is the API's.

use std::time::Duration;

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{AddressError, Client, Error};
use asyncapi_tests::reliability::Row;
use futures::StreamExt;

/// A spec without servers: MQTT's rules.
mod mqtt_rules {
    asyncapi_runtime::asyncapi!("specs/backpressure.yaml");
}

/// A spec with a Kafka server: Kafka's rules (the stricter) for every channel.
mod kafka_rules {
    asyncapi_runtime::asyncapi!("specs/conformance.yaml");
}

/// What every transport refuses: structure, emptiness.
fn structural() -> Vec<String> {
    [
        "a/b", "/", "a/", "+", "#", "a+", "a/#", "+/+", "nul\0", "\0", "{run}", "a}", "",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

fn refused(err: &Error, parameter: &str) -> bool {
    matches!(err, Error::Address(AddressError::InvalidValue { parameter: p, .. }) if *p == parameter)
}

/// Asserts nothing reached the broker.
async fn nothing_published(everything: &mut asyncapi_runtime::RawStream) {
    let next = tokio::time::timeout(Duration::from_millis(50), everything.next()).await;
    assert!(next.is_err(), "a message was published: {next:?}");
}

#[tokio::test]
async fn injection_attempts_are_refused_before_anything_is_published() {
    let broker = MemoryBroker::new();
    let mut everything = broker.subscribe_filter("#");
    let client = Client::new(broker);
    let mut tried = 0u64;

    // MQTT's rules: structure, emptiness, and an address over 65,535 bytes.
    let mut mqtt_bad = structural();
    mqtt_bad.push("x".repeat(65_536));
    for value in &mqtt_bad {
        use mqtt_rules::*;
        let parameters = ChunksParameters { run: value.clone() };
        let payload = ChunkPayload {
            seq: 1,
            data: "d".into(),
        };
        let err = client.send_chunk(&parameters, &payload).await.unwrap_err();
        assert!(
            refused(&err, "run") || value.len() > 60_000,
            "{value:?}: {err}"
        );
        if value.len() > 60_000 {
            assert!(
                err.to_string().contains("longer than the broker allows"),
                "{err}"
            );
        }
        assert!(parameters.address().is_err(), "{value:?}");
        tried += 1;
    }
    // What MQTT allows and Kafka does not goes through on MQTT's rules.
    {
        use mqtt_rules::*;
        let fine = ChunksParameters {
            run: "eu west é:1".into(),
        };
        assert_eq!(fine.address().unwrap(), "pressure.chunks.eu west é:1");
    }

    // Kafka's rules: also only `a-z A-Z 0-9 . _ -`, and at most 249 characters in all.
    let mut kafka_bad = structural();
    kafka_bad.extend(
        [
            "eu west", "é", "a:b", "a*", "a,b", "a\\b", "a\nb", "a\tb", "ü",
        ]
        .into_iter()
        .map(String::from),
    );
    kafka_bad.push("x".repeat(250));
    for value in &kafka_bad {
        use kafka_rules::*;
        let parameters = ReadingsParameters {
            sensor_id: value.clone(),
        };
        let err = client
            .send_reading(
                &parameters,
                &"key".to_owned(),
                &ReadingHeaders {
                    unit: "u".into(),
                    priority: None,
                },
                &ReadingPayload { value: 1.0 },
            )
            .await
            .unwrap_err();
        assert!(
            refused(&err, "sensorId") || value.len() == 250,
            "{value:?}: {err}"
        );
        if value.len() == 250 {
            assert!(
                err.to_string().contains("longer than the broker allows"),
                "{err}"
            );
        }
        tried += 1;
    }
    nothing_published(&mut everything).await;

    // A received address that does not fit its template is refused too, by the parser.
    {
        use kafka_rules::*;
        assert!(ReadingsParameters::parse("conformance.sensors.readings").is_err());
        assert!(ReadingsParameters::parse("conformance.other.x.readings").is_err());
    }

    Row {
        case: "channel-parameter injection (separators, wildcards, NUL, braces, empty, foreign characters, overlong)".into(),
        transport: "API (any)".into(),
        tried,
        sent: tried,
        delivered: 0,
        duplicated: 0,
        rejected: tried,
        lost: 0,
        notes: "refused by the generated parameters type before publishing; nothing reached the broker".into(),
        test: "injection::injection_attempts_are_refused_before_anything_is_published".into(),
    }
    .report();
}
