//! Schema formats other than JSON Schema reach the same model: Avro records (from an `.avsc`
//! file), OpenAPI 3.0 `nullable`; a payload in a format we cannot read is any JSON value, its
//! type documented with the format.

use std::path::Path;

use asyncapi_codegen::check_file;
use asyncapi_codegen::loader::LoadOptions;
use asyncapi_codegen::model::{Api, Schema, SchemaKind};

/// The definition a schema names, or the schema itself.
fn resolve<'a>(api: &'a Api, schema: &'a Schema) -> &'a Schema {
    match &schema.kind {
        SchemaKind::Named(key) => {
            &api.schemas
                .iter()
                .find(|s| &s.key == key)
                .expect(key)
                .schema
        }
        _ => schema,
    }
}

fn api() -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/api.yaml");
    check_file(&path, Path::new("api.yaml"), &LoadOptions::default()).expect("valid")
}

fn payload<'a>(api: &'a Api, op: &str) -> &'a Schema {
    resolve(
        api,
        &api.operations
            .iter()
            .find(|o| o.id == op)
            .expect(op)
            .messages[0]
            .payload,
    )
}

fn property<'a>(schema: &'a Schema, name: &str) -> &'a Schema {
    let SchemaKind::Object(object) = &schema.kind else {
        panic!("not an object: {schema:?}")
    };
    &object
        .properties
        .iter()
        .find(|p| p.name == name)
        .expect(name)
        .schema
}

#[test]
fn avro_records_become_objects() {
    let api = api();
    let user = payload(&api, "publishAvro");
    assert_eq!(user.title.as_deref(), Some("User"));
    assert_eq!(user.description.as_deref(), Some("A user."));
    assert!(
        matches!(&property(user, "id").kind, SchemaKind::Integer { format: Some(f) } if f == "int64")
    );
    let email = property(user, "email");
    assert!(email.nullable && matches!(email.kind, SchemaKind::String { .. }));
    assert_eq!(email.description.as_deref(), Some("Where to write."));
    assert!(
        matches!(&resolve(&api, property(user, "role")).kind, SchemaKind::String { variants: Some(v), .. } if v == &["ADMIN", "USER"])
    );
    assert!(matches!(&property(user, "tags").kind, SchemaKind::Array(_)));
    assert!(
        matches!(&property(user, "scores").kind, SchemaKind::Map(v) if matches!(v.kind, SchemaKind::Number { .. }))
    );
    // The record refers to itself: a reference to its one named definition.
    let manager = property(user, "manager");
    assert!(
        manager.nullable
            && matches!(&manager.kind, SchemaKind::Named(key) if key == "avro:com.example.User"),
        "{manager:?}"
    );
    let SchemaKind::Object(object) = &user.kind else {
        unreachable!()
    };
    let required: Vec<&str> = object
        .properties
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        required,
        ["id", "email", "role", "tags", "scores", "manager"]
    );
}

#[test]
fn openapi_nullable_is_kept() {
    let api = api();
    let schema = payload(&api, "publishOpenApi");
    assert!(!property(schema, "id").nullable);
    assert!(property(schema, "nickname").nullable);
}

#[test]
fn unreadable_formats_are_any_json_value() {
    let api = api();
    // A named schema (the type says what it stands for) that admits anything.
    let raml = payload(&api, "publishRaml");
    assert!(matches!(raml.kind, SchemaKind::Any), "{raml:?}");
    assert!(
        raml.description
            .as_deref()
            .is_some_and(|d| d.contains("`application/raml+yaml;version=1.0`")),
        "{raml:?}"
    );
    assert!(api.unsupported.is_empty(), "{:?}", api.unsupported);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/api.yaml");
    let generated =
        asyncapi_codegen::generate_file(&path, Path::new("api.yaml"), &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
    let code = generated.tokens.to_string();
    assert!(
        code.contains(
            "pub type RamlPayload = :: asyncapi_runtime :: __private :: serde_json :: Value"
        ),
        "{code}"
    );
}

fn load(name: &str) -> Result<Api, asyncapi_codegen::Diagnostics> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name);
    check_file(&path, Path::new(name), &LoadOptions::default())
}

/// The key of the named schema `schema` refers to.
fn named(schema: &Schema) -> &str {
    match &schema.kind {
        SchemaKind::Named(key) => key,
        other => panic!("not a named schema: {other:?}"),
    }
}

#[test]
fn avro_names_resolve_across_the_file_and_the_documents_other_avro_files() {
    // 2.x, `payload: {$ref: "entities.avsc#/1"}`: passes the structure check (the Avro is not
    // read as JSON Schema) and the record names types written before and after it.
    let api = load("v2-files.yaml").unwrap_or_else(|e| panic!("{e}"));
    let customer = payload(&api, "receiveCustomer");
    assert_eq!(customer.title.as_deref(), Some("Customer"));
    assert_eq!(
        named(property(customer, "home")),
        "avro:com.example.Address"
    );
    assert_eq!(
        named(property(customer, "work")),
        "avro:com.example.Address"
    );
    assert_eq!(named(property(customer, "tier")), "avro:com.example.Tier");
    // order.avsc names `com.example.Customer` of entities.avsc; its own `Address` (no namespace
    // of its own) is in the enclosing `com.example.billing`, and so is the short name after it.
    let order = payload(&api, "receiveOrder");
    assert_eq!(
        named(property(order, "customer")),
        "avro:com.example.Customer"
    );
    assert_eq!(
        named(property(order, "invoiceTo")),
        "avro:com.example.billing.Address"
    );
    assert_eq!(
        named(property(order, "shipTo")),
        "avro:com.example.billing.Address"
    );
    // One definition per full name, though the file is reached twice.
    let addresses = api
        .schemas
        .iter()
        .filter(|s| s.key == "avro:com.example.Address")
        .count();
    assert_eq!(addresses, 1);
}

#[test]
fn an_unknown_avro_name_is_a_located_error_naming_the_known_ones() {
    let errors = load("unknown-name.yaml").expect_err("an unknown name");
    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("unknown-name.avsc:2:32")
            && errors[0].contains("unknown Avro type `Customr`")
            && errors[0].contains("(known: com.example.Order)"),
        "{errors:?}"
    );
}
