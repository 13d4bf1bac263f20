//! A shop publishes order events to Kafka; two instances of the billing service share them as
//! one consumer group. Both sides come from one spec (`specs/order-events.yaml`): the billing
//! service is the application it describes (group `billing` from the operation's Kafka binding,
//! events keyed by customer), the shop is its mirror.
//!
//! Needs a Kafka-compatible broker (the project's tests use tansu):
//! `cargo run -p asyncapi-examples --features kafka --bin order-events -- --kafka localhost:9092`

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
use asyncapi_runtime::{Client, HandlerResult, Received};
use tokio::sync::mpsc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The billing service: the application the spec describes.
#[asyncapi_runtime::spec("specs/order-events.yaml")]
pub mod billing {}

/// The shop: the other side of the same spec.
#[asyncapi_runtime::spec("specs/order-events.yaml", role = "mirror")]
pub mod shop {}

/// One instance of the billing service; reports what it handled.
struct Biller {
    name: &'static str,
    handled: mpsc::UnboundedSender<(&'static str, String, String)>,
}

impl billing::Handler for Biller {
    async fn process_order_event(
        &self,
        message: Received<
            billing::OrderEventsParameters,
            billing::ProcessOrderEventMessage,
            (),
            Option<String>,
        >,
    ) -> HandlerResult {
        use billing::ProcessOrderEventMessage as Event;
        let (order, kind, what) = match &message.payload {
            Event::OrderPlaced(placed) => (
                placed.order_id.clone(),
                "placed",
                format!("bill {:.2}", placed.total_cents as f64 / 100.0),
            ),
            Event::OrderShipped(shipped) => {
                (shipped.order_id.clone(), "shipped", "close".to_owned())
            }
        };
        println!(
            "{} <- partition {} offset {} key {}: {order}: {what}",
            self.name,
            message.partition.unwrap_or_default(),
            message.offset.unwrap_or_default(),
            message.key.as_deref().unwrap_or("-"),
        );
        let customer = message.key.unwrap_or_default();
        self.handled
            .send((self.name, customer, format!("{order} {kind}")))?;
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match args.as_slice() {
        [flag, address] if flag == "--kafka" => KafkaConfig::new(address.as_str()),
        [] => KafkaConfig::from_server(&billing::servers::LOCAL)?,
        _ => return Err("usage: order-events [--kafka host:port]".into()),
    };
    let shop_connection = Kafka::connect(config.clone()).await?;
    // Topics are never created behind the user's back: this creates the spec's, with the
    // partitions and configuration its channel binding gives (nothing happens if they exist).
    shop_connection.create_topics(billing::topics::ALL).await?;

    // Two instances of the billing service, each with its own connection, as two processes
    // would have; they join the group `billing` that the spec names.
    let (handled_tx, mut handled) = mpsc::unbounded_channel();
    let (stop, _) = tokio::sync::broadcast::channel::<()>(1);
    let mut workers = Vec::new();
    let mut billing_clients = Vec::new();
    for name in ["billing-1", "billing-2"] {
        let client = Client::new(Kafka::connect(config.clone()).await?);
        billing_clients.push(client.clone());
        let subscriptions = billing::Subscriptions::new(&client).await?;
        let biller = Biller {
            name,
            handled: handled_tx.clone(),
        };
        let mut stop = stop.subscribe();
        workers.push(tokio::spawn(async move {
            subscriptions
                .serve(&biller, async move {
                    let _ = stop.recv().await;
                })
                .await
        }));
    }

    // The shop: each customer's events go out keyed by the customer, so they stay in order.
    let run = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let shop = Client::new(shop_connection);
    let customers = ["ada", "grace", "linus"];
    let mut sent = 0;
    for (i, customer) in customers.iter().enumerate() {
        use shop::Publisher;
        let order = format!("order-{run}-{i}");
        let placed = shop::ProcessOrderEventMessage::OrderPlaced(
            shop::ProcessOrderEventMessageOrderPlaced {
                r#type: shop::ProcessOrderEventMessageOrderPlacedType::Placed,
                order_id: order.clone(),
                customer_id: customer.to_string(),
                total_cents: 1999 + 1000 * i as i64,
            },
        );
        let shipped = shop::ProcessOrderEventMessage::OrderShipped(
            shop::ProcessOrderEventMessageOrderShipped {
                r#type: shop::ProcessOrderEventMessageOrderShippedType::Shipped,
                order_id: order.clone(),
                customer_id: customer.to_string(),
                carrier: Some("bike".into()),
            },
        );
        for event in [&placed, &shipped] {
            let delivery = shop
                .process_order_event(&customer.to_string(), event)
                .await?;
            println!(
                "shop -> partition {} offset {}: {order}",
                delivery.partition.unwrap_or_default(),
                delivery.offset.unwrap_or_default()
            );
            sent += 1;
        }
    }

    // Every event of this run handled once, each customer's in order (placed, then shipped).
    let mut per_customer: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut per_worker: BTreeMap<&str, usize> = BTreeMap::new();
    let mut count = 0;
    while count < sent {
        let (worker, customer, order) =
            tokio::time::timeout(Duration::from_secs(30), handled.recv())
                .await
                .map_err(|_| "the billing service did not handle every event within 30 s")?
                .ok_or("the billing service stopped")?;
        if !order.contains(&format!("-{run}-")) {
            continue; // left over from an earlier run on the same broker
        }
        count += 1;
        *per_worker.entry(worker).or_default() += 1;
        per_customer.entry(customer).or_default().push(order);
    }
    let _ = stop.send(());
    for worker in workers {
        worker.await??;
    }
    // Closing commits what each instance acknowledged, synchronously, and leaves the group: the
    // next run starts right after it.
    for client in &billing_clients {
        client.close().await?;
    }
    shop.close().await?;
    for (customer, orders) in &per_customer {
        let kinds: Vec<&str> = orders.iter().filter_map(|o| o.split(' ').nth(1)).collect();
        if kinds != ["placed", "shipped"] {
            return Err(format!("{customer}: events out of order: {orders:?}").into());
        }
    }
    println!("done: {sent} events handled by {per_worker:?}");
    Ok(())
}
