//! Failure policies from the spec: `x-retry` and `x-dead-letter` on receive operations (2.x and
//! 3.0) and the Kafka binding's `x-errorTopic` / `x-retryTopic` become each operation's
//! `ServeConfig` default; bad values are located errors, what is not implemented a warning.

use std::path::Path;

use asyncapi_codegen::loader::LoadOptions;
use asyncapi_codegen::{Settings, check_file, check_text, generate_file, generate_text};

const FIXTURES: &str = "tests/fixtures/policy";

/// The generated code of a fixture, whitespace removed.
fn expand(name: &str) -> String {
    let rel = format!("{FIXTURES}/{name}");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&rel);
    let generated = generate_file(&path, Path::new(&rel), &Settings::default())
        .unwrap_or_else(|e| panic!("{rel} was rejected:\n{e}"));
    squeeze(&generated.tokens.to_string())
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_has(code: &str, wanted: &str) {
    let wanted = squeeze(wanted);
    assert!(code.contains(&wanted), "generated code lacks {wanted}");
}

#[test]
fn exponential_retries_and_a_dead_letter_channel_make_the_policy() {
    let code = expand("orders-v3.yaml");
    assert_has(
        &code,
        r#"handle_order: ::asyncapi_runtime::serve::Policy::default()
            .attempts(5u32)
            .backoff(::asyncapi_runtime::serve::Backoff::exponential(
                    ::std::time::Duration::from_millis(200u64),
                    ::std::time::Duration::from_millis(10000u64))
                .multiplier(3f64)
                .jitter(0.25f64))
            .dead_letter("orders.dlq"),"#,
    );
}

#[test]
fn a_fixed_strategy_and_a_kafka_error_topic() {
    let code = expand("orders-v3.yaml");
    assert_has(
        &code,
        r#"handle_payment: ::asyncapi_runtime::serve::Policy::default()
            .attempts(4u32)
            .backoff(::asyncapi_runtime::serve::Backoff::fixed(
                ::std::time::Duration::from_millis(1000u64)))
            .dead_letter("payments.errors"),"#,
    );
}

#[test]
fn a_linear_strategy_is_the_geometric_curve_through_its_first_and_last_delay() {
    let code = expand("orders-v3.yaml");
    // 1 s, 2 s, 3 s, 4 s over 4 retries: from 1 s to 4 s by 4^(1/3) per retry.
    let multiplier = 4f64.powf(1.0 / 3.0);
    assert_has(
        &code,
        &format!(
            r#"handle_refund: ::asyncapi_runtime::serve::Policy::default()
                .attempts(5u32)
                .backoff(::asyncapi_runtime::serve::Backoff::exponential(
                        ::std::time::Duration::from_millis(1000u64),
                        ::std::time::Duration::from_millis(4000u64))
                    .multiplier({multiplier}f64)
                    .jitter(0.5f64))
                .dead_letter("audit.dlq"),"#
        ),
    );
}

#[test]
fn without_extensions_the_policy_is_the_default() {
    let code = expand("orders-v3.yaml");
    assert_has(
        &code,
        "handle_audit: ::asyncapi_runtime::serve::Policy::default(),",
    );
    // The send operation's `x-retry` makes no policy (it is not in `ServeConfig` at all).
    assert!(!code.contains("publish_audit:::asyncapi_runtime::serve::Policy"));
    assert!(!code.contains(".attempts(2u32)"));
}

