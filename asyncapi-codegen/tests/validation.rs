//! Document-wide rules: each violation is reported with its place, and a document can break
//! several at once (all are reported).

use std::path::Path;

use asyncapi_codegen::{Settings, generate_text};

fn errors(spec: &str) -> Vec<String> {
    match generate_text(spec, Path::new("spec.yaml"), &Settings::default()) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

const V2_HEAD: &str = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n";
const V3_HEAD: &str = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n";
const V3_HEAD_BLOCK_INFO: &str = "asyncapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\n";

#[test]
fn operation_ids_are_unique_in_2x() {
    let spec = format!(
        "{V2_HEAD}channels:\n  a:\n    publish:\n      operationId: same\n      message: {{payload: {{type: string}}}}\n  b:\n    subscribe:\n      operationId: same\n      message: {{payload: {{type: string}}}}\n"
    );
    let errors = errors(&spec);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("spec.yaml:10:20: operationId `same` is used twice (first at #/channels/a/publish/operationId)"), "{errors:?}");
}

#[test]
fn message_ids_are_unique_in_2x() {
    let spec = format!(
        "{V2_HEAD}channels:\n  a:\n    publish:\n      message: {{messageId: m, payload: {{type: string}}}}\ncomponents:\n  messages:\n    other: {{messageId: m}}\n"
    );
    let errors = errors(&spec);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("messageId `m` is used twice"),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("(at #/channels/a/publish/message/messageId)"),
        "{errors:?}"
    );
}

#[test]
fn addresses_carry_no_query_or_fragment() {
    let spec = format!(
        "{V3_HEAD}channels:\n  a:\n    address: 'users?id=1'\n  b:\n    address: 'users#x'\n"
    );
    let errors = errors(&spec);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].contains("contains `?`") && errors[0].contains("#/channels/a"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("contains `#`") && errors[1].contains("#/channels/b"),
        "{errors:?}"
    );
}

#[test]
fn tag_names_are_unique_per_list() {
    let spec = format!("{V3_HEAD_BLOCK_INFO}  tags: [{{name: x}}, {{name: y}}, {{name: x}}]\n");
    let errors = errors(&spec);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("tag `x` appears twice") && errors[0].contains("#/info/tags/2"),
        "{errors:?}"
    );
}

#[test]
fn operation_messages_come_from_the_operation_channel_in_3_0() {
    let spec = format!(
        "{V3_HEAD}channels:\n  a:\n    address: a\n    messages:\n      m: {{payload: {{type: string}}}}\n  b:\n    address: b\n    messages:\n      n: {{payload: {{type: string}}}}\noperations:\n  send:\n    action: send\n    channel: {{$ref: '#/channels/a'}}\n    messages:\n      - $ref: '#/channels/b/messages/n'\n"
    );
    let errors = errors(&spec);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("is not a message of its channel `a`")
            && errors[0].contains("#/operations/send/messages/0"),
        "{errors:?}"
    );
}

#[test]
fn several_problems_are_all_reported() {
    let spec = format!(
        "{V3_HEAD_BLOCK_INFO}  tags: [{{name: x}}, {{name: x}}]\nchannels:\n  a:\n    address: 'a?b'\n"
    );
    assert_eq!(errors(&spec).len(), 2);
}
