//! Examples and defaults that contradict their schemas never stop generation: the settings'
//! `ExamplePolicy` makes them warnings (the default), errors or nothing. The fixture is the
//! workspace's `tests/specs/real-world/vendor-examples.yaml` (2.6.0) and a 3.0 document here.

use std::path::{Path, PathBuf};

use asyncapi_codegen::loader::LoadOptions;
use asyncapi_codegen::{ExamplePolicy, Settings, check_file, generate_file, generate_text};

fn vendor() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/real-world/vendor-examples.yaml")
}

fn settings(examples: ExamplePolicy) -> Settings {
    let mut settings = Settings::default();
    settings.examples = examples;
    settings
}

/// (line, start of the message) of every wrong example in the vendor fixture.
const VENDOR: &[(usize, &str)] = &[
    (
        91,
        "schema example #1 does not match its schema: /quantity: 0 is less than the minimum of 1",
    ),
    (
        82,
        "the schema's default does not match its schema, so it is ignored: 0 is less than the minimum of 1",
    ),
    (
        89,
        "schema example #1 does not match its schema: the example: \"market\" is not of type \"number\"",
    ),
    (
        29,
        "schema example #2 does not match its schema: the example: \"acme\" does not match",
    ),
    (
        47,
        "message example `priceAsText`: its payload does not match the message's payload schema: /bid: \"101.25\" is not of type \"number\"",
    ),
    (
        49,
        "message example `noAsk`: its payload does not match the message's payload schema: the example: \"ask\" is a required property",
    ),
    (
        58,
        "message example `hold`: its payload does not match the message's payload schema: /side: \"hold\" is not one of \"buy\" or \"sell\"",
    ),
    (
        60,
        "message example `withNote`: its payload does not match the message's payload schema: the example: Additional properties are not allowed ('note' was unexpected)",
    ),
    (
        21,
        "server variable `region` example `ap` is not one of its `enum` values: eu, us",
    ),
];

#[test]
fn by_default_each_wrong_example_is_one_located_warning_and_the_code_is_generated() {
    let generated = generate_file(&vendor(), Path::new("vendor.yaml"), &Settings::default())
        .expect("wrong examples do not stop generation");
    assert!(generated.tokens.to_string().contains("pub trait Publisher"));
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), VENDOR.len(), "{warnings:#?}");
    for (line, message) in VENDOR {
        let prefix = format!("vendor.yaml:{line}:");
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&prefix) && w.contains(message)),
            "no warning at line {line} saying {message:?}:\n{warnings:#?}"
        );
    }
    // Each names the place inside the document as a JSON pointer.
    assert!(
        warnings
            .iter()
            .any(|w| w.ends_with("(at #/components/messages/Order/examples/1/payload)"))
    );
}

#[test]
fn deny_makes_them_the_errors_and_allow_says_nothing() {
    let denied = generate_file(
        &vendor(),
        Path::new("vendor.yaml"),
        &settings(ExamplePolicy::Deny),
    )
    .expect_err("deny refuses");
    assert_eq!(denied.0.len(), VENDOR.len(), "{denied}");
    let allowed = generate_file(
        &vendor(),
        Path::new("vendor.yaml"),
        &settings(ExamplePolicy::Allow),
    )
    .expect("allow generates");
    assert!(allowed.warnings.is_empty());
    // The check still lists them for `asyncapi check` to report.
    let api = check_file(&vendor(), Path::new("vendor.yaml"), &LoadOptions::default()).unwrap();
    assert_eq!(api.wrong_examples.len(), VENDOR.len());
    assert!(api.warnings.is_empty());
}

#[test]
fn a_default_that_contradicts_its_schema_gets_no_accessor() {
    let tokens = generate_file(&vendor(), Path::new("vendor.yaml"), &Settings::default())
        .unwrap()
        .tokens
        .to_string();
    assert!(tokens.contains("max_floor_or_default"));
    assert!(!tokens.contains("display_quantity_or_default"));
}

/// 3.0: message examples, schema examples and parameter examples and defaults follow the same
/// rule as 2.x.
const V3: &str = r#"
asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  readings:
    address: 'readings/{site}'
    parameters:
      site: {enum: [north, south], default: west, examples: [north, east]}
    messages:
      reading:
        payload:
          type: object
          required: [value]
          properties:
            value: {type: number, examples: [high]}
        examples:
          - payload: {unit: C}
operations:
  sendReading:
    action: send
    channel: {$ref: '#/channels/readings'}
"#;

#[test]
fn v3_wrong_examples_follow_the_same_rule() {
    let path = Path::new("v3.yaml");
    let tokens = generate_text(V3, path, &Settings::default()).expect("generates");
    assert!(tokens.to_string().contains("ReadingsParameters"));
    let denied = generate_text(V3, path, &settings(ExamplePolicy::Deny)).unwrap_err();
    let text = denied.to_string();
    for expected in [
        "v3.yaml:8:69: example #2 of parameter `site` is \"east\"",
        "v3.yaml:8:45: the default of parameter `site` is \"west\"",
        "v3.yaml:15:46: schema example #1 does not match its schema: the example: \"high\" is not of type \"number\"",
        "v3.yaml:17:22: message example #1: its payload does not match the message's payload schema: the example: \"value\" is a required property",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert_eq!(denied.0.len(), 4, "{text}");
}
