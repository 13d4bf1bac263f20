//! The operations part of the generated API on a fixture spec (`specs/orders.yaml`): several
//! messages on one operation as an enum, typed Kafka keys and headers, Kafka naming rules for
//! parameters, requests with a fixed and with a dynamic reply address, timeouts, servers.

use std::time::Duration;

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{Client, Error, HandlerError, HandlerResult, Received};
use asyncapi_tests::within;
use futures::StreamExt;

/// The order service: publishes order events, asks for prices and stock.
mod app {
    asyncapi_runtime::asyncapi!("specs/orders.yaml");
}

/// The other side: consumes order events, answers price and stock requests.
mod mirror {
    asyncapi_runtime::asyncapi!("specs/orders.yaml", role = "mirror");
}

fn region(name: &str) -> app::OrderEventsParameters {
    app::OrderEventsParameters {
        region: name.to_owned(),
    }
}

#[tokio::test]
async fn several_messages_arrive_as_the_variant_that_was_sent() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let consumer = Client::new(broker.clone());
    let mut events = consumer.subscribe_publish_order_event().await.unwrap();
    let producer = Client::new(broker);

    let key: asyncapi_runtime::formats::Uuid =
        "9f2c0a56-6f0e-4a3e-9d55-1c1b2c3d4e5f".parse().unwrap();
    let trace = std::collections::BTreeMap::from([("traceparent".to_owned(), "00-abc".to_owned())]);
    let placed =
        app::PublishOrderEventMessage::OrderPlaced(app::PublishOrderEventMessageOrderPlaced {
            kind: Default::default(),
            order: "o-1".into(),
            total: 12.5,
        });
    let cancelled = app::PublishOrderEventMessage::OrderCancelled(
        app::PublishOrderEventMessageOrderCancelled {
            kind: Default::default(),
            order: "o-1".into(),
            reason: Some("changed my mind".into()),
        },
    );
    producer
        .publish_order_event(&region("eu-west"), &key, &trace, &placed)
        .await
        .unwrap();
    producer
        .publish_order_event(&region("us"), &key, &trace, &cancelled)
        .await
        .unwrap();

    let first = within("the first event", events.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.address, "orders.eu-west.events");
    assert_eq!(first.parameters.region, "eu-west");
    assert_eq!(
        first.key.as_ref().map(ToString::to_string),
        Some(key.to_string())
    );
    assert_eq!(
        first.headers.get("traceparent").map(String::as_str),
        Some("00-abc")
    );
    match first.payload {
        mirror::PublishOrderEventMessage::OrderPlaced(order) => {
            assert_eq!((order.order.as_str(), order.total), ("o-1", 12.5));
        }
        other => panic!("expected the placed order, got {other:?}"),
    }
    let second = within("the second event", events.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.parameters.region, "us");
    match second.payload {
        mirror::PublishOrderEventMessage::OrderCancelled(order) => {
            assert_eq!(order.reason.as_deref(), Some("changed my mind"));
        }
        other => panic!("expected the cancelled order, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_variant_is_an_error_item_and_the_stream_goes_on() {
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let consumer = Client::new(broker.clone());
    let mut events = consumer.subscribe_publish_order_event().await.unwrap();
    broker
        .deliver(
            "orders.eu.events",
            r#"{"kind":"shipped","order":"o"}"#.into(),
        )
        .await;
    broker
        .deliver(
            "orders.eu.events",
            r#"{"kind":"cancelled","order":"o"}"#.into(),
        )
        .await;
    let error = within("the error item", events.next())
        .await
        .unwrap()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains(r#"`kind` is "shipped"; expected one of `placed`, `cancelled`"#),
        "{error}"
    );
    let next = within("the valid event", events.next())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        next.payload,
        mirror::PublishOrderEventMessage::OrderCancelled(_)
    ));
    // No key on the wire: the key is `None`, not an error.
    assert!(next.key.is_none());
}

#[tokio::test]
async fn kafka_topic_rules_apply_to_parameters() {
    use app::Publisher as _;
    let client = Client::new(MemoryBroker::new());
    let key = "9f2c0a56-6f0e-4a3e-9d55-1c1b2c3d4e5f".parse().unwrap();
    let cancelled = app::PublishOrderEventMessage::OrderCancelled(
        app::PublishOrderEventMessageOrderCancelled {
            kind: Default::default(),
            order: "o".into(),
            reason: None,
        },
    );
    // The spec's server speaks Kafka: only `[a-zA-Z0-9._-]` may go into a topic.
    for bad in ["eu west", "eu/west", "eu+", "é", "a\0b"] {
        let error = client
            .publish_order_event(&region(bad), &key, &Default::default(), &cancelled)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Address(_)),
            "{bad:?} was accepted: {error}"
        );
    }
    assert_eq!(
        region("eu-1.b_c").address().unwrap(),
        "orders.eu-1.b_c.events"
    );
}

/// Answers price and stock requests.
struct Warehouse;

impl mirror::Handler for Warehouse {
    async fn publish_order_event(
        &self,
        _: Received<
            mirror::OrderEventsParameters,
            mirror::PublishOrderEventMessage,
            std::collections::BTreeMap<String, String>,
            Option<asyncapi_runtime::formats::Uuid>,
        >,
    ) -> HandlerResult {
        Ok(())
    }

