//! The official streetlights examples (2.6.0 and 3.0.0) through the macro: the generated types and
//! traits compile, and typed messages round-trip over the in-memory broker in both directions.

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{AddressError, Client, Error, HandlerResult, ReceiveError, Received};
use asyncapi_tests::within;
use futures::StreamExt;

/// The 3.0.0 spec as its application (the streetlights service) sees it.
mod v3 {
    asyncapi_runtime::asyncapi!(
        "../../shared/corpus/public/asyncapi__spec@v3.0.0/streetlights-mqtt-asyncapi.yml"
    );
}

/// The 3.0.0 spec from the other side (a streetlight).
mod v3_mirror {
    asyncapi_runtime::asyncapi!(
        "../../shared/corpus/public/asyncapi__spec@v3.0.0/streetlights-mqtt-asyncapi.yml",
        role = "mirror"
    );
}

/// The 2.6.0 spec, whose `publish`/`subscribe` words are inverted relative to 3.0.
mod v2 {
    asyncapi_runtime::asyncapi!(
        "../../shared/corpus/public/asyncapi__spec@v2.6.0/streetlights-mqtt.yml"
    );
}

mod v2_mirror {
    asyncapi_runtime::asyncapi!(
        "../../shared/corpus/public/asyncapi__spec@v2.6.0/streetlights-mqtt.yml",
        role = "mirror"
    );
}

fn measurement(lumens: i64) -> v3::LightMeasuredPayload {
    v3::LightMeasuredPayload {
        lumens: Some(lumens),
        sent_at: Some("2026-11-24T12:00:00Z".parse().unwrap()),
    }
}

#[tokio::test]
async fn v3_measurement_round_trips_through_a_typed_stream() {
    use v3::Subscriber as _;
    use v3_mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let lamp = Client::new(broker);

    let mut stream = service.subscribe_receive_light_measurement().await.unwrap();
    let parameters = v3_mirror::LightingMeasuredParameters {
        streetlight_id: "lamp-7".into(),
    };
    let sent = v3_mirror::LightMeasuredPayload {
        lumens: Some(310),
        sent_at: Some("2026-11-24T12:00:00Z".parse().unwrap()),
    };
    // The 3.0 messages carry the `commonHeaders` trait: an optional integer header.
    let headers = v3_mirror::CommonHeaders {
        my_app_header: Some(42),
    };
    lamp.receive_light_measurement(&parameters, &headers, &sent)
        .await
        .unwrap();

    let received = within("the measurement", stream.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        received.address,
        "smartylighting/streetlights/1/0/event/lamp-7/lighting/measured"
    );
    assert_eq!(received.parameters.streetlight_id, "lamp-7");
    assert_eq!(received.payload, measurement(310));
    assert_eq!(received.headers.my_app_header, Some(42));
    assert_eq!(received.raw_headers.get("my-app-header"), Some("42"));
    assert_eq!(
        &received.raw[..],
        br#"{"lumens":310,"sentAt":"2026-11-24T12:00:00Z"}"#
    );
}

