//! Real-world document shapes (issue 17) at the generator's level: what is accepted, and where
//! what is not accepted is reported. The macro-level fixtures are in `tests/real_world/`.

use std::path::Path;

use asyncapi_codegen::loader::LoadOptions;
use asyncapi_codegen::{Settings, check_file, generate_text};

fn errors(spec: &str) -> Vec<String> {
    match generate_text(spec, Path::new("spec.yaml"), &Settings::default()) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

/// `check` of a spec written to a temporary file: `(errors, unsupported, warnings)` as text.
fn check(name: &str, spec: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("asyncapi-real-world-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, spec).unwrap();
    let text = |d: &[asyncapi_codegen::Diagnostic]| d.iter().map(ToString::to_string).collect();
    match check_file(&path, Path::new(name), &LoadOptions::default()) {
        Ok(api) => (Vec::new(), text(&api.unsupported), text(&api.warnings)),
        Err(d) => (text(&d.0), Vec::new(), Vec::new()),
    }
}

const V3_HEAD: &str = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n";

#[test]
fn placeholders_without_parameters_are_accepted_in_3_0() {
    let spec = format!(
        "{V3_HEAD}channels:\n  c:\n    address: 'devices/{{id}}/x/{{part}}'\noperations:\n  o:\n    action: send\n    channel: {{$ref: '#/channels/c'}}\n"
    );
    assert_eq!(errors(&spec), Vec::<String>::new());
    let tokens = generate_text(&spec, Path::new("spec.yaml"), &Settings::default())
        .unwrap()
        .to_string();
    assert!(
        tokens.contains("pub id : :: std :: string :: String"),
        "{tokens}"
    );
    assert!(
        tokens.contains("pub part : :: std :: string :: String"),
        "{tokens}"
    );
}

#[test]
fn a_parameters_field_must_still_declare_every_placeholder() {
    // The reference parser's `asyncapi3-channel-parameters` rule: with a `parameters` object,
    // placeholders and declarations match one to one.
    let spec = format!(
        "{V3_HEAD}channels:\n  c:\n    address: 'devices/{{id}}/{{other}}'\n    parameters:\n      id: {{}}\n      unused: {{}}\n"
    );
    let errors = errors(&spec);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].contains("`parameters` do not declare `other`")
            && errors[0].contains("(at #/channels/c)"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("declares parameter `unused`"),
        "{errors:?}"
    );
}

#[test]
fn an_unused_2x_parameter_is_a_warning() {
    let spec = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels:\n  'a/{id}':\n    parameters:\n      id: {schema: {type: string}}\n      gone: {schema: {type: string}}\n    publish:\n      message: {payload: {type: string}}\n";
    let (errors, unsupported, warnings) = check("unused.yaml", spec);
    assert!(
        errors.is_empty() && unsupported.is_empty(),
        "{errors:?} {unsupported:?}"
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("unused.yaml:7:")
            && warnings[0].contains("parameter `gone`")
            && warnings[0].contains("#/channels/a~1{id}/parameters/gone"),
        "{warnings:?}"
    );
}

#[test]
fn null_and_missing_addresses_generate() {
    for address in ["    address: null\n", ""] {
        let spec = format!(
            "{V3_HEAD}channels:\n  c:\n{address}    messages:\n      m: {{payload: {{type: string}}}}\noperations:\n  s:\n    action: send\n    channel: {{$ref: '#/channels/c'}}\n  r:\n    action: receive\n    channel: {{$ref: '#/channels/c'}}\n"
        );
        let tokens = generate_text(&spec, Path::new("spec.yaml"), &Settings::default())
            .unwrap_or_else(|e| panic!("{address:?}: {e}"))
            .to_string();
        assert!(tokens.contains("pub struct CAddress"), "{tokens}");
        assert!(tokens.contains("pub struct ReceiveFilters"), "{tokens}");
        assert!(tokens.contains("address : & CAddress"), "{tokens}");
    }
}

#[test]
fn receive_filters_exist_only_when_needed_and_do_not_take_a_schema_name() {
    // A schema called `ReceiveFilters` keeps its name when no receive operation needs filters.
    let spec = format!(
        "{V3_HEAD}channels:\n  c:\n    address: c\n    messages:\n      m: {{payload: {{$ref: '#/components/schemas/ReceiveFilters'}}}}\noperations:\n  r:\n    action: receive\n    channel: {{$ref: '#/channels/c'}}\ncomponents:\n  schemas:\n    ReceiveFilters: {{type: string}}\n"
    );
    let tokens = generate_text(&spec, Path::new("spec.yaml"), &Settings::default())
        .unwrap()
        .to_string();
    assert!(tokens.contains("pub type ReceiveFilters"), "{tokens}");
}

#[test]
fn an_unknown_content_type_names_the_supported_ones() {
    let spec = format!(
        "{V3_HEAD}channels:\n  c:\n    address: c\n    messages:\n      m:\n        contentType: application/xml\n        payload: {{type: string}}\noperations:\n  s:\n    action: send\n    channel: {{$ref: '#/channels/c'}}\n"
    );
    let errors = errors(&spec);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("spec.yaml:8:22: content type `application/xml` has no codec")
            && errors[0].contains("text/plain")
            && errors[0].contains("application/octet-stream")
            && errors[0].contains("#/channels/c/messages/m/contentType"),
        "{errors:?}"
    );
}

#[test]
fn text_and_binary_messages_stand_alone_in_an_operation() {
    let spec = format!(
        "{V3_HEAD}channels:\n  c:\n    address: c\n    messages:\n      a: {{contentType: text/plain, payload: {{type: string}}}}\n      b: {{payload: {{type: object}}}}\noperations:\n  s:\n    action: send\n    channel: {{$ref: '#/channels/c'}}\n"
    );
    let errors = errors(&spec);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("several messages, not all JSON")
            && errors[0].contains("#/operations/s"),
        "{errors:?}"
    );
}

#[test]
fn asyncapi_3_1_is_checked_against_its_own_schema() {
    let ok = "asyncapi: 3.1.0\ninfo: {title: T, version: '1'}\nservers:\n  s: {host: h, protocol: mqtt, x-team: core}\n";
    assert_eq!(errors(ok), Vec::<String>::new());
    // A 3.1 field the schema forbids is reported at its place.
    let bad = "asyncapi: 3.1.0\ninfo: {title: T, version: '1'}\nservers:\n  s: {host: h, protocol: mqtt, colour: blue}\n";
    let errors = errors(bad);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("colour") && e.contains("#/servers/s")),
        "{errors:?}"
    );
    // 3.2 does not exist yet.
    let errors = self::errors("asyncapi: 3.2.0\ninfo: {title: T, version: '1'}\n");
    assert!(
        errors[0].contains("expected 2.0.0 to 2.6.0, 3.0.0 or 3.1.0"),
        "{errors:?}"
    );
}