    async fn ask_price(
        &self,
        request: Received<mirror::PriceRequestsParameters, mirror::PriceQueryPayload>,
    ) -> HandlerResult<mirror::PriceQuotePayload> {
        // The correlation id lives in the payload: the reply carries it back the same way.
        Ok(mirror::PriceQuotePayload {
            request_id: request.payload.request_id,
            cents: request.payload.sku.len() as i64 * 100,
        })
    }

    async fn ask_stock(
        &self,
        request: Received<
            mirror::StockRequestsParameters,
            mirror::StockQueryPayload,
            mirror::StockQueryHeaders,
        >,
    ) -> HandlerResult<mirror::StockLevelPayload> {
        if request.payload.sku == "broken" {
            // Asking again will not help: rejected, so no reply goes out.
            return Err(HandlerError::reject("no such shelf"));
        }
        Ok(mirror::StockLevelPayload {
            sku: request.payload.sku,
            count: 7,
        })
    }
}

async fn with_warehouse<F: std::future::Future<Output = ()>>(test: impl FnOnce(MemoryBroker) -> F) {
    let broker = MemoryBroker::new();
    let subscriptions = mirror::Subscriptions::new(&Client::new(broker.clone()))
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        subscriptions
            .serve(&Warehouse, async {
                let _ = stopped.await;
            })
            .await
    });
    test(broker).await;
    stop.send(()).unwrap();
    within("serve to stop", server)
        .await
        .unwrap()
        .expect("serve stops because it was asked to");
}

#[tokio::test]
async fn a_request_gets_its_reply_on_the_fixed_reply_channel() {
    use app::Publisher as _;
    with_warehouse(|broker| async move {
        let client = Client::new(broker);
        let query = |id: &str, sku: &str| app::PriceQueryPayload {
            request_id: id.into(),
            sku: sku.into(),
        };
        // Two requests in flight on one reply channel: each gets its own reply.
        let (a, b) = futures::join!(
            client.ask_price(&query("r-1", "abc")).send(),
            client.ask_price(&query("r-2", "abcdef")).send(),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(
            (a.payload.request_id.as_str(), a.payload.cents),
            ("r-1", 300)
        );
        assert_eq!(
            (b.payload.request_id.as_str(), b.payload.cents),
            ("r-2", 600)
        );
        assert_eq!(a.correlation_id.as_deref(), Some("r-1"));
        assert_eq!(a.address, "prices.replies");
    })
    .await;
}

#[tokio::test]
async fn a_request_with_a_dynamic_reply_address_gets_its_reply_there() {
    use app::Publisher as _;
    with_warehouse(|broker| async move {
        let mut everything = broker.subscribe_filter("#");
        let client = Client::new(broker);
        let reply = client
            .ask_stock(
                &app::StockQueryHeaders {
                    correlation_id: None,
                    reply_to: None,
                },
                &app::StockQueryPayload { sku: "s-9".into() },
            )
            .await
            .unwrap();
        assert_eq!(
            (reply.payload.sku.as_str(), reply.payload.count),
            ("s-9", 7)
        );
        // The request named a fresh reply address in its `replyTo` header and a generated
        // correlation id in `correlationId`; the reply went there, carrying that id.
        let request = within("the request", everything.next())
            .await
            .unwrap()
            .unwrap();
        let reply_to = request.headers.get("replyTo").unwrap().to_owned();
        let id = request.headers.get("correlationId").unwrap().to_owned();
        assert_eq!(reply.address, reply_to);
        assert_eq!(reply.correlation_id.as_deref(), Some(id.as_str()));
        let answered = within("the reply", everything.next())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(answered.address, reply_to);
        assert_eq!(answered.headers.get("correlationId"), Some(id.as_str()));
    })
    .await;
}

#[tokio::test]
async fn a_request_nobody_answers_times_out() {
    use app::Publisher as _;
    with_warehouse(|broker| async move {
        let client = Client::new(broker.clone());
        // The handler fails for this one: no reply is sent.
        let error = client
            .ask_stock(
                &app::StockQueryHeaders {
                    correlation_id: None,
                    reply_to: None,
                },
                &app::StockQueryPayload {
                    sku: "broken".into(),
                },
            )
            .timeout(Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Timeout {
                    operation: "askStock",
                    ..
                }
            ),
            "{error}"
        );
    })
    .await;
    // And with no responder at all.
    let client = Client::new(MemoryBroker::new());
    let error = client
        .ask_price(&app::PriceQueryPayload {
            request_id: "r".into(),
            sku: "x".into(),
        })
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error}");
}

#[test]
fn servers_are_typed_constants_without_credentials() {
    let local = app::servers::LOCAL;
    assert_eq!(local.protocol, "kafka");
    assert_eq!(local.default_url().unwrap(), "localhost:9092");
    assert_eq!(
        local.url_with(&[("host", "broker")]).unwrap(),
        "broker:9092"
    );
    assert!(local.url_with(&[("host", "elsewhere")]).is_err());
    assert_eq!(local.security.len(), 1);
    assert_eq!(
        (local.security[0].name, local.security[0].kind),
        ("saslPlain", "plain")
    );
    assert_eq!(app::servers::ALL, &[local]);
}
