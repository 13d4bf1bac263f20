//! The corpus contract of the loader and validator (`check_file`, no code generation): every
//! entry document under `corpus/public` is accepted, honouring `public-exceptions.tsv`, and every
//! document under `corpus/invalid` is rejected for the reason its `.why.txt` names.
//!
//! "For the reason" is checked by place: a `.why.txt` names where the problem is (the expected
//! diagnostics of the upstream test, the failures of the JSON Schema check, or the leaves where
//! the document differs from its closest valid sibling), and one of our diagnostics must be at
//! that place, inside it, or around it. The few cases that name no place are listed in
//! [`REASONS_BY_MESSAGE`] with words our diagnostic must contain.

use std::path::{Path, PathBuf};

use asyncapi_codegen::loader::LoadOptions;
use asyncapi_codegen::{Diagnostics, check_file};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// `(path, kind)` of every row of `SOURCES.tsv`.
fn sources() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(corpus().join("SOURCES.tsv")).expect("corpus SOURCES.tsv");
    let rows: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(7)?.to_string()))
        })
        .collect();
    assert!(rows.len() > 600, "the corpus index is incomplete");
    rows
}

fn check(path: &str, options: &LoadOptions) -> Result<(), Diagnostics> {
    check_file(&corpus().join(path), Path::new(path), options).map(|_| ())
}