#[tokio::test]
async fn v3_commands_reach_the_handler_through_serve() {
    use v3::Publisher as _;
    struct Lamp(tokio::sync::mpsc::UnboundedSender<String>);
    impl v3_mirror::Handler for Lamp {
        async fn turn_on(
            &self,
            m: Received<
                v3_mirror::LightTurnOnParameters,
                v3_mirror::TurnOnOffPayload,
                v3_mirror::CommonHeaders,
            >,
        ) -> HandlerResult {
            self.0.send(format!(
                "on {} {:?}",
                m.parameters.streetlight_id, m.payload.command
            ))?;
            Ok(())
        }
        async fn turn_off(
            &self,
            m: Received<
                v3_mirror::LightTurnOffParameters,
                v3_mirror::TurnOnOffPayload,
                v3_mirror::CommonHeaders,
            >,
        ) -> HandlerResult {
            self.0
                .send(format!("off {}", m.parameters.streetlight_id))?;
            Ok(())
        }
        async fn dim_light(
            &self,
            m: Received<
                v3_mirror::LightsDimParameters,
                v3_mirror::DimLightPayload,
                v3_mirror::CommonHeaders,
            >,
        ) -> HandlerResult {
            self.0.send(format!(
                "dim {} {:?} {:?}",
                m.parameters.streetlight_id, m.payload.percentage, m.headers.my_app_header
            ))?;
            Ok(())
        }
    }

    let broker = MemoryBroker::new();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let subscriptions = v3_mirror::Subscriptions::new(&Client::new(broker.clone()))
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        subscriptions
            .serve(&Lamp(tx), async {
                let _ = stopped.await;
            })
            .await
    });

    let service = Client::new(broker);
    let id = |s: &str| s.to_owned();
    let no_headers = v3::CommonHeaders {
        my_app_header: None,
    };
    service
        .turn_on(
            &v3::LightTurnOnParameters {
                streetlight_id: id("a"),
            },
            &no_headers,
            &v3::TurnOnOffPayload {
                command: Some(v3::TurnOnOffPayloadCommand::On),
                sent_at: None,
            },
        )
        .await
        .unwrap();
    service
        .turn_off(
            &v3::LightTurnOffParameters {
                streetlight_id: id("b"),
            },
            &no_headers,
            &v3::TurnOnOffPayload {
                command: Some(v3::TurnOnOffPayloadCommand::Off),
                sent_at: None,
            },
        )
        .await
        .unwrap();
    service
        .dim_light(
            &v3::LightsDimParameters {
                streetlight_id: id("c"),
            },
            &v3::CommonHeaders {
                my_app_header: Some(7),
            },
            &v3::DimLightPayload {
                percentage: Some(25),
                sent_at: None,
            },
        )
        .await
        .unwrap();

    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(within("a command", rx.recv()).await.unwrap());
    }
    seen.sort();
    assert_eq!(seen, ["dim c Some(25) Some(7)", "off b", "on a Some(On)"]);
    stop.send(()).unwrap();
    within("serve to stop", server)
        .await
        .unwrap()
        .expect("serve stops because it was asked to");
}

