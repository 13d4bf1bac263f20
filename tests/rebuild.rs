//! Editing a spec makes cargo rebuild the crate that invokes the macro on it.
//!
//! The test writes a small crate into cargo's per-test scratch folder, points the macro at its
//! spec by absolute path, builds it, edits the spec, and builds again.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC_V1: &str = r#"
asyncapi: 3.0.0
info: {title: Probe, version: 1.0.0}
channels:
  readings:
    address: readings
    messages:
      reading:
        payload:
          type: object
          properties:
            lumens: {type: integer}
operations:
  sendReading:
    action: send
    channel: {$ref: '#/channels/readings'}
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn build(dir: &Path) -> Output {
    Command::new(env!("CARGO"))
        .args(["build", "--offline"])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        // Verbose output says which crates were compiled, without parsing human-oriented text.
        .env("CARGO_TERM_VERBOSE", "true")
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("cargo runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn compiled_probe(output: &Output) -> bool {
    stderr(output).contains("--crate-name rebuild_probe")
}

#[test]
fn editing_the_spec_rebuilds_the_user_crate() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rebuild-probe");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, SPEC_V1).unwrap();
    // Same dependency versions as the workspace, so the build needs nothing new.
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"rebuild-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\nasyncapi-runtime = {{ path = {:?} }}\n\n[workspace]\n",
            workspace().join("asyncapi-runtime")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        format!(
            "asyncapi_runtime::asyncapi!({:?});\n\n\
             fn main() {{\n    let r = ReadingPayload {{ lumens: Some(1) }};\n    \
             println!(\"{{:?}}\", r.lumens);\n}}\n",
            spec.to_str().unwrap()
        ),
    )
    .unwrap();

    let first = build(&dir);
    assert!(
        first.status.success(),
        "first build failed:\n{}",
        stderr(&first)
    );
    assert!(
        compiled_probe(&first),
        "first build did not compile the probe:\n{}",
        stderr(&first)
    );

    let unchanged = build(&dir);
    assert!(unchanged.status.success(), "{}", stderr(&unchanged));
    assert!(
        !compiled_probe(&unchanged),
        "nothing changed, yet the probe was compiled again:\n{}",
        stderr(&unchanged)
    );

    // The spec renames the field; code using the old name must now fail to compile.
    std::fs::write(&spec, SPEC_V1.replace("lumens", "lux")).unwrap();
    let edited = build(&dir);
    assert!(
        compiled_probe(&edited),
        "the spec edit did not trigger a rebuild:\n{}",
        stderr(&edited)
    );
    assert!(
        !edited.status.success(),
        "code using a removed field still compiled"
    );
    assert!(
        stderr(&edited).contains("lumens"),
        "the error does not name the removed field:\n{}",
        stderr(&edited)
    );
}
