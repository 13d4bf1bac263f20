//! Inputs that once made the generator panic (each found by reading the code or by the fuzz
//! targets): every one now generates, or fails with a located diagnostic.

use std::path::Path;

use asyncapi_codegen::{Role, Settings, generate_text};

/// Generates `spec` in both roles; the emitted code must parse as Rust.
fn generate(spec: &str) -> Result<String, Vec<String>> {
    let mut out = String::new();
    for role in [Role::Application, Role::Mirror] {
        let mut settings = Settings::default();
        settings.role = role;
        match generate_text(spec, Path::new("spec.yaml"), &settings) {
            Ok(tokens) => {
                syn::parse2::<syn::File>(tokens.clone()).expect("emitted code parses");
                out.push_str(&tokens.to_string());
            }
            Err(d) => return Err(d.iter().map(ToString::to_string).collect()),
        }
    }
    Ok(out)
}

const V2_HEAD: &str = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n";
const V3_HEAD: &str = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n";

#[test]
fn an_empty_one_of_in_2x_is_an_operation_without_a_message() {
    let spec = format!(
        "{V2_HEAD}channels:\n  up:\n    publish:\n      operationId: up\n      message: {{oneOf: []}}\n    subscribe:\n      operationId: down\n      message: {{oneOf: []}}\n"
    );
    let code = generate(&spec).unwrap();
    // Both operations exist, carrying any JSON value.
    assert!(code.contains("fn up"), "{code}");
    assert!(code.contains("fn down"), "{code}");
    assert!(code.contains("serde_json :: Value"), "{code}");
}

#[test]
fn an_empty_message_list_in_3_0_is_an_operation_without_a_message() {
    let spec = format!(
        "{V3_HEAD}channels:\n  up:\n    address: up\n    messages: {{}}\noperations:\n  up:\n    action: receive\n    channel: {{$ref: '#/channels/up'}}\n    messages: []\n  down:\n    action: send\n    channel: {{$ref: '#/channels/up'}}\n    messages: []\n    reply:\n      channel: {{$ref: '#/channels/up'}}\n      messages: []\n"
    );
    let code = generate(&spec).unwrap();
    assert!(code.contains("fn up"), "{code}");
    assert!(code.contains("fn down"), "{code}");
    assert!(code.contains("serde_json :: Value"), "{code}");
}

#[test]
fn deep_block_nesting_is_a_located_error_not_a_stack_overflow() {
    // `- - - x` nests a sequence per dash; saphyr's loader recursed once per level.
    let spec = format!("{V2_HEAD}channels: {{}}\nx:\n  {}x\n", "- ".repeat(100_000));
    let errors = generate(&spec).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "spec.yaml:5:257: mappings and sequences are nested more than 128 levels deep"
        ),
        "{errors:?}"
    );
}

/// An object schema nested `depth` times as a message payload: its innermost mapping is
/// `6 + 2 * depth` levels deep.
fn nested_payload(depth: usize) -> String {
    let mut schema = "{type: string}".to_owned();
    for _ in 0..depth {
        schema = format!("{{type: object, properties: {{a: {schema}}}}}");
    }
    format!("{V2_HEAD}channels:\n  a:\n    publish:\n      message:\n        payload: {schema}\n")
}

#[test]
fn the_deepest_document_allowed_generates_on_a_test_thread_stack() {
    // 128 levels, the limit: loader, structure check, model, emitter and syn all recurse over it
    // within the 2 MiB of a test thread in a debug build.
    let code = generate(&nested_payload(61)).unwrap();
    assert!(code.contains("pub struct"), "{code}");
    let errors = generate(&nested_payload(62)).unwrap_err();
    assert!(
        errors[0].contains("nested more than 128 levels"),
        "{errors:?}"
    );
}

/// `n` component schemas, each nesting `depth` objects, the innermost property a `$ref` to the
/// next: one schema `n * depth` levels deep, though no file is.
fn chain(n: usize, depth: usize) -> String {
    let mut spec = format!(
        "{V2_HEAD}channels:\n  a:\n    publish:\n      message:\n        payload: {{$ref: '#/components/schemas/S0'}}\ncomponents:\n  schemas:\n"
    );
    for i in 0..n {
        let mut schema = if i + 1 < n {
            format!("{{$ref: '#/components/schemas/S{}'}}", i + 1)
        } else {
            "{type: string}".to_owned()
        };
        for _ in 0..depth {
            schema = format!("{{type: object, properties: {{a: {schema}}}}}");
        }
        spec.push_str(&format!("    S{i}: {schema}\n"));
    }
    spec
}

#[test]
fn a_chain_of_deep_schemas_is_a_located_error_not_a_stack_overflow() {
    // 600 levels through references: the structure check's inlining and the schema reader both
    // recursed through it.
    let errors = generate(&chain(20, 30)).unwrap_err();
    assert!(
        errors[0].starts_with("spec.yaml:12:102: schema nesting is deeper than 64 levels"),
        "{errors:?}"
    );
    // Two of them (60 levels) are fine.
    let code = generate(&chain(2, 30)).unwrap();
    assert!(code.contains("pub struct S1"), "{code}");
}

#[test]
fn aliases_cannot_nest_a_document_deeper_than_its_text() {
    // Each anchor nests the previous one 100 levels down: 2000 levels in a few kilobytes.
    let mut spec = format!("{V2_HEAD}channels: {{}}\nx-deep:\n");
    let mut previous = "x".to_owned();
    for i in 0..20 {
        spec.push_str(&format!(
            "  a{i}: &a{i} {}{previous}{}\n",
            "[".repeat(100),
            "]".repeat(100)
        ));
        previous = format!("*a{i}");
    }
    let errors = generate(&spec).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("spec.yaml:6:111: mappings and sequences are nested more than 128"),
        "{errors:?}"
    );
    // One alias of a shallow anchor is fine.
    let spec = format!("{V2_HEAD}channels: {{}}\nx-a: &a [[1]]\nx-b: [[*a]]\n");
    generate(&spec).unwrap();
}
