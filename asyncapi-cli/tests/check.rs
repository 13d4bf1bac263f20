//! `asyncapi check` as a user runs it: exit status, and compiler-style diagnostics.

use std::path::Path;
use std::process::{Command, Output};

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asyncapi"))
        .arg("check")
        .args(args)
        .current_dir(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../asyncapi-codegen/tests/fixtures/refs"),
        )
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn valid_documents_exit_zero() {
    let out = check(&["api.yaml", "with-url.yaml", "--url-vendor", "vendor"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "api.yaml: ok\nwith-url.yaml: ok\n"
    );
}

#[test]
fn invalid_documents_exit_one_with_an_excerpt_and_a_caret() {
    let out = check(&["missing.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    let expected = "  --> missing.yaml:11:17\n   |\n11 |           $ref: 'common/nope.yaml#/x'\n   |                 ^\n   = at #/channels/a/messages/m/payload/$ref\n";
    assert!(
        text.starts_with("error: `$ref: common/nope.yaml#/x` cannot be read"),
        "{text}"
    );
    assert!(text.contains(expected), "{text}");
    assert!(text.ends_with("missing.yaml: 1 error\n"), "{text}");
}

#[test]
fn usage_and_io_errors_exit_two() {
    assert_eq!(check(&[]).status.code(), Some(2));
    assert_eq!(check(&["--frobnicate", "api.yaml"]).status.code(), Some(2));
    let out = check(&["no-such-file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read `no-such-file.yaml`"));
}

/// The workspace's vendor fixture: nine examples and defaults that contradict their schemas.
const VENDOR: &str = "../../../../tests/specs/real-world/vendor-examples.yaml";

#[test]
fn wrong_examples_are_warnings_unless_denied() {
    let out = check(&[VENDOR]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert_eq!(text.matches("warning: ").count(), 9, "{text}");
    assert!(
        text.contains(
            "warning: message example `hold`: its payload does not match the message's payload \
             schema: /side: \"hold\" is not one of \"buy\" or \"sell\"\n  --> "
        ),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).ends_with(
        "vendor-examples.yaml: ok (valid; 9 examples or defaults contradicting the schema)\n"
    ));

    let out = check(&["--examples", "deny", VENDOR]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert_eq!(text.matches("error: ").count(), 9, "{text}");
    assert!(
        text.contains("58 |           payload: {orderId: o-1"),
        "{text}"
    );
    assert!(text.ends_with("vendor-examples.yaml: 9 errors\n"), "{text}");

    let out = check(&["--examples=allow", VENDOR]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("vendor-examples.yaml: ok\n"));

    assert_eq!(
        check(&["--examples", "ignore", VENDOR]).status.code(),
        Some(2)
    );
}
