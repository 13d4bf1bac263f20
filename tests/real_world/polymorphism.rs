//! Java-style polymorphism (`specs/real-world/polymorphism.yaml`, 3.0 with the string
//! discriminator; `polymorphism-openapi.yaml`, 2.x OpenAPI payloads with `{propertyName,
//! mapping}`): the base is an enum of its subtypes, each a struct with the base's properties and
//! its own, and the discriminator on the wire is the subtype's tag.

use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_tests::within;
use futures::StreamExt;

use crate::wire;

mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/polymorphism.yaml");
}

mod mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/polymorphism.yaml", role = "mirror");
}

mod events {
    asyncapi_runtime::asyncapi!("specs/real-world/polymorphism-openapi.yaml");
}

mod events_mirror {
    asyncapi_runtime::asyncapi!(
        "specs/real-world/polymorphism-openapi.yaml",
        role = "mirror"
    );
}

fn cat(name: &str) -> app::Cat {
    app::Cat {
        pet_type: Default::default(),
        name: name.to_owned(),
        hunting_skill: Some("mice".to_owned()),
    }
}

fn dog(name: &str, friend: Option<app::Pet>) -> app::Dog {
    app::Dog {
        pet_type: Default::default(),
        name: name.to_owned(),
        pack_size: 3,
        friend: friend.map(Box::new),
    }
}

#[tokio::test]
async fn each_subtype_goes_out_tagged_and_comes_back_as_its_variant() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let mut raw = broker.subscribe_filter("#");
    let consumer = Client::new(broker.clone());
    let mut pets = consumer.subscribe_send_pet().await.unwrap();
    let producer = Client::new(broker);

    producer.send_pet(&app::Pet::Cat(cat("Tom"))).await.unwrap();
    let sent = dog("Rex", Some(app::Pet::Cat(cat("Tom"))));
    producer
        .send_pet(&app::Pet::Dog(Box::new(sent)))
        .await
        .unwrap();

    assert_eq!(
        wire(&mut raw).await,
        serde_json::json!({"petType": "Cat", "name": "Tom", "huntingSkill": "mice"})
    );
    let json = wire(&mut raw).await;
    assert_eq!(json["petType"], "Dog");
    assert_eq!(json["packSize"], 3);
    assert_eq!(json["friend"]["petType"], "Cat");

    let first = within("the cat", pets.next()).await.unwrap().unwrap();
    match first.payload {
        mirror::Pet::Cat(cat) => {
            assert_eq!(cat.name, "Tom");
            assert_eq!(cat.pet_type.as_str(), "Cat");
        }
        other => panic!("expected the cat, got {other:?}"),
    }
    let second = within("the dog", pets.next()).await.unwrap().unwrap();
    match second.payload {
        mirror::Pet::Dog(dog) => {
            assert_eq!((dog.name.as_str(), dog.pack_size), ("Rex", 3));
            assert!(matches!(dog.friend.as_deref(), Some(mirror::Pet::Cat(c)) if c.name == "Tom"));
        }
        other => panic!("expected the dog, got {other:?}"),
    }
}

#[tokio::test]
async fn the_base_is_usable_in_properties_and_arrays() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let mut raw = broker.subscribe_filter("#");
    let consumer = Client::new(broker.clone());
    let mut shelters = consumer.subscribe_send_shelter().await.unwrap();
    let producer = Client::new(broker);

    let shelter = app::Shelter {
        name: "North".to_owned(),
        featured: Some(app::Pet::Dog(Box::new(dog("Rex", None)))),
        residents: vec![
            app::Pet::Cat(cat("Tom")),
            app::Pet::Dog(Box::new(dog("Fido", None))),
        ],
    };
    producer.send_shelter(&shelter).await.unwrap();
    let json = wire(&mut raw).await;
    assert_eq!(json["featured"]["petType"], "Dog");
    assert_eq!(json["residents"][0]["petType"], "Cat");
    assert_eq!(json["residents"][1]["petType"], "Dog");

    let received = within("the shelter", shelters.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert!(matches!(received.featured, Some(mirror::Pet::Dog(_))));
    assert!(matches!(
        received.residents.as_slice(),
        [mirror::Pet::Cat(_), mirror::Pet::Dog(_)]
    ));
}