#[tokio::test]
async fn v2_spec_generates_the_same_sides() {
    use v2::Subscriber as _;
    use v2_mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let lamp = Client::new(broker);
    // In 2.6 the channel's `publish` operation is received by the application.
    let mut stream = service.subscribe_receive_light_measurement().await.unwrap();
    let parameters = v2_mirror::ReceiveLightMeasurementParameters {
        streetlight_id: "x1".into(),
    };
    let payload = v2_mirror::LightMeasuredPayload {
        lumens: Some(5),
        sent_at: None,
    };
    let headers = v2_mirror::CommonHeaders {
        my_app_header: None,
    };
    lamp.receive_light_measurement(&parameters, &headers, &payload)
        .await
        .unwrap();
    let received = within("the measurement", stream.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(received.parameters.streetlight_id, "x1");
    assert_eq!(received.payload.lumens, Some(5));
}

#[tokio::test]
async fn a_malformed_message_is_an_error_item_and_the_stream_goes_on() {
    use v3::Subscriber as _;
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let mut stream = service.subscribe_receive_light_measurement().await.unwrap();
    let address = "smartylighting/streetlights/1/0/event/z/lighting/measured";
    broker.deliver(address, "{not json".into()).await;
    broker
        .deliver(address, r#"{"lumens":"bright"}"#.into())
        .await;
    broker.deliver(address, r#"{"lumens":9}"#.into()).await;

    for bad in [&b"{not json"[..], br#"{"lumens":"bright"}"#] {
        match within("an error item", stream.next()).await.unwrap() {
            Err(ReceiveError::Decode {
                operation,
                address: at,
                raw,
                ..
            }) => {
                assert_eq!(operation, "receiveLightMeasurement");
                assert_eq!(at, address);
                assert_eq!(&raw[..], bad);
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
    let good = within("the valid message", stream.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(good.payload.lumens, Some(9));
}

#[tokio::test]
async fn validation_on_receive_is_opt_in_and_reports_the_field() {
    use v3::Subscriber as _;
    let broker = MemoryBroker::new();
    let address = "smartylighting/streetlights/1/0/event/z/lighting/measured";
    // `lumens` has `minimum: 0`.
    let negative = r#"{"lumens":-5}"#;

    let lenient = Client::new(broker.clone());
    let mut lenient = lenient.subscribe_receive_light_measurement().await.unwrap();
    let strict = Client::new(broker.clone()).with_validation(true);
    let mut strict = strict.subscribe_receive_light_measurement().await.unwrap();
    broker.deliver(address, negative.into()).await;
    broker.deliver(address, r#"{"lumens":5}"#.into()).await;

    let delivered = within("the lenient item", lenient.next()).await.unwrap();
    assert_eq!(delivered.unwrap().payload.lumens, Some(-5));
    match within("the strict item", strict.next()).await.unwrap() {
        Err(ReceiveError::Invalid {
            operation,
            address: at,
            raw,
            errors,
        }) => {
            assert_eq!(operation, "receiveLightMeasurement");
            assert_eq!(at, address);
            assert_eq!(&raw[..], negative.as_bytes());
            let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
            assert_eq!(paths, ["/lumens"], "{errors}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let next = within("the valid message", strict.next()).await.unwrap();
    assert_eq!(next.unwrap().payload.lumens, Some(5));
}

#[tokio::test]
async fn parameter_values_cannot_inject_wildcards_or_levels() {
    use v3::Publisher as _;
    let broker = MemoryBroker::new();
    let mut everything = broker.subscribe_filter("#");
    let service = Client::new(broker);
    for bad in ["a/b", "+", "#", "nul\0", ""] {
        let err = service
            .turn_on(
                &v3::LightTurnOnParameters {
                    streetlight_id: bad.into(),
                },
                &v3::CommonHeaders {
                    my_app_header: None,
                },
                &v3::TurnOnOffPayload {
                    command: None,
                    sent_at: None,
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Address(AddressError::InvalidValue {
                    parameter: "streetlightId",
                    ..
                })
            ),
            "{bad:?}: {err}"
        );
    }
    // Nothing reached the broker.
    let nothing =
        tokio::time::timeout(std::time::Duration::from_millis(50), everything.next()).await;
    assert!(nothing.is_err(), "a message was published: {nothing:?}");
}

#[test]
fn addresses_format_and_parse() {
    let p = v3::LightsDimParameters {
        streetlight_id: "lamp-3".into(),
    };
    let address = p.address().unwrap();
    assert_eq!(address, "smartylighting/streetlights/1/0/action/lamp-3/dim");
    assert_eq!(v3::LightsDimParameters::parse(&address).unwrap(), p);
    assert!(
        v3::LightsDimParameters::parse("smartylighting/streetlights/1/0/action/lamp-3/turn/on")
            .is_err()
    );
    assert_eq!(
        v3::LightsDimParameters::ADDRESS,
        "smartylighting/streetlights/1/0/action/{streetlightId}/dim"
    );
}

#[test]
fn enums_keep_their_wire_names() {
    let json = |c| {
        asyncapi_runtime::__private::serde_json::to_string(&v3::TurnOnOffPayload {
            command: Some(c),
            sent_at: None,
        })
        .unwrap()
    };
    assert_eq!(json(v3::TurnOnOffPayloadCommand::On), r#"{"command":"on"}"#);
    assert_eq!(
        json(v3::TurnOnOffPayloadCommand::Off),
        r#"{"command":"off"}"#
    );
}

#[tokio::test]
async fn a_handler_can_be_called_directly_in_a_unit_test() {
    struct Recorder(std::sync::Mutex<Vec<i64>>);
    impl v3::Handler for Recorder {
        async fn receive_light_measurement(
            &self,
            m: Received<
                v3::LightingMeasuredParameters,
                v3::LightMeasuredPayload,
                v3::CommonHeaders,
            >,
        ) -> HandlerResult {
            self.0
                .lock()
                .unwrap()
                .push(m.payload.lumens.unwrap_or_default());
            Ok(())
        }
    }
    let recorder = Recorder(Default::default());
    let message = Received::new(
        "smartylighting/streetlights/1/0/event/l/lighting/measured",
        v3::LightingMeasuredParameters {
            streetlight_id: "l".into(),
        },
        measurement(77),
        &b"{}"[..],
    )
    .with_headers(v3::CommonHeaders {
        my_app_header: None,
    });
    v3::Handler::receive_light_measurement(&recorder, message)
        .await
        .unwrap();
    assert_eq!(*recorder.0.lock().unwrap(), [77]);
}
