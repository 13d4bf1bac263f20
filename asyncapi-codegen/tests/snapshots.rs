//! Snapshot tests of generated types: each spec in `tests/fixtures/types` is generated,
//! formatted with prettyplease and compared with `tests/snapshots/<name>.rs`.
//!
//! The snapshots are also compiled, with every warning denied and clippy on, by the
//! `asyncapi-tests` crate (`tests/snapshots.rs` there), and exercised at run time by its
//! `types` test. After an intended change, `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen
//! --test snapshots` rewrites them; review the diff.

use std::path::{Path, PathBuf};

use asyncapi_codegen::{Settings, generate_file};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/types")
}

/// The formatted code generated from one fixture, with a header naming where it comes from.
fn render(name: &str) -> String {
    let path = fixtures().join(format!("{name}.yaml"));
    let display = PathBuf::from(format!("tests/fixtures/types/{name}.yaml"));
    let generated = match generate_file(&path, &display, &Settings::default()) {
        Ok(generated) => generated,
        Err(e) => panic!("{name}: {e}"),
    };
    let file: syn::File = syn::parse2(generated.tokens).expect("generated code parses");
    format!(
        "// Generated from asyncapi-codegen/{} by the generator's snapshot test; do not edit.\n\
         // `UPDATE_SNAPSHOTS=1 cargo test -p asyncapi-codegen --test snapshots` rewrites it.\n\n{}",
        display.display(),
        prettyplease::unparse(&file)
    )
}

fn check(name: &str) {
    let actual = render(name);
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.rs"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()))
            + 1;
        panic!(
            "{} differs from the generated code from line {line}; rerun with UPDATE_SNAPSHOTS=1 \
             and review the diff.\n--- generated ---\n{actual}",
            snapshot.display()
        );
    }
}

#[test]
fn objects() {
    check("objects");
}

#[test]
fn scalars() {
    check("scalars");
}

#[test]
fn unions() {
    check("unions");
}

#[test]
fn collections() {
    check("collections");
}

#[test]
fn naming() {
    check("naming");
}

#[test]
fn messages() {
    check("messages");
}

#[test]
fn avro() {
    check("avro");
}

#[test]
fn unnamed() {
    check("unnamed");
}

#[test]
fn polymorphism() {
    check("polymorphism");
}

/// Every fixture has a test above.
#[test]
fn every_fixture_is_checked() {
    let source = include_str!("snapshots.rs");
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(
                source.contains(&format!("check(\"{stem}\")")),
                "{stem}.yaml has no snapshot test"
            );
        }
    }
}
