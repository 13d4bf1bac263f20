//! `asyncapi expand` as a user runs it: the generated code on stdout (or in a file), the settings
//! its options map onto, and its exit statuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example spec, relative to the workspace root (the tests run there).
const SPEC: &str = "examples/specs/streetlights-mqtt.yml";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn expand(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asyncapi"))
        .arg("expand")
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `expand` expecting success, and parses what it printed.
fn expand_ok(args: &[&str]) -> (String, syn::File) {
    let out = expand(args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let code = stdout(&out);
    let file = syn::parse_file(&code).unwrap_or_else(|e| panic!("not Rust: {e}\n{code}"));
    (code, file)
}

/// The names of the required methods (those without a default body: one per operation) of
/// `pub trait name` in `file`, in order; `None` when there is no such trait.
fn required_methods(file: &syn::File, name: &str) -> Option<Vec<String>> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Trait(t) if t.ident == name => Some(
            t.items
                .iter()
                .filter_map(|item| match item {
                    syn::TraitItem::Fn(f) if f.default.is_none() => Some(f.sig.ident.to_string()),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    })
}

/// A file under the system's temporary folder, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("asyncapi-cli-expand-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("the temporary file is written");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn prints_the_application_side_as_formatted_rust() {
    let (code, file) = expand_ok(&[SPEC]);
    assert!(code.contains("pub trait Publisher"));
    assert!(code.contains("pub struct TurnOnOffPayload"));
    // The spec's send operations publish; its receive operation is handled.
    assert_eq!(
        required_methods(&file, "Publisher").unwrap(),
        ["turn_on", "turn_off", "dim_light"]
    );
    assert_eq!(
        required_methods(&file, "Handler").unwrap(),
        ["receive_light_measurement"]
    );
    // Formatted: one item per line, not one long token line.
    assert!(code.lines().count() > 100);
}

#[test]
fn the_mirror_flips_every_operation() {
    let (application, _) = expand_ok(&[SPEC]);
    let (mirror, file) = expand_ok(&["--role", "mirror", SPEC]);
    assert_ne!(mirror, application);
    assert_eq!(
        required_methods(&file, "Publisher").unwrap(),
        ["receive_light_measurement"]
    );
    assert_eq!(
        required_methods(&file, "Handler").unwrap(),
        ["turn_on", "turn_off", "dim_light"]
    );
    assert_eq!(
        required_methods(&file, "Subscriber").unwrap(),
        [
            "subscribe_turn_on",
            "subscribe_turn_off",
            "subscribe_dim_light"
        ]
    );
    // Both spellings of an option, and the default role by name.
    assert_eq!(expand_ok(&["--role=mirror", SPEC]).0, mirror);
    assert_eq!(expand_ok(&["--role=application", SPEC]).0, application);
}

#[test]
fn exclude_leaves_an_operation_out() {
    let (code, file) = expand_ok(&["--exclude", "turnOff", SPEC]);
    assert_eq!(
        required_methods(&file, "Publisher").unwrap(),
        ["turn_on", "dim_light"]
    );
    assert!(!code.contains("fn turn_off"));
}

#[test]
fn include_takes_comma_separated_and_repeated_ids() {
    let (code, file) = expand_ok(&["--include=turnOn, dimLight", "--include", "turnOff", SPEC]);
    assert_eq!(
        required_methods(&file, "Publisher").unwrap(),
        ["turn_on", "turn_off", "dim_light"]
    );
    assert!(!code.contains("fn receive_light_measurement"));
}

#[test]
fn type_overrides_replace_a_schema_type() {
    let (code, _) = expand_ok(&["--type-override", " sentAt = ::std::string::String ", SPEC]);
    assert!(code.contains("pub sent_at: ::std::option::Option<::std::string::String>"));
    assert!(!code.contains("pub struct SentAt"));
}

#[test]
fn output_goes_to_a_file() {
    let (expected, _) = expand_ok(&[SPEC]);
    let target = TempFile::new("output.rs", "");
    let out = expand(&["-o", target.path(), SPEC]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&target.0).unwrap(), expected);
    let out = expand(&[
        &format!("--output={}", target.path()),
        "--role=mirror",
        SPEC,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(std::fs::read_to_string(&target.0).unwrap(), expected);
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        &["--frobnicate", SPEC][..],
        &["--role", "server", SPEC],
        &["--type-override", "sentAt", SPEC],
        &["--type-override=sentAt=", SPEC],
        &["--exclude", ",", SPEC],
        &["--examples", "sometimes", SPEC],
        &[SPEC, "--output"],
        &[],
        &[SPEC, SPEC],
    ] {
        let out = expand(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        let text = stderr(&out);
        assert!(text.starts_with("error: "), "{args:?}: {text}");
        assert!(text.contains("usage: asyncapi"), "{args:?}: {text}");
        assert!(text.contains("asyncapi expand"), "{args:?}: {text}");
    }
    let out = expand(&["no-such-file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read `no-such-file.yaml`"));
}

#[test]
fn a_spec_with_an_error_exits_one_with_its_place() {
    let spec = TempFile::new(
        "broken.yaml",
        "asyncapi: 3.0.0\n\
         info:\n  title: Broken\n  version: '1.0.0'\n\
         channels:\n  a:\n    address: a\n    messages:\n      m:\n        payload:\n          \
         $ref: '#/components/schemas/nope'\n",
    );
    let out = expand(&[spec.path()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let text = stderr(&out);
    assert!(text.starts_with("error: "), "{text}");
    assert!(
        text.contains(&format!("  --> {}:11:17\n", spec.path())),
        "{text}"
    );
    assert!(
        text.contains("11 |           $ref: '#/components/schemas/nope'\n"),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("{}: 1 error\n", spec.path())),
        "{text}"
    );
}

#[test]
fn wrong_examples_warn_and_generate_unless_denied() {
    const VENDOR: &str = "tests/specs/real-world/vendor-examples.yaml";
    let out = expand(&[VENDOR]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("pub trait Publisher"));
    let text = stderr(&out);
    assert_eq!(text.matches("warning: ").count(), 9, "{text}");
    assert!(
        text.contains("  --> tests/specs/real-world/vendor-examples.yaml:60:20\n"),
        "{text}"
    );

    let out = expand(&["--examples", "deny", VENDOR]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).ends_with("vendor-examples.yaml: 9 errors\n"),
        "{}",
        stderr(&out)
    );

    let out = expand(&["--examples=allow", VENDOR]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}