/// Public documents whose references lead to files the corpus does not hold. The TCK says a
/// reference to a missing file makes a document invalid (`invalid-inexisting-file-ref.yaml`), so
/// these are rejected, with a diagnostic naming the reference. The list is
/// `missing-files.tsv` (the corpus-through-the-macro test reads it too). Upstream, the parser-js and
/// parser-go fixtures resolved relative references against their test run's working folder,
/// not against the referring file as the spec says; the spec-json-schemas fixtures are only ever
/// checked against the JSON Schema, which does not follow references.
fn missing_files() -> Vec<(&'static str, &'static str)> {
    include_str!("missing-files.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .collect()
}

#[test]
fn accepts_every_public_document() {
    let exceptions =
        std::fs::read_to_string(corpus().join("public-exceptions.tsv")).expect("exceptions");
    let exception = |path: &str| {
        exceptions
            .lines()
            .skip(1)
            .find(|line| line.split('\t').next() == Some(path))
            .and_then(|line| line.split('\t').nth(1))
            .map(str::to_owned)
    };
    let mut failures = Vec::new();
    let mut accepted = 0;
    for (path, kind) in sources() {
        if kind != "doc" {
            continue;
        }
        let missing = missing_files().into_iter().find(|(p, _)| *p == path);
        match (exception(&path).as_deref(), missing) {
            (Some(expected), _) if expected.starts_with("accept with url_vendor=") => {
                let vendor = corpus().join(expected.trim_start_matches("accept with url_vendor="));
                let options = LoadOptions {
                    url_vendor: Some(vendor),
                };
                if let Err(d) = check(&path, &options) {
                    failures.push(format!("{path}: rejected with its URL vendor folder:\n{d}"));
                }
                // And without the folder, the error says where to put the files.
                match check(&path, &LoadOptions::default()) {
                    Err(d) if d.to_string().contains("url_vendor") => {}
                    other => failures.push(format!("{path}: without url_vendor: {other:?}")),
                }
            }
            (Some(expected), _) if expected.starts_with("reject") => {
                match check(&path, &LoadOptions::default()) {
                    Err(d) if d.to_string().contains("https://example.com/message") => {}
                    other => failures.push(format!("{path}: expected the URL error: {other:?}")),
                }
            }
            (Some(other), _) => failures.push(format!("{path}: unknown expectation {other}")),
            (None, Some((_, reference))) => match check(&path, &LoadOptions::default()) {
                Err(d) if d.to_string().contains(&format!("`$ref: {reference}")) => {}
                other => failures.push(format!(
                    "{path}: expected an error naming {reference}: {other:?}"
                )),
            },
            (None, None) => match check(&path, &LoadOptions::default()) {
                Ok(()) => accepted += 1,
                Err(d) => failures.push(format!("{path}: rejected:\n{d}")),
            },
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(accepted >= 190, "only {accepted} documents were checked");
}

/// Invalid documents whose `.why.txt` names no place, or places that do not pin the problem down
/// (a "closest valid sibling" that differs everywhere): a part of the path, and words our
/// diagnostic must contain.
const REASONS_BY_MESSAGE: &[(&str, &str)] = &[
    ("Components Object/invalid-", "component name `inval#d`"),
    (
        "AsyncAPI Object/invalid-missing-asyncapi.yaml",
        "missing field `asyncapi`",
    ),
    ("Format/invalid-json-schema-tag.yaml", "YAML tag"),
    ("Format/invalid-key.yaml", "not valid YAML"),
    (
        "Format/invalid-syntax.yaml",
        "expected an AsyncAPI document",
    ),
    (
        "Operation Object/invalid-duplicate-operationId.yaml",
        "operationId `userSignedUp` is used twice",
    ),
    (
        "invalid-polymorphism-discriminated-field-not-required.yaml",
        "discriminator property `petType`",
    ),
    // Upstream resolves this reference against `test/` and finds a broken file there; against
    // the referring file, as the spec says, there is no file at all.
    (
        "test/wrong/good-ref-to-broken-file.yaml",
        "`$ref: wrong/good-refed-file.yml` cannot be read",
    ),
    ("test/wrong/inexisting-http-ref.yaml", "points at a URL"),
    ("test/wrong/inexisting-local-ref.yaml", "points at nothing"),
    (
        "test/wrong/inexisting-root-ref.yaml",
        "`$ref: /components/messages/testMessage` cannot be read",
    ),
    // The line break inside the quoted `$ref` is mis-indented: a YAML error before any JSON
    // Schema check.
    (
        "test/wrong/invalid-asyncapi-with-ref-with-line-break.yaml",
        "invalid indentation in quoted scalar",
    ),
    ("test/wrong/malformed-asyncapi.yaml", "not valid YAML"),
    ("duplicate-tags.yaml", "appears twice in this list"),
    (
        "testdata/input/invalid-ref.json",
        "`$ref: #/components/schemas/missing-reference` points at nothing",
    ),
    (
        "testdata/input/loop1.json",
        "`$ref: #/components/schemas/objectWithKey` points at nothing",
    ),
    ("testdata/input/loop2.json", "refers back to itself"),
    (
        "tests/wrong-external-ref.yaml",
        "`$ref: ./audio.yml#/components/messages/WrongReference` points at nothing",
    ),
];

/// The places a `.why.txt` names, as unescaped JSON pointers.
fn named_places(why: &str) -> Vec<String> {
    let mut places = Vec::new();
    let mut in_diff = false;
    let mut in_expected = false;
    for line in why.lines() {
        let trimmed = line.trim();
        if line.contains("differing leaves") {
            in_diff = true;
            continue;
        }
        if line.starts_with("Expected diagnostics") {
            in_expected = true;
            continue;
        }
        if trimmed.is_empty() {
            in_diff = false;
            in_expected = false;
        }
        if in_diff {
            if let Some(rest) = trimmed.strip_prefix(['+', '-', '~']) {
                let path = rest.trim();
                let path = path.rsplit_once(' ').map_or(path, |(p, _)| p);
                places.push(path.to_owned());
            }
        }
        if in_expected {
            if let Some((_, at)) = trimmed.rsplit_once("  at ") {
                places.push(at.trim().to_owned());
            }
        }
        if let Some((_, failures)) = line.split_once("FAILS - ") {
            for failure in failures.split(" | ") {
                if let Some((path, _)) = failure.split_once(": ") {
                    places.push(path.trim().to_owned());
                }
            }
        }
    }
    places
}

fn related(ours: &str, named: &str) -> bool {
    let named = named.trim_end_matches('/');
    if named.is_empty() || ours.is_empty() {
        return named.is_empty() && ours.is_empty();
    }
    ours == named
        || ours.starts_with(&format!("{named}/"))
        || named.starts_with(&format!("{ours}/"))
}

#[test]
fn rejects_every_invalid_document_for_its_reason() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (path, kind) in sources() {
        if !kind.starts_with("invalid") {
            continue;
        }
        checked += 1;
        let why =
            std::fs::read_to_string(corpus().join(format!("{path}.why.txt"))).unwrap_or_default();
        // Examples and defaults that contradict their schemas are rejected as under
        // `asyncapi check --examples deny`: the reference parser's rules for them have severity
        // error, while our default only warns (they never stop generation).
        let diagnostics = match check_file(
            &corpus().join(&path),
            Path::new(&path),
            &LoadOptions::default(),
        ) {
            Ok(api) if api.wrong_examples.is_empty() => {
                failures.push(format!("{path}: accepted"));
                continue;
            }
            Ok(api) => Diagnostics(api.wrong_examples),
            Err(d) => d,
        };
        if let Some((_, words)) = REASONS_BY_MESSAGE.iter().find(|(p, _)| path.contains(p)) {
            if !diagnostics.to_string().contains(words) {
                failures.push(format!(
                    "{path}: expected a diagnostic saying {words:?}:\n{diagnostics}"
                ));
            }
            continue;
        }
        let places = named_places(&why);
        let ours: Vec<String> = diagnostics
            .iter()
            .map(|d| d.pointer.replace("~1", "/").replace("~0", "~"))
            .collect();
        let found = places
            .iter()
            .any(|named| ours.iter().any(|o| related(o, named)));
        if !found {
            failures.push(format!(
                "{path}: no diagnostic at the places its .why.txt names {places:?}:\n{diagnostics}"
            ));
        }
    }
    assert!(checked > 400, "only {checked} invalid documents");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
