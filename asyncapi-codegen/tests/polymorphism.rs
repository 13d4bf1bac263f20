//! Java-style polymorphism: a base schema with a `discriminator` and a `oneOf` of subtypes that
//! each `allOf` the base is an enum of the subtypes (no "refers back to itself" error), each
//! subtype an object of the base's properties and its own whose discriminator property holds
//! its tag only: the `const` it gives itself, else its mapping key, else its schema name.

use std::path::Path;

use asyncapi_codegen::check_file;
use asyncapi_codegen::loader::LoadOptions;
use asyncapi_codegen::model::{Api, Schema, SchemaKind};

fn load(name: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/polymorphism")
        .join(name);
    check_file(&path, Path::new(name), &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn schema<'a>(api: &'a Api, key_end: &str) -> &'a Schema {
    &api.schemas
        .iter()
        .find(|s| s.key.ends_with(key_end))
        .unwrap_or_else(|| panic!("{key_end}"))
        .schema
}

/// The property names of an object schema, and the tag its `property` is fixed to.
fn fields(schema: &Schema, property: &str) -> (Vec<String>, Option<String>) {
    let SchemaKind::Object(object) = &schema.kind else {
        panic!("not an object: {schema:?}")
    };
    let tag = object
        .properties
        .iter()
        .find(|p| p.name == property)
        .and_then(|p| {
            assert!(p.required, "{property} is required");
            match &p.schema.kind {
                SchemaKind::Const(serde_json::Value::String(s)) => Some(s.clone()),
                _ => None,
            }
        });
    let names = object.properties.iter().map(|p| p.name.clone()).collect();
    (names, tag)
}

#[test]
fn the_base_is_a_union_of_its_subtypes_in_2x() {
    let api = load("v2.yaml");
    let SchemaKind::OneOf(union) = &schema(&api, "Pet").kind else {
        panic!("{:?}", schema(&api, "Pet"))
    };
    let variants: Vec<&str> = union
        .variants
        .iter()
        .map(|v| match &v.kind {
            SchemaKind::Named(key) => key.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(variants, ["Cat", "Dog"]);
    assert_eq!(
        union.discriminator.as_ref().map(|d| d.property.as_str()),
        Some("petType")
    );
    assert!(api.unsupported.is_empty(), "{:?}", api.unsupported);
    // The schema name is the tag, unless the subtype fixes the property itself.
    assert_eq!(
        fields(schema(&api, "Cat"), "petType"),
        (
            vec!["petType".into(), "name".into(), "huntingSkill".into()],
            Some("Cat".into())
        )
    );
    assert_eq!(
        fields(schema(&api, "Dog"), "petType"),
        (
            vec!["petType".into(), "name".into(), "packSize".into()],
            Some("doggo".into())
        )
    );
}

#[test]
fn openapi_mapping_keys_are_the_tags_and_the_name_otherwise() {
    let api = load("openapi.yaml");
    let SchemaKind::OneOf(union) = &schema(&api, "/Event").kind else {
        panic!()
    };
    let mapping: Vec<(&str, &str)> = union
        .discriminator
        .as_ref()
        .expect("discriminator")
        .mapping
        .iter()
        .map(|(tag, key)| (tag.as_str(), key.rsplit('/').next().unwrap_or(key)))
        .collect();
    assert_eq!(mapping, [("created", "Created"), ("removed", "Removed")]);
    for (subtype, tag) in [
        ("Created", "created"),
        ("Removed", "removed"),
        ("Renamed", "Renamed"),
    ] {
        let (names, found) = fields(schema(&api, &format!("/{subtype}")), "type");
        assert_eq!(found.as_deref(), Some(tag), "{subtype}");
        assert_eq!(names[0], "type");
    }
    // And the generated enum dispatches on those tags.
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/polymorphism/openapi.yaml");
    let code =
        asyncapi_codegen::generate_file(&path, Path::new("openapi.yaml"), &Default::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .tokens
            .to_string();
    for tag in ["\"created\"", "\"removed\"", "\"Renamed\""] {
        assert!(code.contains(&format!("Some ({tag})")), "{tag}: {code}");
    }
}

#[test]
fn a_schema_defined_only_by_itself_is_still_refused() {
    let spec = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels:\n  a:\n    publish:\n      message:\n        payload: {$ref: '#/components/schemas/Loop'}\ncomponents:\n  schemas:\n    Loop:\n      discriminator: kind\n      oneOf:\n        - allOf: [{$ref: '#/components/schemas/Loop'}]\n        - type: string\n";
    let errors =
        match asyncapi_codegen::generate_text(spec, Path::new("spec.yaml"), &Default::default()) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(ToString::to_string).collect(),
        };
    assert!(
        errors.iter().any(|e| e.contains("refers back to itself")),
        "{errors:?}"
    );
}