#[tokio::test]
async fn a_subtype_used_directly_is_its_own_struct_and_checks_its_tag() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let mut raw = broker.subscribe_filter("#");
    let consumer = Client::new(broker.clone());
    let mut cats = consumer.subscribe_send_cat().await.unwrap();
    let producer = Client::new(broker.clone());

    producer.send_cat(&cat("Tom")).await.unwrap();
    assert_eq!(wire(&mut raw).await["petType"], "Cat");
    let received = within("the cat", cats.next()).await.unwrap().unwrap();
    assert_eq!(received.payload.name, "Tom");

    // A dog on the cats channel: the discriminator says it is not a cat.
    broker
        .deliver(
            "cats",
            r#"{"petType":"Dog","name":"Rex","packSize":2}"#.into(),
        )
        .await;
    let error = within("the refusal", cats.next())
        .await
        .unwrap()
        .unwrap_err();
    assert!(error.to_string().contains("Dog"), "{error}");
}

#[tokio::test]
async fn tags_come_from_const_single_enum_or_the_schema_name() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let mut raw = broker.subscribe_filter("#");
    let consumer = Client::new(broker.clone());
    let mut vehicles = consumer.subscribe_send_vehicle().await.unwrap();
    let producer = Client::new(broker.clone());

    let sent = [
        app::Vehicle::Car(app::Car {
            kind: Default::default(),
            wheels: 4,
            seats: Some(5),
        }),
        app::Vehicle::Truck(app::Truck {
            kind: Default::default(),
            wheels: 6,
            payload_tons: Some(7.5),
        }),
        app::Vehicle::Bike(app::Bike {
            kind: Default::default(),
            wheels: 2,
            electric: Some(true),
        }),
    ];
    for vehicle in &sent {
        producer.send_vehicle(vehicle).await.unwrap();
    }
    for tag in ["car", "truck", "Bike"] {
        assert_eq!(wire(&mut raw).await["kind"], tag);
    }
    let mut received = Vec::new();
    for _ in 0..3 {
        received.push(
            within("a vehicle", vehicles.next())
                .await
                .unwrap()
                .unwrap()
                .payload,
        );
    }
    assert!(matches!(
        received.as_slice(),
        [
            mirror::Vehicle::Car(mirror::Car { seats: Some(5), .. }),
            mirror::Vehicle::Truck(_),
            mirror::Vehicle::Bike(mirror::Bike {
                electric: Some(true),
                ..
            })
        ]
    ));

    broker
        .deliver("vehicles", r#"{"kind":"boat","wheels":0}"#.into())
        .await;
    let error = within("the refusal", vehicles.next())
        .await
        .unwrap()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains(r#"`kind` is "boat"; expected one of `car`, `truck`, `Bike`"#),
        "{error}"
    );
}

#[tokio::test]
async fn openapi_discriminator_mapping_keys_are_the_tags() {
    use events::Publisher as _;
    use events_mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let mut raw = broker.subscribe_filter("#");
    let consumer = Client::new(broker.clone());
    let mut audits = consumer.subscribe_send_audit().await.unwrap();
    let mut events_stream = consumer.subscribe_send_event().await.unwrap();
    let producer = Client::new(broker);

    let created = events::Event::AccountCreated(events::AccountCreated {
        r#type: Default::default(),
        account: "a-1".to_owned(),
        owner: "ann".to_owned(),
    });
    let closed = events::Event::AccountClosed(events::AccountClosed {
        r#type: Default::default(),
        account: "a-1".to_owned(),
        reason: Some(None),
    });
    producer.send_event(&created).await.unwrap();
    assert_eq!(
        wire(&mut raw).await,
        serde_json::json!({"type": "created", "account": "a-1", "owner": "ann"})
    );
    let audit = events::Audit {
        last: Some(closed.clone()),
        events: vec![created, closed],
    };
    producer.send_audit(&audit).await.unwrap();
    let json = wire(&mut raw).await;
    assert_eq!(json["last"]["type"], "closed");
    assert_eq!(json["events"][0]["type"], "created");
    assert_eq!(json["events"][1]["reason"], serde_json::Value::Null);

    let event = within("the event", events_stream.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert!(
        matches!(event, events_mirror::Event::AccountCreated(ref e) if e.owner == "ann"),
        "{event:?}"
    );
    let received = within("the audit", audits.next())
        .await
        .unwrap()
        .unwrap()
        .payload;
    assert!(matches!(
        received.events.as_slice(),
        [
            events_mirror::Event::AccountCreated(_),
            events_mirror::Event::AccountClosed(_)
        ]
    ));
}
