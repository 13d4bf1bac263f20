//! Generated types at run time: the snapshots of `asyncapi-codegen/tests/snapshots` (compiled in
//! this crate's library) deserialize and serialize exactly as their schemas say, and their
//! `validate()` and checked constructors enforce the schemas' constraints.

use asyncapi_runtime::Validate;
use asyncapi_tests::snapshots::{
    avro, collections, messages, naming, objects, scalars, unions, unnamed,
};
use serde_json::{Value, json};

/// `naming.yaml`'s `x-rust-type: crate::Money` names this crate's root.
pub use asyncapi_tests::Money;

/// The macro's `type_override` option does what `x-rust-type` does, from the user's side.
mod overridden {
    asyncapi_runtime::asyncapi!(
        "../asyncapi-codegen/tests/fixtures/types/naming.yaml",
        type_override = "Box = crate::Money"
    );
}

/// Deserializes `value` into `T` and serializes it back, which must give `value` again.
fn round_trip<T>(value: Value) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let typed: T = serde_json::from_value(value.clone()).expect("deserializes");
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
    typed
}

fn rejects<T: serde::de::DeserializeOwned>(value: Value) -> String {
    match serde_json::from_value::<T>(value) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

/// The JSON pointers of every validation error.
fn invalid_at<T: Validate>(value: &T) -> Vec<String> {
    value
        .validate()
        .expect_err("invalid")
        .iter()
        .map(|e| e.path.clone())
        .collect()
}

#[test]
fn required_optional_and_nullable_fields_keep_the_wire_format() {
    let order: objects::Order = round_trip(json!({
        "id": "9f6c1b2e-8d3a-4c1e-9b7a-2f1e0c4d5a6b",
        "placedAt": "2024-05-01T10:00:00.000Z",
        "note": null,
        "coupon": null,
        "lines": [{"sku": "ABC-1", "quantity": 2}]
    }));
    assert_eq!(order.note, None);
    assert_eq!(
        order.coupon,
        Some(None),
        "an explicit null is kept apart from absence"
    );
    assert_eq!(order.priority_or_default(), 3);
    assert!(!order.express_or_default());
    assert_eq!(order.channel_or_default(), "web");
    assert_eq!(order.placed_at.as_str(), "2024-05-01T10:00:00.000Z");
    assert_eq!(order.placed_at.value().timestamp(), 1_714_557_600);
    assert!(order.validate().is_ok());

    let without_coupon: objects::Order = round_trip(json!({
        "id": "9f6c1b2e-8d3a-4c1e-9b7a-2f1e0c4d5a6b",
        "placedAt": "2024-05-01T10:00:00Z",
        "note": "leave at the door",
        "lines": []
    }));
    assert_eq!(without_coupon.coupon, None);
    // `note` is required even though it may be null.
    let missing = rejects::<objects::Order>(json!({
        "id": "9f6c1b2e-8d3a-4c1e-9b7a-2f1e0c4d5a6b",
        "placedAt": "2024-05-01T10:00:00Z",
        "lines": []
    }));
    assert!(missing.contains("note"), "{missing}");
    // A value that is not a date-time is refused when the format types are on.
    let bad = rejects::<objects::Order>(json!({
        "id": "9f6c1b2e-8d3a-4c1e-9b7a-2f1e0c4d5a6b",
        "placedAt": "yesterday",
        "note": null,
        "lines": []
    }));
    assert!(bad.contains("date-time"), "{bad}");
}

#[test]
fn validate_reports_every_broken_constraint_by_pointer() {
    let mut order: objects::Order = serde_json::from_value(json!({
        "id": "9f6c1b2e-8d3a-4c1e-9b7a-2f1e0c4d5a6b",
        "placedAt": "2024-05-01T10:00:00Z",
        "note": null,
        "priority": 9,
        "lines": [{"sku": "ABC-1", "quantity": 1}, {"sku": "nope", "quantity": 0}],
        "shipping": {"city": ""}
    }))
    .expect("deserializing does not validate");
    assert_eq!(
        invalid_at(&order),
        [
            "/priority",
            "/lines/1/sku",
            "/lines/1/quantity",
            "/shipping/city"
        ]
    );
    order.lines.clear();
    order.priority = None;
    order.shipping = None;
    assert_eq!(invalid_at(&order), ["/lines"], "minItems 1");

    // Checked constructors.
    assert!(objects::OrderLinesItem::new("ABC-7".into(), 1).is_ok());
    let err = objects::OrderLinesItem::new("ABC-7".into(), 0).unwrap_err();
    assert!(err.to_string().contains("/quantity"), "{err}");
    assert!(scalars::Percentage::new(100).is_ok());
    assert_eq!(invalid_at(&scalars::Percentage(101)), [""]);
    let err = scalars::Code::new("AB".into()).unwrap_err();
    assert_eq!(err.len(), 2, "too short and not lowercase: {err}");
}

#[test]
fn additional_and_pattern_properties() {
    let labels: objects::Labels = round_trip(json!({"env": "prod", "team": "core"}));
    assert_eq!(labels["env"], "prod");
    let open: objects::Open = round_trip(json!({"kind": "x", "extra": [1, 2]}));
    assert_eq!(open.additional_properties["extra"], json!([1, 2]));
    let closed = rejects::<objects::Closed>(json!({"kind": "x", "extra": 1}));
    assert!(closed.contains("unknown field"), "{closed}");
    let empty: objects::Closed = serde_json::from_value(json!({})).unwrap();
    assert_eq!(invalid_at(&empty), [""], "minProperties 1");
    let metrics: objects::Metrics = round_trip(json!({"host": "a", "m_cpu": 0.5}));
    assert_eq!(metrics.additional_properties["m_cpu"], 0.5);
    assert!(metrics.validate().is_ok());
    let wrong: objects::Metrics = serde_json::from_value(json!({"cpu": 0.5})).unwrap();
    assert_eq!(invalid_at(&wrong), ["/cpu"], "keys must match ^m_");
    let _: objects::Blob = round_trip(json!({"anything": {"goes": true}}));
    let _: objects::Anything = round_trip(json!([1, "two", null]));
}

#[test]
fn scalars_enums_and_constants() {
    let sample: scalars::Sample = round_trip(json!({
        "small": 1, "big": 9_007_199_254_740_993_i64, "plain": -3, "single": 1.5, "double": 2.25,
        "at": "2024-01-02T03:04:05+01:00", "day": "2024-01-02", "clock": "03:04:05Z",
        "id": "9F6C1B2E-8D3A-4C1E-9B7A-2F1E0C4D5A6B", "link": "https://example.com",
        "mail": "a@example.com", "v4": "10.0.0.1", "v6": "::1", "data": "aGVsbG8=",
        "raw": "\u{1}", "kind": "sample"
    }));
    assert_eq!(sample.big, 9_007_199_254_740_993);
    assert_eq!(sample.data.as_ref().unwrap().value(), b"hello");
    assert_eq!(sample.v4, Some("10.0.0.1".parse().unwrap()));
    assert_eq!(sample.kind, Some(scalars::SampleKind::Sample));
    assert!(
        rejects::<scalars::Sample>(json!({
            "small": 1, "big": 1, "plain": 1, "single": 1.0, "double": 1.0, "kind": "other"
        }))
        .contains("sample")
    );
    assert!(
        rejects::<scalars::Sample>(json!({
            "small": 3_000_000_000_i64, "big": 1, "plain": 1, "single": 1.0, "double": 1.0
        }))
        .contains("i32")
    );

    assert_eq!(
        round_trip::<scalars::Color>(json!("dark-red")),
        scalars::Color::DarkRed
    );
    assert_eq!(
        round_trip::<scalars::Color>(json!("2nd")),
        scalars::Color::V2nd
    );
    assert_eq!(scalars::Color::DarkRed.as_str(), "dark-red");
    assert_eq!(round_trip::<scalars::Level>(json!(2)), scalars::Level::V2);
    assert!(rejects::<scalars::Level>(json!(4)).contains("expected one of 1, 2, 3"));
    assert_eq!(
        round_trip::<scalars::Mixed>(json!(true)),
        scalars::Mixed::True
    );
    assert_eq!(
        round_trip::<scalars::Mixed>(json!("auto")),
        scalars::Mixed::Auto
    );
    assert_eq!(
        round_trip::<scalars::Answer>(json!(42)),
        scalars::Answer::default()
    );
    assert!(rejects::<scalars::Answer>(json!(41)).contains("42"));
    assert_eq!(round_trip::<scalars::Maybe>(json!(null)), None);
}

#[test]
fn unions_by_discriminator_constant_and_order() {
    let pet: unions::Pet = round_trip(json!({"petType": "Dog", "name": "Rex", "goodBoy": true}));
    assert!(matches!(&pet, unions::Pet::Dog(dog) if dog.good_boy == Some(true)));
    // A Cat-shaped dog is still a dog: the tag decides, not the shape.
    let pet: unions::Pet = round_trip(json!({"petType": "Dog", "name": "Tom"}));
    assert!(matches!(pet, unions::Pet::Dog(_)));
    let unknown = rejects::<unions::Pet>(json!({"petType": "Fish", "name": "Nemo"}));
    assert!(unknown.contains("`Cat`, `Dog`"), "{unknown}");

    let shape: unions::Shape = round_trip(json!({"kind": "square", "side": 2.0}));
    assert!(matches!(shape, unions::Shape::Square(_)));
    let shape: unions::Shape = round_trip(json!({"kind": "circle", "radius": 1.0}));
    assert!(matches!(shape, unions::Shape::Circle(_)));

    assert_eq!(round_trip::<unions::Id>(json!(7)), unions::Id::Integer(7));
    assert_eq!(
        round_trip::<unions::Id>(json!("7")),
        unions::Id::String("7".into())
    );
    assert!(matches!(
        round_trip::<unions::Reading>(json!(1.5)),
        unions::Reading::Number(_)
    ));
    assert!(matches!(
        round_trip::<unions::Reading>(json!({"value": 1.5, "unit": "C"})),
        unions::Reading::Object(_)
    ));
    assert_eq!(
        round_trip::<unions::OptionalId>(json!("x")),
        Some("x".into())
    );

    // allOf: one struct with the fields of every part.
    let audited: unions::AuditedPet = round_trip(json!({
        "at": "2024-01-01T00:00:00Z", "by": "me", "pet": {"petType": "Cat", "name": "Tom"}
    }));
    assert_eq!(audited.by.as_deref(), Some("me"));
    let _: unions::NotEmpty = round_trip(json!("x"));
    let contact: unions::Contact = round_trip(json!({"email": "a@b.c"}));
    assert_eq!(contact.phone, None);
}

#[test]
fn arrays_tuples_maps_and_recursion() {
    let tags: collections::Tags = round_trip(json!(["a", "b"]));
    assert!(tags.validate().is_ok());
    let repeated = collections::Tags(vec!["a".into(), "a".into(), "x".repeat(21)]);
    assert_eq!(
        invalid_at(&repeated),
        ["", "/2"],
        "uniqueItems, then maxLength of item 2"
    );
    let point: collections::Point = round_trip(json!([1.0, 2.5]));
    assert_eq!(point, (1.0, 2.5));
    let short = rejects::<collections::Point>(json!([1.0]));
    assert!(short.contains("length 1"), "{short}");
    let scores: collections::Scores = round_trip(json!({"alice": 3, "bob": -1}));
    assert_eq!(invalid_at(&scores), ["/bob"]);

    let tree: collections::Tree = round_trip(json!({
        "value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]
    }));
    assert_eq!(tree.children.unwrap()[0].value, 2);
    let list: collections::List = round_trip(json!({"head": "a", "tail": {"head": "b"}}));
    assert_eq!(
        list.tail.unwrap().head,
        "b",
        "the by-value cycle goes through a Box"
    );
    let _: collections::Ping = round_trip(json!({"pong": {"ping": {"pong": {}}}}));
    let _: collections::Matrix = round_trip(json!([[1.0], [2.0, 3.0]]));
}

#[test]
fn awkward_names_compile_and_keep_their_wire_names() {
    let uses: naming::Uses = round_trip(json!({
        "option": {"some": "x"}, "box": {}, "result": {"ok": true}, "string": {"value": "v"},
        "vec": {"items": ["i"]}, "2fa": true, "content-type": "t", "fn": "f", "async": "a"
    }));
    assert_eq!(uses.r#fn.as_deref(), Some("f"));
    assert_eq!(uses._2fa, Some(true));
    let this: naming::Self_ = round_trip(json!({"self": "s", "Self": "S", "type": "a"}));
    assert_eq!(this.r#type, Some(naming::Type::A));
    // `x-rust-type` puts the user's own type in place of a generated one.
    let invoice: naming::Invoice = round_trip(json!({"total": {"cents": 250}}));
    assert_eq!(invoice.total, asyncapi_tests::Money { cents: 250 });
    // Two files each with a `User`: two types.
    let _: naming::FirstUser = round_trip(json!({"login": "l"}));
    let _: naming::SecondUser = round_trip(json!({"email": "e"}));
}

#[test]
fn headers_parameters_and_avro() {
    let headers: messages::ReadingHeaders = round_trip(json!({"traceId": "short"}));
    assert_eq!(invalid_at(&headers), ["/traceId"]);
    let parameters = messages::ReadingsParameters {
        sensor_id: "s1".into(),
        unit: messages::ReadingsUnit::Kelvin,
    };
    assert_eq!(parameters.address().unwrap(), "sensors/s1/kelvin/readings");
    let parsed = messages::ReadingsParameters::parse("sensors/s2/celsius/readings").unwrap();
    assert_eq!(parsed.unit, messages::ReadingsUnit::Celsius);

    let user: avro::User = round_trip(json!({
        "id": 1, "email": null, "role": "ADMIN", "tags": [], "scores": {"a": 1.5},
        "manager": {"id": 2, "email": "m@x", "role": "USER", "tags": ["t"], "scores": {}, "manager": null}
    }));
    assert_eq!(user.manager.unwrap().role, avro::Role::User);
    let event: avro::Event = round_trip(json!({
        "at": 5, "id": "9f6c1b2e-8d3a-4c1e-9b7a-2f1e0c4d5a6b", "digest": "x", "value": "s"
    }));
    assert!(matches!(event.value, avro::EventValue::String(_)));
}

#[test]
fn the_macro_option_substitutes_a_type() {
    let uses: overridden::Uses = round_trip(json!({
        "option": {}, "box": {"cents": 7}, "result": {}, "string": {}, "vec": {}
    }));
    assert_eq!(uses.r#box, Money { cents: 7 });
}

#[test]
fn unnamed_recursion_and_unread_formats() {
    // The payload refers back to itself by a pointer into the message: one recursive type.
    let node: unnamed::NodePayload = round_trip(json!({
        "label": "root",
        "parent": {"label": "up"},
        "children": [{"label": "a", "children": []}, {"label": "b"}],
        "chain": {"value": 1, "next": {"value": 2, "next": {"value": 3}}}
    }));
    assert_eq!(node.parent.as_ref().map(|p| p.label.as_str()), Some("up"));
    assert_eq!(node.children.as_ref().map(Vec::len), Some(2));
    let chain = node.chain.as_ref().expect("chain");
    assert_eq!(
        chain
            .next
            .as_ref()
            .and_then(|n| n.next.as_ref())
            .map(|n| n.value),
        Some(3)
    );
    assert!(node.validate().is_ok());
    let error = rejects::<unnamed::NodePayload>(json!({"label": "x", "parent": {}}));
    assert!(error.contains("label"), "{error}");
    // A payload in a format the generator does not read is any JSON value.
    let raml: unnamed::RamlPayload = round_trip(json!({"anything": ["goes", 1, null]}));
    assert!(raml.validate().is_ok());
}