#[test]
fn dead_letter_topics_are_in_topics_all() {
    let code = expand("orders-v3.yaml");
    // The dead-letter channel with a Kafka binding, with its partitions.
    assert_has(
        &code,
        r#"pub const ORDERS_DLQ: ::asyncapi_runtime::bindings::KafkaTopic =
            ::asyncapi_runtime::bindings::KafkaTopic {
                channel: "ordersDlq",
                name: "orders.dlq",
                partitions: ::std::option::Option::Some(3i32),"#,
    );
    // A channel without a binding in a document whose servers speak Kafka: broker defaults.
    assert_has(
        &code,
        r#"pub const AUDIT_DLQ: ::asyncapi_runtime::bindings::KafkaTopic =
            ::asyncapi_runtime::bindings::KafkaTopic {
                channel: "auditDlq",
                name: "audit.dlq",
                partitions: ::std::option::Option::None,"#,
    );
    // An `x-errorTopic` that is no channel: a topic of its own.
    assert_has(
        &code,
        r#"pub const HANDLE_PAYMENT_DEAD_LETTERS: ::asyncapi_runtime::bindings::KafkaTopic =
            ::asyncapi_runtime::bindings::KafkaTopic {
                channel: "handlePayment",
                name: "payments.errors","#,
    );
    assert_has(
        &code,
        "pub const ALL: &[::asyncapi_runtime::bindings::KafkaTopic] = &[ORDERS, ORDERS_DLQ, \
         PAYMENTS, REFUNDS, AUDIT, AUDIT_DLQ, HANDLE_PAYMENT_DEAD_LETTERS];",
    );
}

#[test]
fn what_the_runtime_does_not_do_is_a_located_warning() {
    let rel = format!("{FIXTURES}/orders-v3.yaml");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&rel);
    let api = check_file(&path, Path::new(&rel), &LoadOptions::default()).unwrap();
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    let expected = [
        (
            "orders-v3.yaml:74:17: a linear strategy is approximated",
            "(at #/operations/handleRefund/x-retry/strategy)",
        ),
        (
            "orders-v3.yaml:78:23: `x-retryTopic` is not used: retries happen in place",
            "(at #/operations/handleRefund/bindings/kafka/x-retryTopic)",
        ),
        (
            "orders-v3.yaml:86:7: operation `publishAudit` sends; `x-retry` applies to receive \
             operations only",
            "(at #/operations/publishAudit/x-retry)",
        ),
    ];
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    for (warning, (start, pointer)) in warnings.iter().zip(expected) {
        assert!(
            warning.contains(start) && warning.ends_with(pointer),
            "{warning}"
        );
    }
}

#[test]
fn a_2x_operation_object_takes_the_same_extensions() {
    let code = expand("orders-v2.yaml");
    assert_has(
        &code,
        r#"order_placed: ::asyncapi_runtime::serve::Policy::default()
            .attempts(2u32)
            .backoff(::asyncapi_runtime::serve::Backoff::exponential(
                    ::std::time::Duration::from_millis(60000u64),
                    ::std::time::Duration::from_millis(60000u64))
                .multiplier(2f64)
                .jitter(0.5f64))
            .dead_letter("orders/dead"),"#,
    );
    // An MQTT document: no Kafka topics to create.
    assert!(!code.contains("KafkaTopic"));
}

// ---- bad values: located errors ----

const HEAD: &str = "asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  orders:
    address: orders
  perTenant:
    address: 'dlq.{tenant}'
  anywhere:
    address: null
operations:
  handle:
    action: receive
    channel: {$ref: '#/channels/orders'}
";

/// The one error of `HEAD` + `extension` (lines of the operation, indented by four).
fn error(extension: &str) -> String {
    let spec = format!("{HEAD}{extension}");
    let errors: Vec<String> =
        match check_text(&spec, Path::new("spec.yaml"), &LoadOptions::default()) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(ToString::to_string).collect(),
        };
    assert_eq!(errors.len(), 1, "{errors:#?}");
    // Generation refuses it with the same diagnostic.
    let generated = generate_text(&spec, Path::new("spec.yaml"), &Settings::default());
    assert_eq!(generated.unwrap_err().to_string(), errors[0]);
    errors[0].clone()
}

fn assert_error(extension: &str, at: &str, message: &str, pointer: &str) {
    let error = error(extension);
    assert!(error.starts_with(&format!("spec.yaml:{at}: ")), "{error}");
    assert!(error.contains(message), "{error}");
    assert!(error.ends_with(&format!("(at #{pointer})")), "{error}");
}

#[test]
fn a_dead_letter_channel_with_parameters_is_an_error() {
    assert_error(
        "    x-dead-letter:\n      channel: {$ref: '#/channels/perTenant'}\n",
        "15:16",
        "the dead-letter channel `perTenant` has parameters in its address `dlq.{tenant}`",
        "/operations/handle/x-dead-letter/channel",
    );
}

#[test]
fn a_dead_letter_channel_without_an_address_is_an_error() {
    assert_error(
        "    x-dead-letter:\n      channel: {$ref: '#/channels/anywhere'}\n",
        "15:16",
        "the dead-letter channel `anywhere` has no address",
        "/operations/handle/x-dead-letter/channel",
    );
}

#[test]
fn a_dead_letter_reference_that_does_not_resolve_is_an_error() {
    assert_error(
        "    x-dead-letter:\n      channel: {$ref: '#/channels/nowhere'}\n",
        "15:23",
        "`$ref: #/channels/nowhere` points at nothing",
        "/operations/handle/x-dead-letter/channel/$ref",
    );
    // A reference to something that is not a channel.
    assert_error(
        "    bindings:\n      kafka:\n        x-errorTopic: {$ref: '#/info'}\n",
        "16:23",
        "`x-errorTopic` refers to #/info, which is not a channel",
        "/operations/handle/bindings/kafka/x-errorTopic",
    );
}

#[test]
fn max_attempts_below_one_is_an_error() {
    for (value, found) in [("0", "is 0"), ("-2", "is -2"), ("'3'", "is a string")] {
        assert_error(
            &format!("    x-retry:\n      maxAttempts: {value}\n"),
            "15:20",
            &format!("`maxAttempts` {found}; expected a whole number of at least 1"),
            "/operations/handle/x-retry/maxAttempts",
        );
    }
}

#[test]
fn a_malformed_duration_is_an_error() {
    for (value, why) in [
        (
            "P1D",
            "only hours, minutes and seconds are allowed, after `PT`",
        ),
        ("1s", "it does not start with `PT`"),
        ("PT5", "`5` has no unit (H, M or S)"),
        ("PT1S2M", "`M` is out of order or repeated"),
    ] {
        assert_error(
            &format!("    x-retry:\n      strategy: {{type: exponential, delay: {value}}}\n"),
            "15:44",
            &format!(
                "`delay` is \"{value}\", which is not an ISO 8601 duration of hours, minutes and \
                 seconds ({why})"
            ),
            "/operations/handle/x-retry/strategy/delay",
        );
    }
    assert_error(
        "    x-retry:\n      strategy: {type: linear, delay: PT1S, maxDelay: 10}\n",
        "15:55",
        "`maxDelay` is a number; expected an ISO 8601 duration",
        "/operations/handle/x-retry/strategy/maxDelay",
    );
}

#[test]
fn other_bad_values_are_errors() {
    assert_error(
        "    x-retry:\n      strategy: {type: random}\n",
        "15:24",
        "strategy `type` is not one of `fixed`, `linear` or `exponential`; found \"random\"",
        "/operations/handle/x-retry/strategy/type",
    );
    assert_error(
        "    x-retry:\n      strategy: {type: exponential, multiplier: 0.5}\n",
        "15:49",
        "`multiplier` is 0.5; expected a number of at least 1",
        "/operations/handle/x-retry/strategy/multiplier",
    );
    assert_error(
        "    x-retry:\n      strategy: {type: exponential, delay: PT2S, maxDelay: PT1S}\n",
        "15:60",
        "`maxDelay` (1s) is shorter than `delay` (2s)",
        "/operations/handle/x-retry/strategy/maxDelay",
    );
    assert_error(
        "    x-retry:\n      jitter: 1.5\n",
        "15:15",
        "`jitter` is not a number from 0 to 1",
        "/operations/handle/x-retry/jitter",
    );
    assert_error(
        "    x-dead-letter:\n      channel: {$ref: '#/channels/orders'}\n      address: x\n",
        "16:16",
        "`x-dead-letter` has both a `channel` and an `address`",
        "/operations/handle/x-dead-letter/address",
    );
    assert_error(
        "    x-dead-letter:\n      address: 'dlq/+'\n",
        "15:16",
        "dead-letter address \"dlq/+\" contains a wildcard or NUL",
        "/operations/handle/x-dead-letter/address",
    );
}

#[test]
fn the_structure_check_accepts_the_extensions() {
    // A document with every extension is valid (x- fields are allowed by the official schemas,
    // on operations and inside the Kafka operation binding), so `check` finds no error.
    let rel = format!("{FIXTURES}/orders-v3.yaml");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&rel);
    assert!(check_file(&path, Path::new(&rel), &LoadOptions::default()).is_ok());
    // ... while the Kafka binding draft's unprefixed field is refused by the 0.5.0 schema.
    let spec = format!("{HEAD}    bindings:\n      kafka:\n        errorTopic: orders.dlq\n");
    let errors = check_text(&spec, Path::new("spec.yaml"), &LoadOptions::default()).unwrap_err();
    assert!(errors.to_string().contains("errorTopic"), "{errors}");
}

