//! A vendor's spec whose examples contradict their schemas (`specs/real-world/vendor-examples.yaml`):
//! it generates (here with `examples = "allow"`, as this crate denies warnings; the warnings
//! themselves are checked by `tests/ui/vendor_examples_warn.rs`), the generated API works over
//! the in-memory broker in both roles, and the types enforce the schemas, not the examples.

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{Client, HandlerResult, Received};
use asyncapi_tests::within;
use futures::StreamExt;

/// The vendor's service: publishes quotes, takes orders.
mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/vendor-examples.yaml", examples = "allow");
}

/// Its user: takes quotes, places orders.
mod mirror {
    asyncapi_runtime::asyncapi!(
        "specs/real-world/vendor-examples.yaml",
        role = "mirror",
        examples = "allow"
    );
}

#[tokio::test]
async fn quotes_flow_from_the_application_to_the_mirror() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let user = Client::new(broker.clone());
    let mut quotes = user.subscribe_quote_updated().await.unwrap();
    let vendor = Client::new(broker);
    let mut quote = app::Quote::new("ACME".into(), 101.25, 101.5).unwrap();
    quote.venue = Some(app::QuoteVenue::Xnas);
    vendor
        .quote_updated(
            &app::QuoteUpdatedParameters {
                symbol: "ACME".into(),
            },
            &quote,
        )
        .await
        .unwrap();
    let received = within("the quote", quotes.next()).await.unwrap().unwrap();
    assert_eq!(received.address, "quotes/ACME");
    assert_eq!(received.parameters.symbol, "ACME");
    assert_eq!(
        (received.payload.bid, received.payload.ask),
        (101.25, 101.5)
    );
    assert_eq!(received.payload.venue, Some(mirror::QuoteVenue::Xnas));
}

/// Hands every order it takes to the test.
struct Desk(tokio::sync::mpsc::UnboundedSender<app::Order>);

impl app::Handler for Desk {
    async fn place_order(
        &self,
        order: Received<app::PlaceOrderParameters, app::Order>,
    ) -> HandlerResult {
        self.0.send(order.payload)?;
        Ok(())
    }
}

#[tokio::test]
async fn orders_flow_from_the_mirror_to_the_application_and_the_wrong_examples_do_not() {
    use mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let subscriptions = app::Subscriptions::new(&Client::new(broker.clone()))
        .await
        .unwrap();
    let (taken, mut orders) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        subscriptions
            .serve(&Desk(taken), async {
                let _ = stopped.await;
            })
            .await
    });

    // The spec's wrong order examples, as a client that believed them would send them: the
    // application never sees them (each is an error item), and the next good order arrives.
    for wrong in [
        r#"{"orderId":"o-1","symbol":"ACME","side":"hold","quantity":10}"#,
        r#"{"orderId":"o-2","symbol":"ACME","side":"buy","quantity":10,"note":"rush"}"#,
    ] {
        broker.deliver("orders", wrong.into()).await;
    }
    let user = Client::new(broker);
    let order = mirror::Order::new("o-4".into(), "ACME".into(), mirror::OrderSide::Buy, 5).unwrap();
    user.place_order(&order).await.unwrap();
    let taken = within("the good order", orders.recv()).await.unwrap();
    assert_eq!(taken.order_id, "o-4");
    assert_eq!(taken.side, app::OrderSide::Buy);
    // `maxFloor`'s default fits its schema and is used; `displayQuantity`'s (0, below its
    // minimum of 1) was dropped, so it has no `_or_default` accessor to hand out a wrong value.
    assert_eq!(taken.max_floor_or_default(), 100);
    assert_eq!(taken.display_quantity, None);

    stop.send(()).unwrap();
    within("serve to stop", server)
        .await
        .unwrap()
        .expect("serve stops because it was asked to");
    assert!(orders.try_recv().is_err(), "a wrong example got through");
}

/// Every example the spec gets wrong is rejected by the generated types (decoding or
/// `validate()`), and the one it gets right is accepted: the types follow the schemas.
#[test]
fn the_types_follow_the_schemas_not_the_examples() {
    use asyncapi_runtime::Validate as _;
    let quote = |json: &str| serde_json::from_str::<app::Quote>(json);
    assert!(quote(r#"{"symbol":"ACME","bid":"101.25","ask":101.5,"venue":"XNAS"}"#).is_err());
    assert!(quote(r#"{"symbol":"ACME","bid":101.25}"#).is_err());
    let good = quote(r#"{"symbol":"ACME","bid":101.25,"ask":101.5,"venue":"XNAS"}"#).unwrap();
    assert!(good.validate().is_ok());

    let order = |json: &str| serde_json::from_str::<app::Order>(json);
    assert!(order(r#"{"orderId":"o-1","symbol":"ACME","side":"hold","quantity":10}"#).is_err());
    assert!(
        order(r#"{"orderId":"o-2","symbol":"ACME","side":"buy","quantity":10,"note":"rush"}"#)
            .is_err()
    );
    // The schema's own example: it decodes, but its quantity is below the minimum.
    let zero = order(r#"{"orderId":"o-3","symbol":"ACME","side":"sell","quantity":0}"#).unwrap();
    let errors = zero.validate().unwrap_err().to_string();
    assert!(errors.contains("quantity"), "{errors}");
    // `limitPrice` is a number, whatever its example says.
    assert!(
        order(r#"{"orderId":"o","symbol":"A","side":"buy","quantity":1,"limitPrice":"market"}"#)
            .is_err()
    );
}

/// The server variable keeps its `enum`; the example outside it (`ap`) is not a value.
#[test]
fn the_server_variable_keeps_its_enum() {
    let server = app::servers::PRODUCTION;
    assert_eq!(server.default_url().unwrap(), "eu.stream.acme.example:8883");
    assert!(server.url_with(&[("region", "ap")]).is_err());
    assert_eq!(
        server.url_with(&[("region", "us")]).unwrap(),
        "us.stream.acme.example:8883"
    );
}
