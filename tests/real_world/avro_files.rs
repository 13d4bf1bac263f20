//! Avro payloads through file references (`specs/real-world/avro/`): a whole `.avsc` file, named
//! types picked out of a JSON array of them (`entities.avsc#/1`) that name each other in any
//! order, and a file naming a type of another file by its full name; from 2.x messages under each
//! Avro `schemaFormat` and from 3.0 multi-format schema objects.

use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_tests::within;
use futures::StreamExt;

use crate::wire;

mod v2 {
    asyncapi_runtime::asyncapi!("specs/real-world/avro/v2.yaml");
}

mod v2_mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/avro/v2.yaml", role = "mirror");
}

mod v3 {
    asyncapi_runtime::asyncapi!("specs/real-world/avro/v3.yaml");
}

mod v3_mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/avro/v3.yaml", role = "mirror");
}

fn customer() -> v2::Customer {
    v2::Customer {
        id: 7,
        status: v2::Status::Active,
        address: v2::Address {
            street: "Main St".to_owned(),
            geo: v2::Geo { lat: 1.5, lon: 2.5 },
        },
        previous: None,
        location: Some(Some(v2::Geo { lat: 3.0, lon: 4.0 })),
    }
}

#[tokio::test]
async fn named_types_of_one_file_refer_to_each_other_in_2x() {
    use v2::Publisher as _;
    use v2_mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let mut raw = broker.subscribe_filter("#");
    let consumer = Client::new(broker.clone());
    let mut customers = consumer.subscribe_send_customer().await.unwrap();
    let mut addresses = consumer.subscribe_send_address().await.unwrap();
    let producer = Client::new(broker);

    producer.send_customer(&customer()).await.unwrap();
    assert_eq!(
        wire(&mut raw).await,
        serde_json::json!({
            "id": 7,
            "status": "ACTIVE",
            "address": {"street": "Main St", "geo": {"lat": 1.5, "lon": 2.5}},
            "location": {"lat": 3.0, "lon": 4.0}
        })
    );
    let received = within("the customer", customers.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert_eq!(received.status, v2_mirror::Status::Active);
    assert_eq!(received.address.geo.lon, 2.5);

    // The `+yaml` message's payload is the array's last element: the same `Address` type.
    let address: &v2::Address = &customer().address;
    producer.send_address(address).await.unwrap();
    let received = within("the address", addresses.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert_eq!(received.street, "Main St");
}

#[tokio::test]
async fn a_file_names_a_type_of_another_file_by_full_name_in_2x() {
    use v2::Publisher as _;
    use v2_mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let mut raw = broker.subscribe_filter("#");
    let consumer = Client::new(broker.clone());
    let mut orders = consumer.subscribe_send_order().await.unwrap();
    let producer = Client::new(broker);

    // `Address` inside `com.example.billing` is the billing address, not the customer's.
    let order = v2::Order {
        id: "o-1".to_owned(),
        customer: customer(),
        billing_address: v2::Address2 {
            line: "Billing 1".to_owned(),
        },
        shipping_address: v2::Address2 {
            line: "Dock 2".to_owned(),
        },
        pickup: None,
    };
    producer.send_order(&order).await.unwrap();
    let json = wire(&mut raw).await;
    assert_eq!(json["customer"]["address"]["street"], "Main St");
    assert_eq!(
        json["shippingAddress"],
        serde_json::json!({"line": "Dock 2"})
    );
    let received = within("the order", orders.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert_eq!(received.customer.id, 7);
    assert_eq!(received.billing_address.line, "Billing 1");
}

#[tokio::test]
async fn the_same_files_from_3_0_multi_format_schemas() {
    use v3::Publisher as _;
    use v3_mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let consumer = Client::new(broker.clone());
    let mut orders = consumer.subscribe_send_order().await.unwrap();
    let mut customers = consumer.subscribe_send_customer().await.unwrap();
    let producer = Client::new(broker.clone());

    let customer = v3::Customer {
        id: 1,
        status: v3::Status::Closed,
        address: v3::Address {
            street: "Side St".to_owned(),
            geo: v3::Geo { lat: 0.0, lon: 0.0 },
        },
        previous: Some(None),
        location: None,
    };
    producer.send_customer(&customer).await.unwrap();
    let order = v3::Order {
        id: "o-2".to_owned(),
        customer,
        billing_address: v3::Address2 {
            line: "B".to_owned(),
        },
        shipping_address: v3::Address2 {
            line: "S".to_owned(),
        },
        pickup: Some(Some(v3::Geo { lat: 9.0, lon: 9.0 })),
    };
    producer.send_order(&order).await.unwrap();
    let received = within("the customer", customers.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert_eq!(received.status, v3_mirror::Status::Closed);
    let received = within("the order", orders.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert_eq!(received.pickup.flatten().map(|g| g.lat), Some(9.0));

    // A customer whose enum symbol is not one of the file's is refused.
    broker
        .deliver(
            "customers",
            r#"{"id":1,"status":"GONE","address":{"street":"x","geo":{"lat":0,"lon":0}}}"#.into(),
        )
        .await;
    assert!(
        within("the refusal", customers.next())
            .await
            .unwrap()
            .is_err()
    );
}
