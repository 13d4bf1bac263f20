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

