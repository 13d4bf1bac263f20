//! `$ref` across files: relative paths resolved against the referring file, JSON pointers with
//! escapes and percent-encoding, URL references through a vendor folder, cycles and missing files
//! reported with their location.

use std::path::{Path, PathBuf};

use asyncapi_codegen::{Settings, generate_file};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/refs")
        .join(name)
}

fn errors(name: &str, settings: &Settings) -> String {
    generate_file(&fixture(name), Path::new(name), settings)
        .map(|_| ())
        .expect_err("the spec should be rejected")
        .to_string()
}

#[test]
fn relative_references_reach_every_file_and_are_all_tracked() {
    let generated = generate_file(
        &fixture("api.yaml"),
        Path::new("api.yaml"),
        &Settings::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let code = generated.tokens.to_string();
    for needle in ["sensor_id", "pub value : f64", "lux", "pub a_b"] {
        assert!(code.contains(needle), "missing `{needle}` in {code}");
    }
    let mut files: Vec<String> = generated
        .files
        .iter()
        .map(|f| f.strip_prefix(fixture("")).unwrap().display().to_string())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "api.yaml",
            "common/messages.yaml",
            "common/parameters.yaml",
            "common/schemas.json"
        ]
    );
}

#[test]
fn url_references_need_the_vendor_folder() {
    let message = errors("with-url.yaml", &Settings::default());
    assert!(
        message.contains("https://schemas.example/v1/reading.json"),
        "{message}"
    );
    assert!(
        message.contains("schemas.example/v1/reading.json"),
        "{message}"
    );
    assert!(message.contains("url_vendor"), "{message}");
    assert!(message.starts_with("with-url.yaml:11:17:"), "{message}");

    let mut settings = Settings::default();
    settings.url_vendor = Some(fixture("vendor"));
    let generated = generate_file(
        &fixture("with-url.yaml"),
        Path::new("with-url.yaml"),
        &settings,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.tokens.to_string().contains("pub lux"));
    assert_eq!(generated.files.len(), 2);

    settings.url_vendor = Some(fixture("common"));
    let message = errors("with-url.yaml", &settings);
    assert!(message.contains("has no local copy"), "{message}");
}

#[test]
fn a_cycle_of_references_is_rejected() {
    let message = errors("cycle.yaml", &Settings::default());
    assert!(message.contains("cycle"), "{message}");
}

#[test]
fn a_missing_file_is_reported_where_it_is_referenced() {
    let message = errors("missing.yaml", &Settings::default());
    assert!(message.starts_with("missing.yaml:11:17:"), "{message}");
    assert!(message.contains("common/nope.yaml"), "{message}");
    assert!(
        message.contains("/channels/a/messages/m/payload/$ref"),
        "{message}"
    );
}