#[test]
fn odd_shapes_are_reported_not_panicked_on() {
    let cases = [
        "    x-retry: null\n",
        "    x-retry: [1, 2]\n",
        "    x-retry: {strategy: []}\n",
        "    x-retry: {strategy: {}}\n",
        "    x-retry: {strategy: {fixed: 3}}\n",
        "    x-retry: {strategy: {type: exponential, multiplier: .nan}}\n",
        "    x-retry: {strategy: {type: exponential, multiplier: .inf}}\n",
        "    x-retry: {jitter: .nan}\n",
        "    x-retry: {maxAttempts: 99999999999}\n",
        "    x-retry: {strategy: {type: fixed, delay: PT99999999999999999999999999999999999999999999999999S}}\n",
        "    x-retry: {strategy: {type: linear, delay: PT0S, increment: PT0S}, maxAttempts: 1}\n",
        "    x-retry: {$ref: '#/nowhere'}\n",
        "    x-dead-letter: {}\n",
        "    x-dead-letter: orders.dlq\n",
        "    x-dead-letter: {channel: 5}\n",
        "    x-dead-letter: {channel: {$ref: 7}}\n",
        "    x-dead-letter: {address: ''}\n",
        "    bindings: {kafka: {x-errorTopic: {}, x-retryTopic: [1]}}\n",
        "    bindings: {kafka: {x-errorTopic: {$ref: '#/channels/orders/address'}}}\n",
    ];
    for case in cases {
        let spec = format!("{HEAD}{case}");
        let api = check_text(&spec, Path::new("spec.yaml"), &LoadOptions::default());
        // Either an error or a warning says something; nothing panics.
        let said = match &api {
            Ok(api) => !api.warnings.is_empty(),
            Err(errors) => !errors.is_empty(),
        };
        assert!(said, "nothing reported for {case}");
        let _ = generate_text(&spec, Path::new("spec.yaml"), &Settings::default());
    }
}
